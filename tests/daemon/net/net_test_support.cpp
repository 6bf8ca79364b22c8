#include "net_test_support.h"

#include <cmath>
#include <numbers>

namespace extrema::net::test {

std::vector<std::uint8_t> make_datagram(const RtpHeader& header,
                                        std::span<const codec::Record> records) {
    std::vector<std::uint8_t> bytes(kRtpHeaderBytes + records.size() * codec::kRecordBytes);
    pack_rtp_header(header, std::span<std::uint8_t>(bytes).first<kRtpHeaderBytes>());
    codec::pack_records(records, std::span<std::uint8_t>(bytes).subspan(kRtpHeaderBytes));
    return bytes;
}

std::vector<std::int16_t> voice_like(std::size_t samples, double rate_hz) {
    std::vector<std::int16_t> out(samples);
    const auto burst = static_cast<std::size_t>(0.12 * rate_hz);  // 120 ms talk, 80 ms pause
    const auto period = static_cast<std::size_t>(0.2 * rate_hz);
    for (std::size_t i = 0; i < samples; ++i) {
        const std::size_t in_burst = i % period;
        if (in_burst >= burst) continue;
        const double t = static_cast<double>(i) / rate_hz;
        const double envelope = std::exp(-8.0 * static_cast<double>(in_burst) / rate_hz);
        const double v = 0.6 * std::sin(2 * std::numbers::pi * 220.0 * t) +
                         0.3 * std::sin(2 * std::numbers::pi * 660.0 * t);
        out[i] = static_cast<std::int16_t>(std::lround(12000.0 * envelope * v));
    }
    return out;
}

}  // namespace extrema::net::test
