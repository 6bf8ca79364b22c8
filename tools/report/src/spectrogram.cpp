#include "extrema/report/spectrogram.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <complex>
#include <stdexcept>

#include "extrema/lowrank/stft.h"

namespace extrema::report {
namespace {

constexpr float kSilenceDb = -200.0f;

// Frames [first, last) that column c of `columns` averages over `frames` frames; at least one.
std::pair<std::uint64_t, std::uint64_t> column_frames(std::uint64_t c, std::uint64_t columns,
                                                      std::uint64_t frames) {
    const std::uint64_t first = std::min(c * frames / columns, frames - 1);
    return {first, std::max((c + 1) * frames / columns, first + 1)};
}

lowrank::StftConfig choose_stft(int rate_hz, std::uint64_t samples, std::uint32_t width) {
    lowrank::StftConfig config;
    const auto min_window = static_cast<std::uint32_t>(std::ceil(0.016 * rate_hz));
    config.n_fft = std::clamp(std::bit_ceil(std::max(min_window, 16u)), 16u, 16384u);
    config.hop = config.n_fft / 2;
    while (config.hop > std::max(config.n_fft / 32, 1u) &&
           lowrank::frame_count(config, samples) < width) {
        config.hop /= 2;
    }
    return config;
}

}  // namespace

SpectrogramImage compute_spectrogram(std::span<const float> mono, int rate_hz, std::uint32_t width,
                                     std::uint32_t height, double max_hz) {
    if (rate_hz < 1 || width == 0 || height == 0) {
        throw std::invalid_argument("compute_spectrogram: bad rate or size");
    }
    const lowrank::StftConfig config = choose_stft(rate_hz, mono.size(), width);
    const double nyquist_hz = rate_hz / 2.0;
    if (max_hz <= 0.0 || max_hz > nyquist_hz) max_hz = nyquist_hz;
    // Bins 0 .. bins-1 lie at or below max_hz (bin k is at k * rate / n_fft).
    const auto bins = std::clamp<std::uint32_t>(
        static_cast<std::uint32_t>(std::floor(max_hz * config.n_fft / rate_hz)) + 1, 1,
        config.bins());
    const std::uint64_t frames = lowrank::frame_count(config, mono.size());

    SpectrogramImage image;
    image.width = width;
    image.height = height;
    image.seconds = static_cast<double>(mono.size()) / rate_hz;
    // Row pixels pool whole bins, so the top edge is the upper edge of the last bin pooled.
    image.max_hz = (bins - 0.5) * rate_hz / config.n_fft;
    image.n_fft = config.n_fft;
    image.hop = config.hop;

    // Row r (0 = bottom) averages bins [r bins / height, ...), at least one bin.
    std::vector<std::uint32_t> row_first(height), row_last(height);
    for (std::uint32_t r = 0; r < height; ++r) {
        row_first[r] = std::min<std::uint32_t>(
            static_cast<std::uint32_t>(std::uint64_t{r} * bins / height), bins - 1);
        row_last[r] = std::max(static_cast<std::uint32_t>(std::uint64_t{r + 1} * bins / height),
                               row_first[r] + 1);
    }
    std::vector<double> power(std::size_t{width} * height, 0.0);  // column-major accumulators
    std::vector<std::uint32_t> count(width, 0);
    std::vector<double> row_power(height);

    // A full-scale sine of amplitude 1 peaks at |X| = sum(w) / 2 = n_fft / 4 with a Hann window.
    const double norm = 1.0 / (config.n_fft / 4.0 * config.n_fft / 4.0);
    lowrank::StftAnalyzer stft(config);
    std::vector<std::complex<double>> spectrum(config.bins());
    std::uint64_t frame = 0, column = 0;
    const auto drain = [&] {
        while (stft.next_frame(spectrum)) {
            for (std::uint32_t r = 0; r < height; ++r) {
                double sum = 0.0;
                for (std::uint32_t k = row_first[r]; k < row_last[r]; ++k) {
                    sum += std::norm(spectrum[k]);
                }
                row_power[r] = sum * norm / (row_last[r] - row_first[r]);
            }
            // This frame feeds every column whose frame range holds it (several when frames are
            // fewer than columns).
            while (column < width && column_frames(column, width, frames).second <= frame) ++column;
            for (std::uint64_t c = column; c < width; ++c) {
                const auto [first, last] = column_frames(c, width, frames);
                if (first > frame) break;
                if (frame >= last) continue;
                ++count[c];
                for (std::uint32_t r = 0; r < height; ++r) power[c * height + r] += row_power[r];
            }
            ++frame;
        }
    };
    // Pushed in pieces so the analyser never holds more than one piece of the signal.
    constexpr std::size_t kPiece = 1 << 16;
    for (std::size_t i = 0; i < mono.size(); i += kPiece) {
        stft.push(mono.subspan(i, std::min(kPiece, mono.size() - i)));
        drain();
    }
    stft.finish();
    drain();

    image.db.assign(std::size_t{width} * height, kSilenceDb);
    for (std::uint32_t c = 0; c < width; ++c) {
        if (count[c] == 0) continue;
        for (std::uint32_t r = 0; r < height; ++r) {
            const double p = power[std::size_t{c} * height + r] / count[c];
            const double db = p > 1e-20 ? 10.0 * std::log10(p) : kSilenceDb;
            image.db[std::size_t{height - 1 - r} * width + c] = static_cast<float>(db);
        }
    }
    return image;
}

float spectrogram_peak_db(const SpectrogramImage& image) noexcept {
    float peak = kSilenceDb;
    for (const float v : image.db) peak = std::max(peak, v);
    return peak;
}

std::vector<std::uint8_t> spectrogram_pixels(const SpectrogramImage& image, double top_db,
                                             double range_db) {
    std::vector<std::uint8_t> pixels(image.db.size());
    std::transform(image.db.begin(), image.db.end(), pixels.begin(), [&](float db) {
        const double t = (db - (top_db - range_db)) / range_db;
        return static_cast<std::uint8_t>(std::lround(std::clamp(t, 0.0, 1.0) * 255.0));
    });
    return pixels;
}

}  // namespace extrema::report
