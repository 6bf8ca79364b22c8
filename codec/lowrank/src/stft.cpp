#include "extrema/lowrank/stft.h"

#include <kissfft.hh>

#include <algorithm>
#include <bit>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>

namespace extrema::lowrank {
namespace {

// Positions where fewer windows overlap than this (only inside the front padding) output zero
// rather than divide by a vanishing window sum.
constexpr double kMinWindowSum = 1e-10;

}  // namespace

void validate(const StftConfig& config) {
    if (config.n_fft < 16 || config.n_fft > 16384 || !std::has_single_bit(config.n_fft)) {
        throw std::invalid_argument("STFT size n_fft must be a power of two in [16, 16384], got " +
                                    std::to_string(config.n_fft));
    }
    if (config.hop < 1 || config.hop > config.n_fft / 2 || config.n_fft % config.hop != 0) {
        throw std::invalid_argument("STFT hop must divide n_fft and be at most n_fft/2, got " +
                                    std::to_string(config.hop) + " for n_fft " +
                                    std::to_string(config.n_fft));
    }
}

std::uint64_t frame_count(const StftConfig& config, std::uint64_t samples) noexcept {
    return 1 + (samples + config.hop - 1) / config.hop;
}

std::vector<double> periodic_hann(std::uint32_t n) {
    std::vector<double> window(n);
    for (std::uint32_t i = 0; i < n; ++i) {
        window[i] = 0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * i / n);
    }
    return window;
}

// ---- analysis ----------------------------------------------------------------------------------

struct StftAnalyzer::Impl {
    explicit Impl(const StftConfig& c)
        : config(c),
          window(periodic_hann(c.n_fft)),
          fft(c.n_fft, false),
          in(c.n_fft),
          out(c.n_fft) {
        pending.assign(c.n_fft / 2, 0.0);  // front padding: frame 0 is centred on sample 0
    }

    StftConfig config;
    std::vector<double> window;
    kissfft<double> fft;
    std::vector<std::complex<double>> in, out;
    std::vector<double> pending;  // padded signal not yet consumed; starts at `start`
    std::size_t start = 0;
    std::uint64_t pushed = 0;
    bool finished = false;
};

StftAnalyzer::StftAnalyzer(const StftConfig& config) {
    validate(config);
    impl_ = std::make_unique<Impl>(config);
}
StftAnalyzer::~StftAnalyzer() = default;
StftAnalyzer::StftAnalyzer(StftAnalyzer&&) noexcept = default;
StftAnalyzer& StftAnalyzer::operator=(StftAnalyzer&&) noexcept = default;

void StftAnalyzer::push(std::span<const float> samples) {
    if (impl_->finished) throw std::logic_error("StftAnalyzer::push after finish");
    impl_->pending.insert(impl_->pending.end(), samples.begin(), samples.end());
    impl_->pushed += samples.size();
}

void StftAnalyzer::finish() {
    if (impl_->finished) return;
    impl_->finished = true;
    // Frames still to come span up to (frames - 1) * hop + n_fft padded samples in total.
    const auto& c = impl_->config;
    const std::uint64_t padded_total = (frame_count(c, impl_->pushed) - 1) * c.hop + c.n_fft;
    const std::uint64_t padded_so_far = c.n_fft / 2 + impl_->pushed;
    impl_->pending.resize(impl_->pending.size() + (padded_total - padded_so_far), 0.0);
}

bool StftAnalyzer::next_frame(Spectrum bins) {
    Impl& s = *impl_;
    const std::uint32_t n = s.config.n_fft;
    if (bins.size() != s.config.bins()) throw std::invalid_argument("STFT frame size mismatch");
    if (s.pending.size() - s.start < n) return false;
    for (std::uint32_t i = 0; i < n; ++i) s.in[i] = {s.pending[s.start + i] * s.window[i], 0.0};
    s.fft.transform(s.in.data(), s.out.data());
    std::copy_n(s.out.begin(), bins.size(), bins.begin());
    s.start += s.config.hop;
    // Drop consumed samples once they are most of the buffer: amortised O(1) per sample.
    if (s.start > n && s.start * 2 > s.pending.size()) {
        s.pending.erase(s.pending.begin(),
                        s.pending.begin() + static_cast<std::ptrdiff_t>(s.start));
        s.start = 0;
    }
    return true;
}

