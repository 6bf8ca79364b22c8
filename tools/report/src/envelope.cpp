#include "extrema/report/envelope.h"

#include <algorithm>
#include <cmath>

namespace extrema::report {

Envelope compute_envelope(std::span<const float> samples, std::size_t columns) {
    Envelope env;
    const std::size_t n = samples.size();
    columns = std::min(columns, n);
    env.min.resize(columns);
    env.max.resize(columns);
    for (std::size_t c = 0; c < columns; ++c) {
        const std::size_t first = c * n / columns;
        const std::size_t last = (c + 1) * n / columns;  // > first, as columns <= n
        const auto [lo, hi] =
            std::minmax_element(samples.begin() + static_cast<std::ptrdiff_t>(first),
                                samples.begin() + static_cast<std::ptrdiff_t>(last));
        env.min[c] = *lo;
        env.max[c] = *hi;
    }
    return env;
}

float envelope_peak(const Envelope& envelope) noexcept {
    float peak = 0.0f;
    for (const float v : envelope.min) peak = std::max(peak, std::abs(v));
    for (const float v : envelope.max) peak = std::max(peak, std::abs(v));
    return peak;
}

}  // namespace extrema::report
