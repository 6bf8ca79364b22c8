#include "extrema/report/ticks.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace extrema::report {

Ticks nice_ticks(double lo, double hi, int target) {
    Ticks ticks;
    if (!std::isfinite(lo) || !std::isfinite(hi) || hi <= lo || target < 1) return ticks;
    const double raw = (hi - lo) / target;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    const double fraction = raw / magnitude;
    const double nice = fraction < 1.5 ? 1.0 : fraction < 3.5 ? 2.0 : fraction < 7.5 ? 5.0 : 10.0;
    ticks.step = nice * magnitude;
    // Tick i is computed from its index, not accumulated, so 0.1 steps do not drift.
    const double first = std::ceil(lo / ticks.step - 1e-9);
    for (double i = first; i * ticks.step <= hi + ticks.step * 1e-9; i += 1.0) {
        ticks.values.push_back(i * ticks.step);
    }
    return ticks;
}

std::string tick_label(double value, double step) {
    const int decimals =
        step > 0 ? std::clamp(static_cast<int>(std::ceil(-std::log10(step) - 1e-9)), 0, 6) : 0;
    // A tick computed as i * step can land a hair below zero; print it as "0", not "-0".
    if (std::abs(value) < std::abs(step) * 1e-6) value = 0.0;
    return fmt::format("{:.{}f}", value, decimals);
}

}  // namespace extrema::report
