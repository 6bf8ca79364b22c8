#pragma once
// Sample-rate conversion for the metrics that analyse at a fixed rate.
#include <span>
#include <vector>

namespace extrema::quality {

// `x` at from_hz converted to to_hz with libsamplerate's fastest sinc converter (a copy when the
// rates are equal). Throws QualityError if the converter fails.
std::vector<float> resample(std::span<const float> x, int from_hz, int to_hz);

}  // namespace extrema::quality
