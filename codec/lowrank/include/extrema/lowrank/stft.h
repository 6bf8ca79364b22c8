#pragma once
// Short-time Fourier transform with perfect reconstruction (docs/svd-format.md, "STFT"):
// periodic Hann analysis and synthesis windows, overlap-add divided by the summed squared window.
//
// Both directions stream, so a long file never needs its whole spectrogram in memory. The signal
// is padded with n_fft/2 zeros in front (frame t is centred on sample t*hop) and with zeros at
// the end, so a signal of n samples has 1 + ceil(n / hop) frames and every sample lies under at
// least two windows' well-conditioned parts: the edges reconstruct as exactly as the middle.
#include <complex>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace extrema::lowrank {

struct StftConfig {
    std::uint32_t n_fft = 1024;  // 21 ms at 48 kHz: the usual speech analysis length (SPEC §8)
    std::uint32_t hop = 512;     // 50 % overlap, the least that Hann windows reconstruct from
    std::uint32_t bins() const noexcept { return n_fft / 2 + 1; }
};

// Throws std::invalid_argument unless n_fft is a power of two in [16, 16384] and hop divides
// n_fft and is at most n_fft / 2.
void validate(const StftConfig& config);

// Frames for a signal of `samples` samples: 1 + ceil(samples / hop).
std::uint64_t frame_count(const StftConfig& config, std::uint64_t samples) noexcept;

// w[n] = 0.5 - 0.5 cos(2 pi n / N), n = 0..N-1 (the periodic form, which overlap-adds evenly).
std::vector<double> periodic_hann(std::uint32_t n);

using Spectrum = std::span<std::complex<double>>;
using ConstSpectrum = std::span<const std::complex<double>>;

class StftAnalyzer {
  public:
    explicit StftAnalyzer(const StftConfig& config);
    ~StftAnalyzer();
    StftAnalyzer(StftAnalyzer&&) noexcept;
    StftAnalyzer& operator=(StftAnalyzer&&) noexcept;

    // Appends samples of the signal.
    void push(std::span<const float> samples);
    // Marks the end of the signal: pads it so the remaining frames become available.
    void finish();
    // Writes the next frame's bins (size config.bins()) if one is complete; false otherwise.
    bool next_frame(Spectrum bins);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

class StftSynthesizer {
  public:
    // `samples`: length of the original signal, so the padding is trimmed off both ends.
    StftSynthesizer(const StftConfig& config, std::uint64_t samples);
    ~StftSynthesizer();
    StftSynthesizer(StftSynthesizer&&) noexcept;
    StftSynthesizer& operator=(StftSynthesizer&&) noexcept;

    // Adds the next frame (bins of size config.bins(); the imaginary parts of the DC and Nyquist
    // bins are ignored, as a real signal has none).
    void push_frame(ConstSpectrum bins);
    // Appends the samples completed so far to `out`. After the last frame every remaining sample
    // is complete.
    void pull(std::vector<float>& out);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace extrema::lowrank
