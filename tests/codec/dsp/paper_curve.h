#pragma once
// The compressor's static curve as Giannoulis, Massberg and Reiss (2012, eq. 4) write it, apart
// from the library's formula: what the tests hold the gain computer and the compressor to.
#include <cmath>

namespace extrema::dsp::testing {

// Output level (dB) for input level x with threshold t, ratio r and knee width w. The paper's
// formula divides by w, so the hard knee (w = 0) is its own branch.
inline double paper_curve_db(double x, double t, double r, double w) {
    if (w == 0.0) return x <= t ? x : t + (x - t) / r;
    if (2.0 * (x - t) < -w) return x;
    if (2.0 * std::abs(x - t) <= w) {
        return x + (1.0 / r - 1.0) * (x - t + w / 2.0) * (x - t + w / 2.0) / (2.0 * w);
    }
    return t + (x - t) / r;
}

}  // namespace extrema::dsp::testing
