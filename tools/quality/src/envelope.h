#pragma once
// The Hilbert upper envelope ViSQOL aligns signals by (visqol_model.h, global alignment).
#include <span>
#include <vector>

namespace extrema::quality::visqol {

// |analytic signal of (x - mean)| + mean. Long signals are processed in overlapping blocks so
// memory stays bounded; the overlap keeps block edges out of the result.
std::vector<float> upper_envelope(std::span<const float> x);

}  // namespace extrema::quality::visqol
