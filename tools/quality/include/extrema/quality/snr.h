#pragma once
// Signal-to-noise ratio over a whole aligned pair: 10 log10(sum ref^2 / sum (ref - test)^2).
#include <span>

namespace extrema::quality {

// The ceiling for identical (or nearly identical) signals: float32 audio cannot carry more than
// about 150 dB of dynamic range, so a larger figure would only measure rounding, and a finite cap
// keeps the JSON output valid.
inline constexpr double kMaxSnrDb = 150.0;

// Throws QualityError if the lengths differ, the input is empty or has non-finite samples, or ref
// is all zeros (SNR is undefined without signal).
double snr_db(std::span<const float> ref, std::span<const float> test);

}  // namespace extrema::quality
