#include "extrema/quality/stoi.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "checks.h"
#include "extrema/quality/activity.h"
#include "extrema/quality/error.h"
#include "extrema/quality/resample.h"
#include "power_spectrum.h"
#include "window.h"

namespace extrema::quality {
namespace {

// The constants of Taal et al. 2011 (and their MATLAB reference). They define the measure: changing
// any of them gives a different, uncalibrated number.
constexpr int kStoiRateHz = 10000;        // covers the bands up to ~4.3 kHz
constexpr std::size_t kFrame = 256;       // 25.6 ms analysis frames
constexpr std::size_t kHop = kFrame / 2;  // 50 % overlap
constexpr std::size_t kFft = 512;         // zero-padded to twice the frame
constexpr std::size_t kBands = 15;        // one-third-octave bands...
constexpr double kFirstBandHz = 150.0;    // ...centred from 150 Hz up (last one ~3.8 kHz)
constexpr std::size_t kSegment = 30;      // 30 frames = 384 ms intermediate-intelligibility window
constexpr double kBetaDb = -15.0;         // lower signal-to-distortion bound of the clipping
// numpy's float eps, as the Python reference adds it to norms to avoid 0/0 on silent bands.
constexpr double kEps = std::numeric_limits<double>::epsilon();

struct Band {
    std::size_t first_bin;  // inclusive
    std::size_t end_bin;    // exclusive
};

std::size_t nearest_bin(double hz) {
    // argmin over bins of (f - hz)^2, first index on a tie, like MATLAB's min().
    std::size_t best = 0;
    double best_dist = std::numeric_limits<double>::infinity();
    for (std::size_t k = 0; k <= kFft / 2; ++k) {
        const double f = static_cast<double>(k) * kStoiRateHz / static_cast<double>(kFft);
        const double dist = (f - hz) * (f - hz);
        if (dist < best_dist) {
            best_dist = dist;
            best = k;
        }
    }
    return best;
}

// One-third-octave bands: edges at 150 * 2^((2k -+ 1) / 6) Hz, each snapped to the nearest bin.
// (All 15 bands fit below 5 kHz, so the reference's pruning of empty top bands never applies.)
std::array<Band, kBands> third_octave_bands() {
    std::array<Band, kBands> bands{};
    for (std::size_t k = 0; k < kBands; ++k) {
        const double kk = static_cast<double>(k);
        bands[k].first_bin = nearest_bin(kFirstBandHz * std::pow(2.0, (2.0 * kk - 1.0) / 6.0));
        bands[k].end_bin = nearest_bin(kFirstBandHz * std::pow(2.0, (2.0 * kk + 1.0) / 6.0));
    }
    return bands;
}

std::vector<double> to_stoi_rate(std::span<const float> x, int rate_hz) {
    const std::vector<float> resampled = resample(x, rate_hz, kStoiRateHz);
    return {resampled.begin(), resampled.end()};
}

// Frames start at 0, kHop, ... strictly before size - kFrame (the reference's frame grid, which
// leaves out a final frame ending exactly at the last sample).
std::size_t frame_count(std::size_t size) {
    return size > kFrame ? (size - kFrame - 1) / kHop + 1 : 0;
}

// Removes the frames whose ref energy is more than 40 dB below the loudest ref frame, and
// overlap-adds the windowed frames that are left into new, shorter signals.
std::pair<std::vector<double>, std::vector<double>> remove_silent_frames(
    const std::vector<double>& x, const std::vector<double>& y) {
    const std::vector<double> w = detail::hanning_window(kFrame);
    const std::size_t frames = frame_count(x.size());
    std::vector<double> energies(frames, 0.0);
    for (std::size_t f = 0; f < frames; ++f) {
        for (std::size_t i = 0; i < kFrame; ++i) {
            const double v = w[i] * x[f * kHop + i];
            energies[f] += v * v;
        }
    }
    const std::vector<bool> keep = active_frames(energies);
    const auto kept = static_cast<std::size_t>(std::count(keep.begin(), keep.end(), true));
    const std::size_t length = kept == 0 ? 0 : (kept - 1) * kHop + kFrame;
    std::vector<double> x_out(length, 0.0), y_out(length, 0.0);
    std::size_t out_frame = 0;
    for (std::size_t f = 0; f < frames; ++f) {
        if (!keep[f]) continue;
        for (std::size_t i = 0; i < kFrame; ++i) {
            x_out[out_frame * kHop + i] += w[i] * x[f * kHop + i];
            y_out[out_frame * kHop + i] += w[i] * y[f * kHop + i];
        }
        ++out_frame;
    }
    return {std::move(x_out), std::move(y_out)};
}

// Band amplitudes sqrt(sum of bin powers), [band][frame].
std::vector<std::vector<double>> band_envelopes(const std::vector<double>& x,
                                                const std::array<Band, kBands>& bands) {
    const std::vector<double> w = detail::hanning_window(kFrame);
    const std::size_t frames = frame_count(x.size());
    std::vector<std::vector<double>> out(kBands, std::vector<double>(frames, 0.0));
    detail::PowerSpectrum spectrum(kFft);
    std::vector<double> frame(kFrame);
    std::vector<double> power(spectrum.bins());
    for (std::size_t f = 0; f < frames; ++f) {
        for (std::size_t i = 0; i < kFrame; ++i) frame[i] = w[i] * x[f * kHop + i];
        spectrum.compute(frame, power);
        for (std::size_t b = 0; b < kBands; ++b) {
            double sum = 0.0;
            for (std::size_t k = bands[b].first_bin; k < bands[b].end_bin; ++k) sum += power[k];
            out[b][f] = std::sqrt(sum);
        }
    }
    return out;
}

double norm(std::span<const double> v) {
    double sum = 0.0;
    for (const double x : v) sum += x * x;
    return std::sqrt(sum);
}

// Correlation coefficient of x and y (both centred and normalised; kEps guards constant input).
double correlation(std::span<double> x, std::span<double> y) {
    for (auto* v : {&x, &y}) {
        double mean = 0.0;
        for (const double s : *v) mean += s;
        mean /= static_cast<double>(v->size());
        for (double& s : *v) s -= mean;
        const double scale = norm(*v) + kEps;
        for (double& s : *v) s /= scale;
    }
    double dot = 0.0;
    for (std::size_t i = 0; i < x.size(); ++i) dot += x[i] * y[i];
    return dot;
}

}  // namespace

double stoi(std::span<const float> ref, std::span<const float> test, int rate_hz) {
    detail::require_rate(rate_hz);
    detail::require_pair(ref, test);
    detail::require_not_silent(ref);

    auto [x, y] = remove_silent_frames(to_stoi_rate(ref, rate_hz), to_stoi_rate(test, rate_hz));
    static const std::array<Band, kBands> bands = third_octave_bands();
    const auto x_env = band_envelopes(x, bands);
    const auto y_env = band_envelopes(y, bands);
    const std::size_t frames = x_env[0].size();
    if (frames < kSegment) {
        throw QualityError("too little active speech for STOI (" + std::to_string(frames) +
                           " frames after silence removal, need " + std::to_string(kSegment) +
                           ", about 0.4 s)");
    }

    const double clip = std::pow(10.0, -kBetaDb / 20.0);
    double sum = 0.0;
    std::array<double, kSegment> xs{}, ys{};
    for (std::size_t end = kSegment; end <= frames; ++end) {
        for (std::size_t b = 0; b < kBands; ++b) {
            std::copy_n(x_env[b].begin() + static_cast<std::ptrdiff_t>(end - kSegment), kSegment,
                        xs.begin());
            std::copy_n(y_env[b].begin() + static_cast<std::ptrdiff_t>(end - kSegment), kSegment,
                        ys.begin());
            // Scale test to the reference's energy in this band and segment, then clip it so a
            // single badly distorted unit cannot dominate (Eq. 3 of the paper).
            const double alpha = norm(xs) / (norm(ys) + kEps);
            for (std::size_t i = 0; i < kSegment; ++i) {
                ys[i] = std::min(alpha * ys[i], xs[i] * (1.0 + clip));
            }
            sum += correlation(xs, ys);
        }
    }
    const std::size_t segments = frames - kSegment + 1;
    return sum / static_cast<double>(segments * kBands);
}

}  // namespace extrema::quality
