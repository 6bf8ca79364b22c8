#pragma once
// A spectrogram reduced to a fixed pixel grid (time columns by frequency rows), in dBFS.
//
// Analysis: Hann-windowed STFT (extrema::lowrank's, the SVD codec's own transform) with a window of
// about 16 ms or more (the next power of two: 1024 samples at 48 kHz), which resolves the
// harmonics of most voices while still showing syllable onsets. The hop is the largest power of
// two that still gives at least one frame per column (never below 1/32 of the window), so short
// clips are analysed densely and long ones cheaply. Power is averaged over the frames of a column
// and the bins of a row (linear frequency, 0 Hz to max_hz), then converted to dB.
#include <cstdint>
#include <span>
#include <vector>

namespace extrema::report {

struct SpectrogramImage {
    std::uint32_t width = 0;   // time columns
    std::uint32_t height = 0;  // frequency rows
    // width * height levels, row-major, top row (highest frequency) first. 0 dBFS is a full-scale
    // sine; -200 stands for digital silence.
    std::vector<float> db;
    double seconds = 0.0;  // duration the columns span
    double max_hz = 0.0;   // frequency of the top edge (Nyquist)
    std::uint32_t n_fft = 0;
    std::uint32_t hop = 0;
};

// Rows span 0 Hz to max_hz (capped at Nyquist; <= 0 means Nyquist). Throws
// std::invalid_argument for rate_hz < 1 or a zero size.
SpectrogramImage compute_spectrogram(std::span<const float> mono, int rate_hz, std::uint32_t width,
                                     std::uint32_t height, double max_hz = 0.0);

// The highest level in the image (-200 if it is all silence).
float spectrogram_peak_db(const SpectrogramImage& image) noexcept;

// Palette indices for the image: level top_db and above is 255, top_db - range_db and below is 0.
std::vector<std::uint8_t> spectrogram_pixels(const SpectrogramImage& image, double top_db,
                                             double range_db);

}  // namespace extrema::report
