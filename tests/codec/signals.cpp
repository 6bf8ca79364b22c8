#include "signals.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>

#include "audio/sound_file.h"

namespace extrema::test {
namespace {
std::int16_t clip(double v) {
    return static_cast<std::int16_t>(std::lround(std::clamp(v, -32768.0, 32767.0)));
}
}  // namespace

std::vector<std::int16_t> sine(double freq_hz, double amplitude, std::size_t n, double rate_hz) {
    std::vector<std::int16_t> out(n);
    for (std::size_t i = 0; i < n; ++i) {
        out[i] = clip(amplitude * std::sin(2.0 * std::numbers::pi * freq_hz *
                                           static_cast<double>(i) / rate_hz));
    }
    return out;
}

std::vector<std::int16_t> chirp(double from_hz, double to_hz, double amplitude, std::size_t n,
                                double rate_hz) {
    std::vector<std::int16_t> out(n);
    const double duration = static_cast<double>(n) / rate_hz;
    for (std::size_t i = 0; i < n; ++i) {
        const double t = static_cast<double>(i) / rate_hz;
        const double phase =
            2.0 * std::numbers::pi * (from_hz * t + (to_hz - from_hz) * t * t / (2.0 * duration));
        out[i] = clip(amplitude * std::sin(phase));
    }
    return out;
}

std::vector<std::int16_t> white_noise(double amplitude, std::size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> dist(-amplitude, amplitude);
    std::vector<std::int16_t> out(n);
    for (auto& v : out) v = clip(dist(rng));
    return out;
}

std::vector<std::int16_t> constant(std::int16_t value, std::size_t n) {
    return std::vector<std::int16_t>(n, value);
}

std::vector<std::int16_t> square(double freq_hz, std::size_t n, double rate_hz) {
    std::vector<std::int16_t> out(n);
    for (std::size_t i = 0; i < n; ++i) {
        const double phase = std::fmod(freq_hz * static_cast<double>(i) / rate_hz, 1.0);
        out[i] = phase < 0.5 ? std::int16_t{32767} : std::int16_t{-32768};
    }
    return out;
}

std::vector<std::int16_t> speech(double* rate_hz) {
    audio::SoundInfo info;
    auto samples = audio::read_sound_file_int16(kSpeechPath, info);
    if (rate_hz != nullptr) *rate_hz = info.rate_hz;
    return samples;
}

}  // namespace extrema::test
