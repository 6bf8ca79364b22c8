#include "encoder_checks.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "extrema/codec/xtr_format.h"
#include "signals.h"

namespace extrema::test {

void expect_latency_cap_holds(codec::Encoder& encoder, std::size_t cap) {
    std::vector<codec::Record> records;
    const auto signal = chirp(20.0, 2000.0, 15000.0, 44100);
    const std::vector<std::int16_t> silence(30000, 0);
    for (const auto& part : {signal, silence, signal}) {
        for (std::size_t at = 0; at < part.size(); at += 64) {
            encoder.push(std::span<const std::int16_t>(part).subspan(
                             at, std::min<std::size_t>(64, part.size() - at)),
                         records);
            EXPECT_LE(encoder.pending_samples(), cap);
        }
    }
    encoder.flush(records);
    for (const auto& r : records) EXPECT_LE(r.samples, cap);
    EXPECT_EQ(codec::count_samples(records), 2 * signal.size() + silence.size());
}

}  // namespace extrema::test
