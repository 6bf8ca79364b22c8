#pragma once
// Signals and measures shared by the low-rank codec's tests.
#include <cmath>
#include <cstdint>
#include <numbers>
#include <vector>

#include "../signals.h"  // the speech prompt's path, shared with the extrema codec's tests

namespace extrema::lowrank::testing {

using test::kSpeechPath;

inline std::vector<float> noise(std::size_t n, std::uint32_t seed = 1) {
    std::vector<float> x(n);
    for (auto& v : x) {
        seed = seed * 1664525u + 1013904223u;
        v = static_cast<float>(static_cast<double>(seed) / 4294967296.0 - 0.5);
    }
    return x;
}

// Three steady sinusoids: each contributes rank 2 to the real and to the imaginary spectrogram.
inline std::vector<float> tones(std::size_t n, double rate_hz) {
    std::vector<float> x(n);
    for (std::size_t i = 0; i < n; ++i) {
        const double t = static_cast<double>(i) / rate_hz;
        x[i] = static_cast<float>(0.3 * std::sin(2 * std::numbers::pi * 440.0 * t) +
                                  0.2 * std::sin(2 * std::numbers::pi * 1234.5 * t + 1.0) +
                                  0.1 * std::sin(2 * std::numbers::pi * 3001.0 * t + 2.0));
    }
    return x;
}

// Error energy relative to signal energy, dB (the negative of the SNR).
inline double error_db(const std::vector<float>& reference, const std::vector<float>& actual) {
    double signal = 0.0, error = 0.0;
    for (std::size_t i = 0; i < reference.size(); ++i) {
        const double d = double{reference[i]} - double{actual[i]};
        signal += double{reference[i]} * reference[i];
        error += d * d;
    }
    return 10.0 * std::log10(error / signal);
}

}  // namespace extrema::lowrank::testing
