#pragma once
// The sample rates the codecs and their files accept (the encoder's config, .xtr, .xsvd), and the
// live link's default stream rate.
#include <cstdint>

namespace extrema::codec {

inline constexpr std::uint32_t kMinSampleRateHz = 1000;
inline constexpr std::uint32_t kMaxSampleRateHz = 768000;

// The live link's stream rate unless configured (audio.rate_hz), and so every stage's default.
// 48 kHz: the native rate of JACK's default set-up and of nearly every sound card and USB headset,
// so the host does no hidden resampling on the way in or out; the extrema codec works at any
// rate, so nothing is gained by going lower.
inline constexpr int kDefaultSampleRateHz = 48000;

// Whether hz lies in [kMinSampleRateHz, kMaxSampleRateHz]; false for NaN.
constexpr bool valid_sample_rate(double hz) noexcept {
    return hz >= kMinSampleRateHz && hz <= kMaxSampleRateHz;
}

}  // namespace extrema::codec
