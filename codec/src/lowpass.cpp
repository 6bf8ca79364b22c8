#include "extrema/codec/lowpass.h"

#include <cmath>
#include <numbers>
#include <stdexcept>

namespace extrema::codec {

Biquad Biquad::lowpass(double sample_rate_hz, double cutoff_hz, double q) {
    const double w0 = 2.0 * std::numbers::pi * cutoff_hz / sample_rate_hz;
    const double alpha = std::sin(w0) / (2.0 * q);
    const double cosw = std::cos(w0);
    const double a0 = 1.0 + alpha;
    Biquad f;
    f.b0_ = static_cast<float>((1.0 - cosw) / 2.0 / a0);
    f.b1_ = static_cast<float>((1.0 - cosw) / a0);
    f.b2_ = f.b0_;
    f.a1_ = static_cast<float>(-2.0 * cosw / a0);
    f.a2_ = static_cast<float>((1.0 - alpha) / a0);
    return f;
}

Lowpass::Lowpass(double sample_rate_hz, double cutoff_hz) {
    if (!(cutoff_hz > 0.0 && cutoff_hz < sample_rate_hz / 2.0)) {
        throw std::invalid_argument(
            "low-pass cutoff must lie between 0 Hz and half the sample rate");
    }
    // Butterworth 4th order: the two pole pairs have Q = 1 / (2 cos(pi/8)) and 1 / (2 cos(3pi/8)).
    stages_[0] = Biquad::lowpass(sample_rate_hz, cutoff_hz, 0.54119610);
    stages_[1] = Biquad::lowpass(sample_rate_hz, cutoff_hz, 1.30656296);
}

}  // namespace extrema::codec
