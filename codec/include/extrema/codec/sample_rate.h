#pragma once
// The sample rates the codecs and their files accept (the encoder's config, .xtr, .xsvd), and the
// live link's default stream rate.
#include <cstdint>

namespace extrema::codec {

inline constexpr std::uint32_t kMinSampleRateHz = 1000;
inline constexpr std::uint32_t kMaxSampleRateHz = 768000;

// The live link's stream rate unless configured, and so every stage's default; why 48 kHz: the
// doc of the key audio.rate_hz (docs/config.md).
inline constexpr int kDefaultSampleRateHz = 48000;

// Whether hz lies in [kMinSampleRateHz, kMaxSampleRateHz]; false for NaN.
constexpr bool valid_sample_rate(double hz) noexcept {
    return hz >= kMinSampleRateHz && hz <= kMaxSampleRateHz;
}

}  // namespace extrema::codec
