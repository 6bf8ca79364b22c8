#pragma once
// Signals for the quality tests: real speech from disk, deterministic noise, tones.
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace extrema::quality::test {

struct Speech {
    std::vector<float> samples;  // mono
    int rate_hz = 0;
};
// The speech prompt named by EXTREMA_TEST_SPEECH_WAV, mixed to mono; nullopt if it is missing.
std::optional<Speech> load_speech();

// White Gaussian noise from a fixed seed: mt19937's output is fully specified by the standard
// and Box-Muller is done here, so the samples are the same with every standard library.
std::vector<float> white_noise(std::size_t count, std::uint32_t seed);

// signal + noise scaled so that 10 log10(sum signal^2 / sum noise^2) is exactly snr_db.
std::vector<float> add_noise_at_snr(std::span<const float> signal, double snr_db,
                                    std::uint32_t seed);

// White noise in STOI's analysis band only: white at 10 kHz, then resampled (libsamplerate) to
// rate_hz, so it is flat from 0 to 5 kHz and empty above. Wideband white noise at 48 kHz puts
// ~80 % of its power above 5 kHz, where STOI (and intelligibility) does not look.
std::vector<float> speech_band_noise(std::size_t count, int rate_hz, std::uint32_t seed);

// signal + noise scaled so that the signal's active-speech power (mean power of the 20 ms frames
// that activity.h calls active, as in ITU-T P.56 practice) over the noise's mean power is snr_db.
// Pauses then do not dilute the speech level: the usual way speech-in-noise SNRs are stated.
std::vector<float> add_noise_at_active_snr(std::span<const float> signal,
                                           std::span<const float> noise, int rate_hz,
                                           double snr_db);

std::vector<float> sine(std::size_t count, double freq_hz, int rate_hz, double amplitude);

std::vector<float> scaled(std::span<const float> signal, double gain);

}  // namespace extrema::quality::test
