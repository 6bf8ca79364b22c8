#include "extrema/dsp/level_detector.h"

#include <cmath>

namespace extrema::dsp {

double smoothing_coefficient(double time_ms, double sample_rate_hz) noexcept {
    if (time_ms <= 0.0) return 0.0;
    return std::exp(-1.0 / (time_ms * 1e-3 * sample_rate_hz));
}

}  // namespace extrema::dsp
