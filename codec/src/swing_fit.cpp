#include "extrema/codec/swing_fit.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "extrema/codec/swing_bank.h"

namespace extrema::codec {
namespace {

struct Grid {
    std::array<float, swing::kRatioSteps> peak{};
    std::array<float, swing::kRatioSteps> inv_norm{};  // 1 / (1 + r^2)
};

const Grid& grid() noexcept {
    static const Grid g = [] {
        Grid out;
        for (int k = 0; k < swing::kRatioSteps; ++k) {
            const double r = swing::peak(k);
            out.peak[static_cast<std::size_t>(k)] = static_cast<float>(r);
            out.inv_norm[static_cast<std::size_t>(k)] = static_cast<float>(1.0 / (1.0 + r * r));
        }
        return out;
    }();
    return g;
}

}  // namespace

SwingFit fit_swing(float from, float peak, float end, std::uint32_t n1, std::uint32_t n) noexcept {
    // The extremum's sample n1 - 1 is rendered at t = n1 / n: the nearest tau of the grid.
    const double t = static_cast<double>(n1) / n;
    const double step = (swing::kTauHigh - swing::kTauLow) / (swing::kTauSteps - 1);
    const int a = std::clamp(static_cast<int>(std::lround((t - swing::kTauLow) / step)), 0,
                             swing::kTauSteps - 1);
    SwingFit best;
    best.slip_samples = static_cast<float>(std::fabs(swing::tau(a) - t) * n);
    best.error = INFINITY;
    const Grid& g = grid();
    const float rise = peak - from;
    const float net = end - from;
    for (int k = 0; k < swing::kRatioSteps; ++k) {
        const float r = g.peak[static_cast<std::size_t>(k)];
        // Least squares over d = end' - from: |d - net|^2 + |d r - rise|^2.
        const float d = (net + r * rise) * g.inv_norm[static_cast<std::size_t>(k)];
        const float e = std::clamp(std::nearbyint(from + d), -32768.0f, 32767.0f);
        const float dq = e - from;
        const float err = (dq - net) * (dq - net) + (dq * r - rise) * (dq * r - rise);
        if (err < best.error) {
            best.error = err;
            best.end = static_cast<std::int16_t>(e);
            best.id = swing::swing_id(a, k);
        }
    }
    return best;
}

}  // namespace extrema::codec
