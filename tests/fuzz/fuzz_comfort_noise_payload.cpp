// RTP payloads from anyone -> the RFC 3389 comfort-noise parser. No input may crash, read out of
// bounds or hit undefined behaviour; a payload the parser accepts gives a level in 0..-127 dBov
// and coefficients inside [-1, 1], and when it is no longer than a full model it comes out of the
// writer again byte for byte (the top code 255 aside, which the writer never uses).
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "fuzz_check.h"
#include "net/comfort_noise_payload.h"

using namespace extrema::net;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::uint8_t> payload(data, size);
    extrema::codec::NoiseDescription noise;
    if (parse_comfort_noise(payload, noise) != ComfortNoiseParseError::kNone) return 0;
    FUZZ_REQUIRE(size >= 1 && payload[0] <= 127);
    FUZZ_REQUIRE(noise.level_dbov <= 0.0 && noise.level_dbov >= -127.0);
    FUZZ_REQUIRE(noise.order == std::min(size - 1, extrema::codec::kMaxNoiseOrder));
    for (std::size_t i = 0; i < noise.order; ++i) {
        FUZZ_REQUIRE(std::isfinite(noise.reflection[i]));
        FUZZ_REQUIRE(noise.reflection[i] > -1.0 && noise.reflection[i] <= 1.0);
    }
    std::vector<std::uint8_t> again(comfort_noise_bytes(noise));
    FUZZ_REQUIRE(write_comfort_noise(noise, again) == again.size());
    if (size <= kMaxComfortNoiseBytes && std::ranges::find(payload, 255) == payload.end()) {
        FUZZ_REQUIRE(std::ranges::equal(again, payload));
    }
    return 0;
}
