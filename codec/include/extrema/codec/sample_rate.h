#pragma once
// The sample rates the codecs and their files accept (the encoder's config, .xtr, .xsvd).
#include <cstdint>

namespace extrema::codec {

inline constexpr std::uint32_t kMinSampleRateHz = 1000;
inline constexpr std::uint32_t kMaxSampleRateHz = 768000;

// Whether hz lies in [kMinSampleRateHz, kMaxSampleRateHz]; false for NaN.
constexpr bool valid_sample_rate(double hz) noexcept {
    return hz >= kMinSampleRateHz && hz <= kMaxSampleRateHz;
}

}  // namespace extrema::codec
