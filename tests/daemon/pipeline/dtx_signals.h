#pragma once
// Signals for the DTX tests: a quiet background noise and voiced bursts over it, deterministic.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numbers>
#include <vector>

namespace extrema::pipeline::test {

// White noise (uniform, a small LCG) at `rms` (normalised), `samples` long.
inline std::vector<float> background_noise(std::size_t samples, double rms,
                                           std::uint64_t seed = 7) {
    std::vector<float> out(samples);
    const double scale = rms * std::sqrt(3.0);  // a uniform [-1, 1) has RMS 1/sqrt(3)
    for (float& x : out) {
        seed = seed * 6364136223846793005u + 1442695040888963407u;
        const double u = static_cast<double>(seed >> 11) / 9007199254740992.0 * 2.0 - 1.0;
        x = static_cast<float>(scale * u);
    }
    return out;
}

// Adds a voiced burst (180 Hz and two harmonics, peak about 0.45) over [from, to).
inline void add_burst(std::vector<float>& x, std::size_t from, std::size_t to,
                      double rate_hz = 48000.0) {
    for (std::size_t n = from; n < to && n < x.size(); ++n) {
        const double w = 2.0 * std::numbers::pi * 180.0 * static_cast<double>(n) / rate_hz;
        x[n] += static_cast<float>(0.3 * std::sin(w) + 0.1 * std::sin(2.0 * w) +
                                   0.05 * std::sin(3.0 * w));
    }
}

}  // namespace extrema::pipeline::test
