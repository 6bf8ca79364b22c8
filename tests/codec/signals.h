#pragma once
// Test signals on the int16 scale, generated in the tests (no binary audio is committed).
#include <cstdint>
#include <string>
#include <vector>

namespace extrema::test {

inline constexpr double kRateHz = 44100.0;

std::vector<std::int16_t> sine(double freq_hz, double amplitude, std::size_t n,
                               double rate_hz = kRateHz);
std::vector<std::int16_t> chirp(double from_hz, double to_hz, double amplitude, std::size_t n,
                                double rate_hz = kRateHz);
std::vector<std::int16_t> white_noise(double amplitude, std::size_t n, unsigned seed = 1);
std::vector<std::int16_t> constant(std::int16_t value, std::size_t n);
std::vector<std::int16_t> square(double freq_hz, std::size_t n, double rate_hz = kRateHz);
// The ALSA speech prompt (48 kHz mono, package alsa-utils), int16.
std::vector<std::int16_t> speech(double* rate_hz = nullptr);
inline const std::string kSpeechPath = "/usr/share/sounds/alsa/Front_Center.wav";

}  // namespace extrema::test