// ---- synthesis ---------------------------------------------------------------------------------

struct StftSynthesizer::Impl {
    Impl(const StftConfig& c, std::uint64_t n_samples)
        : config(c),
          window(periodic_hann(c.n_fft)),
          ifft(c.n_fft, true),
          in(c.n_fft),
          out(c.n_fft),
          sum(c.n_fft, 0.0),
          weight(c.n_fft, 0.0),
          samples(n_samples),
          frames(frame_count(c, n_samples)) {}

    StftConfig config;
    std::vector<double> window;
    kissfft<double> ifft;
    std::vector<std::complex<double>> in, out;
    std::vector<double> sum;     // overlap-added windowed frames, from padded position `position`
    std::vector<double> weight;  // overlap-added squared windows, same positions
    std::vector<float> ready;    // finished output samples not yet pulled
    std::uint64_t samples;
    std::uint64_t frames;
    std::uint64_t frames_in = 0;
    std::uint64_t position = 0;  // padded position of sum[0]
    std::uint64_t emitted = 0;   // original samples emitted

    // Moves `count` finished padded samples from the front of the accumulators to `ready`.
    void emit(std::uint32_t count) {
        const std::uint64_t pad = config.n_fft / 2;
        for (std::uint32_t i = 0; i < count; ++i) {
            const std::uint64_t at = position + i;
            if (at < pad || emitted >= samples) continue;  // padding
            const double value = weight[i] > kMinWindowSum ? sum[i] / weight[i] : 0.0;
            ready.push_back(static_cast<float>(value));
            ++emitted;
        }
        std::copy(sum.begin() + count, sum.end(), sum.begin());
        std::fill(sum.end() - count, sum.end(), 0.0);
        std::copy(weight.begin() + count, weight.end(), weight.begin());
        std::fill(weight.end() - count, weight.end(), 0.0);
        position += count;
    }
};

StftSynthesizer::StftSynthesizer(const StftConfig& config, std::uint64_t samples) {
    validate(config);
    impl_ = std::make_unique<Impl>(config, samples);
}
StftSynthesizer::~StftSynthesizer() = default;
StftSynthesizer::StftSynthesizer(StftSynthesizer&&) noexcept = default;
StftSynthesizer& StftSynthesizer::operator=(StftSynthesizer&&) noexcept = default;

void StftSynthesizer::push_frame(ConstSpectrum bins) {
    Impl& s = *impl_;
    const std::uint32_t n = s.config.n_fft;
    if (bins.size() != s.config.bins()) throw std::invalid_argument("STFT frame size mismatch");
    if (s.frames_in == s.frames) throw std::logic_error("StftSynthesizer: more frames than signal");
    // Hermitian spectrum of a real frame; DC and Nyquist are real by definition.
    s.in[0] = {bins[0].real(), 0.0};
    s.in[n / 2] = {bins[n / 2].real(), 0.0};
    for (std::uint32_t k = 1; k < n / 2; ++k) {
        s.in[k] = bins[k];
        s.in[n - k] = std::conj(bins[k]);
    }
    s.ifft.transform(s.in.data(), s.out.data());
    for (std::uint32_t i = 0; i < n; ++i) {
        // kissfft's inverse is unscaled: divide by n.
        s.sum[i] += s.out[i].real() / n * s.window[i];
        s.weight[i] += s.window[i] * s.window[i];
    }
    ++s.frames_in;
    // No later frame reaches the first hop samples; after the last frame, nothing is pending.
    s.emit(s.frames_in == s.frames ? n : s.config.hop);
}

void StftSynthesizer::pull(std::vector<float>& out) {
    out.insert(out.end(), impl_->ready.begin(), impl_->ready.end());
    impl_->ready.clear();
}

}  // namespace extrema::lowrank
