#include "gammatone.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <numbers>

namespace extrema::quality::visqol {
namespace {

// Bands padded to a multiple of 8 floats so the per-band loops vectorise without a remainder.
constexpr std::size_t kLanes = (kBands + 7) / 8 * 8;

// ERB-spaced centre frequencies from just below kMaxFreqHz down to exactly kMinFreqHz (Slaney,
// Apple TR #35, pp. 33-34).
std::vector<double> erb_centres_hz() {
    const double q = kEarQ * kMinBwHz;
    const double step =
        (std::log(kMinFreqHz + q) - std::log(kMaxFreqHz + q)) / static_cast<double>(kBands);
    std::vector<double> centres(kBands);
    for (std::size_t i = 0; i < kBands; ++i) {
        centres[i] = -q + std::exp(static_cast<double>(i + 1) * step) * (kMaxFreqHz + q);
    }
    return centres;
}

}  // namespace

std::size_t frame_count(std::size_t samples) {
    return samples > kFrameSamples ? 1 + (samples - kFrameSamples) / kHopSamples : 0;
}

GammatoneBank::GammatoneBank()
    : centres_hz_(erb_centres_hz()), sections_(4), window_(kFrameSamples) {
    using std::numbers::pi;
    using Complex = std::complex<double>;
    const double t = 1.0 / kRateHz;
    for (auto& s : sections_) {
        s.b0.assign(kLanes, 0.0F);
        s.b1.assign(kLanes, 0.0F);
        s.a1.assign(kLanes, 0.0F);
        s.a2.assign(kLanes, 0.0F);
    }
    const double root_plus = std::sqrt(3.0 + std::pow(2.0, 1.5));
    const double root_minus = std::sqrt(3.0 - std::pow(2.0, 1.5));
    for (std::size_t band = 0; band < kBands; ++band) {
        const double cf = centres_hz_[band];
        const double erb = cf / kEarQ + kMinBwHz;
        const double b = kErbBwScale * 2.0 * pi * erb;
        const double decay = std::exp(-b * t);
        const double cos_t = std::cos(2.0 * pi * cf * t);
        const double sin_t = std::sin(2.0 * pi * cf * t);
        // The four sections share their poles and differ in one zero (Slaney's A11..A14).
        const std::array<double, 4> zero_terms = {root_plus, -root_plus, root_minus, -root_minus};
        // Unity gain at the centre frequency: |H(e^{jwT})| of the cascade, computed in closed
        // form as in Slaney's MakeERBFilters.
        const Complex e4 = std::exp(Complex(0.0, 4.0 * pi * cf * t));
        const Complex x01 = -2.0 * e4 * t;
        const Complex x02 = 2.0 * std::exp(Complex(-b * t, 2.0 * pi * cf * t)) * t;
        Complex numerator = 1.0;
        for (const double r : {-root_minus, root_minus, -root_plus, root_plus}) {
            numerator *= x01 + x02 * (cos_t + r * sin_t);
        }
        const Complex x5 =
            -2.0 / std::exp(2.0 * b * t) - 2.0 * e4 + 2.0 * (1.0 + e4) / std::exp(b * t);
        const double gain = std::abs(numerator / std::pow(x5, 4.0));
        for (std::size_t k = 0; k < 4; ++k) {
            const double a1k = -(2.0 * t * cos_t + 2.0 * zero_terms[k] * t * sin_t) * decay / 2.0;
            const double scale = k == 0 ? 1.0 / gain : 1.0;
            sections_[k].b0[band] = static_cast<float>(t * scale);
            sections_[k].b1[band] = static_cast<float>(a1k * scale);
            sections_[k].a1[band] = static_cast<float>(-2.0 * cos_t * decay);
            sections_[k].a2[band] = static_cast<float>(decay * decay);
        }
    }
    // Symmetric Hann, as the model's frames use (0.5 - 0.5 cos(2 pi i / (N - 1))).
    for (std::size_t i = 0; i < kFrameSamples; ++i) {
        window_[i] = static_cast<float>(
            0.5 - 0.5 * std::cos(2.0 * pi * static_cast<double>(i) / (kFrameSamples - 1)));
    }
}

Spectrogram GammatoneBank::build(std::span<const float> signal) const {
    Spectrogram out;
    out.frames = frame_count(signal.size());
    out.values.assign(out.frames * kBands, 0.0);
    // Direct form II transposed, two state values per section and band, all bands in lockstep.
    alignas(32) float z1[4][kLanes];
    alignas(32) float z2[4][kLanes];
    alignas(32) float sum[kLanes];
    alignas(32) float b0[4][kLanes], b1[4][kLanes], a1[4][kLanes], a2[4][kLanes];
    for (std::size_t k = 0; k < 4; ++k) {
        std::copy(sections_[k].b0.begin(), sections_[k].b0.end(), b0[k]);
        std::copy(sections_[k].b1.begin(), sections_[k].b1.end(), b1[k]);
        std::copy(sections_[k].a1.begin(), sections_[k].a1.end(), a1[k]);
        std::copy(sections_[k].a2.begin(), sections_[k].a2.end(), a2[k]);
    }
    for (std::size_t f = 0; f < out.frames; ++f) {
        std::fill(&z1[0][0], &z1[0][0] + 4 * kLanes, 0.0F);
        std::fill(&z2[0][0], &z2[0][0] + 4 * kLanes, 0.0F);
        std::fill(sum, sum + kLanes, 0.0F);
        const float* x = signal.data() + f * kHopSamples;
        for (std::size_t i = 0; i < kFrameSamples; ++i) {
            alignas(32) float y[kLanes];
            const float in = x[i] * window_[i];
            for (std::size_t b = 0; b < kLanes; ++b) y[b] = in;
            for (std::size_t k = 0; k < 4; ++k) {
                for (std::size_t b = 0; b < kLanes; ++b) {
                    const float v = y[b];
                    const float o = b0[k][b] * v + z1[k][b];
                    z1[k][b] = b1[k][b] * v + z2[k][b] - a1[k][b] * o;
                    z2[k][b] = -a2[k][b] * o;
                    y[b] = o;
                }
            }
            for (std::size_t b = 0; b < kLanes; ++b) sum[b] += y[b] * y[b];
        }
        for (std::size_t b = 0; b < kBands; ++b) {
            out.at(f, b) = std::sqrt(static_cast<double>(sum[b]) / kFrameSamples);
        }
    }
    return out;
}

void prepare_for_comparison(Spectrogram& ref, Spectrogram& deg) {
    const auto to_db = [](double v) {
        // Zero becomes the smallest positive double's dB, as the model does, then the floor.
        const double a = v == 0.0 ? std::numeric_limits<double>::epsilon() : std::abs(v);
        return std::max(kAbsoluteFloorDb, 10.0 * std::log10(a));
    };
    for (double& v : ref.values) v = to_db(v);
    for (double& v : deg.values) v = to_db(v);
    const std::size_t common = std::min(ref.frames, deg.frames);
    for (std::size_t f = 0; f < common; ++f) {
        double peak = std::numeric_limits<double>::lowest();
        for (std::size_t b = 0; b < kBands; ++b)
            peak = std::max({peak, ref.at(f, b), deg.at(f, b)});
        const double floor = peak - kRelativeFloorDb;
        for (std::size_t b = 0; b < kBands; ++b) {
            ref.at(f, b) = std::max(ref.at(f, b), floor);
            deg.at(f, b) = std::max(deg.at(f, b), floor);
        }
    }
    double lowest = std::numeric_limits<double>::max();
    for (const double v : ref.values) lowest = std::min(lowest, v);
    for (const double v : deg.values) lowest = std::min(lowest, v);
    for (double& v : ref.values) v -= lowest;
    for (double& v : deg.values) v -= lowest;
}

}  // namespace extrema::quality::visqol
