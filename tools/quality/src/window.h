#pragma once
// The Hann window as MATLAB's hanning(n): symmetric and without the zero end points
// (0.5 - 0.5 cos(2 pi k / (n + 1)), k = 1..n). STOI's reference uses exactly this one, and LSD
// shares it so both analyses weigh a frame alike.
#include <cmath>
#include <cstddef>
#include <numbers>
#include <vector>

namespace extrema::quality::detail {

inline std::vector<double> hanning_window(std::size_t n) {
    std::vector<double> w(n);
    for (std::size_t k = 0; k < n; ++k) {
        const double phase =
            2.0 * std::numbers::pi * static_cast<double>(k + 1) / static_cast<double>(n + 1);
        w[k] = 0.5 - 0.5 * std::cos(phase);
    }
    return w;
}

}  // namespace extrema::quality::detail
