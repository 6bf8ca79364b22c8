#pragma once
// Real speech for the benchmarks: the ALSA prompt (package alsa-utils), looped to 10 s so the
// timings are not dominated by set-up, at the rate asked for (libsamplerate, best quality).
#include <cstdint>
#include <vector>

namespace extrema::bench {

inline constexpr double kSpeechSeconds = 10.0;
// Mono speech normalised to [-1, 1] at rate_hz.
const std::vector<float>& speech_float(int rate_hz);
// The same on the int16 scale.
const std::vector<std::int16_t>& speech_int16(int rate_hz);

}  // namespace extrema::bench
