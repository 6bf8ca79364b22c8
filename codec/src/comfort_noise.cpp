#include "extrema/codec/comfort_noise.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "extrema/codec/sample_rate.h"

namespace extrema::codec {
namespace {

// A reflection coefficient this close to +-1 is a pole on the unit circle: a tone that never
// decays. Clamped so the synthesis filter always is stable, with a peak gain that stays bounded.
constexpr double kMaxReflection = 0.999;

double checked_rate(double rate_hz) {
    if (!valid_sample_rate(rate_hz))
        throw std::invalid_argument("comfort noise: sample rate out of range");
    return rate_hz;
}

}  // namespace

std::size_t reflection_coefficients(std::span<const double> r, std::size_t order,
                                    std::span<double> out) noexcept {
    order = std::min({order, r.size() > 0 ? r.size() - 1 : 0, out.size(), kMaxNoiseOrder});
    if (order == 0 || !(r[0] > 0.0)) return 0;
    std::array<double, kMaxNoiseOrder + 1> a{};
    std::array<double, kMaxNoiseOrder + 1> previous{};
    double error = r[0];
    for (std::size_t m = 1; m <= order; ++m) {
        double acc = r[m];
        for (std::size_t j = 1; j < m; ++j) acc += a[j] * r[m - j];
        const double k = -acc / error;
        if (!std::isfinite(k) || std::abs(k) >= 1.0) return m - 1;
        previous = a;
        for (std::size_t j = 1; j < m; ++j) a[j] = previous[j] + k * previous[m - j];
        a[m] = k;
        out[m - 1] = k;
        error *= 1.0 - k * k;
        if (!(error > 0.0)) return m;
    }
    return order;
}

ComfortNoiseEstimator::ComfortNoiseEstimator(double sample_rate_hz, std::size_t order,
                                             double smoothing_ms)
    : rate_hz_(checked_rate(sample_rate_hz)), order_(order) {
    if (order_ > kMaxNoiseOrder) throw std::invalid_argument("comfort noise: order above 32");
    if (!(smoothing_ms > 0.0 && smoothing_ms <= 60000.0))
        throw std::invalid_argument("comfort noise: smoothing_ms must be in (0, 60000]");
    smoothing_samples_ = smoothing_ms * rate_hz_ / 1000.0;
}

void ComfortNoiseEstimator::reset() noexcept {
    autocorrelation_.fill(0.0);
    frames_ = 0;
}

void ComfortNoiseEstimator::add_noise(std::span<const float> frame) noexcept {
    if (frame.empty()) return;
    const std::size_t n = frame.size();
    std::array<double, kMaxNoiseOrder + 1> r{};
    for (std::size_t lag = 0; lag <= order_ && lag < n; ++lag) {
        double sum = 0.0;
        for (std::size_t i = lag; i < n; ++i) sum += static_cast<double>(frame[i]) * frame[i - lag];
        r[lag] = sum / static_cast<double>(n);  // biased: keeps the sequence positive definite
    }
    // The first frame sets the estimate; later ones move it with a time constant of
    // smoothing_ms, whatever the frame length.
    const double weight =
        frames_ == 0 ? 1.0 : 1.0 - std::exp(-static_cast<double>(n) / smoothing_samples_);
    for (std::size_t lag = 0; lag <= order_; ++lag) {
        autocorrelation_[lag] += weight * (r[lag] - autocorrelation_[lag]);
    }
    ++frames_;
}

NoiseDescription ComfortNoiseEstimator::describe() const noexcept {
    NoiseDescription description;
    const double mean_square = autocorrelation_[0];
    description.level_dbov = mean_square > 0.0
                                 ? std::max(kQuietestNoiseDbov, 10.0 * std::log10(mean_square))
                                 : kQuietestNoiseDbov;
    // A little white noise on the diagonal (-40 dB, lag-window style) keeps the recursion well
    // conditioned on band-limited noise, whose high lags are nearly predictable.
    std::array<double, kMaxNoiseOrder + 1> r = autocorrelation_;
    r[0] *= 1.0001;
    description.order = reflection_coefficients(std::span<const double>(r).first(order_ + 1),
                                                order_, description.reflection);
    return description;
}

ComfortNoiseGenerator::ComfortNoiseGenerator(double sample_rate_hz, double ramp_ms,
                                             std::uint64_t seed)
    : state_(seed == 0 ? 1 : seed) {
    checked_rate(sample_rate_hz);
    if (!(ramp_ms >= 0.0 && ramp_ms <= 1000.0))
        throw std::invalid_argument("comfort noise: ramp_ms must be in [0, 1000]");
    ramp_samples_ = std::max<std::size_t>(
        1, static_cast<std::size_t>(std::lround(ramp_ms * sample_rate_hz / 1000.0)));
}

void ComfortNoiseGenerator::reset() noexcept {
    b_.fill(0.0);
    gain_ = 0.0;
    gain_step_ = (target_gain_ - gain_) / static_cast<double>(ramp_samples_);
}

void ComfortNoiseGenerator::set(const NoiseDescription& description) noexcept {
    order_ = std::min(description.order, kMaxNoiseOrder);
    double prediction_gain = 1.0;  // excitation power / output power = prod(1 - k^2)
    for (std::size_t m = 0; m < order_; ++m) {
        const double k = description.reflection[m];
        k_[m] = std::isfinite(k) ? std::clamp(k, -kMaxReflection, kMaxReflection) : 0.0;
        prediction_gain *= 1.0 - k_[m] * k_[m];
    }
    const double level = std::isfinite(description.level_dbov)
                             ? std::clamp(description.level_dbov, kQuietestNoiseDbov, 0.0)
                             : kQuietestNoiseDbov;
    target_mean_square_ = std::pow(10.0, level / 10.0);
    // The excitation has unit mean square; the all-pole filter multiplies its power by
    // 1 / prediction_gain.
    target_gain_ = std::sqrt(target_mean_square_ * prediction_gain);
    gain_step_ = (target_gain_ - gain_) / static_cast<double>(ramp_samples_);
}

float ComfortNoiseGenerator::next_excitation() noexcept {
    // xorshift64*: fast, deterministic, good enough for noise.
    state_ ^= state_ >> 12;
    state_ ^= state_ << 25;
    state_ ^= state_ >> 27;
    const std::uint64_t bits = state_ * 0x2545F4914F6CDD1DULL;
    // Uniform in [-sqrt(3), sqrt(3)): unit mean square.
    const double unit = static_cast<double>(bits >> 11) * (1.0 / 9007199254740992.0);
    return static_cast<float>((2.0 * unit - 1.0) * 1.7320508075688772);
}

void ComfortNoiseGenerator::generate(std::span<float> out) noexcept {
    for (float& sample : out) {
        if (gain_ != target_gain_) {
            gain_ += gain_step_;
            if ((gain_step_ >= 0.0 && gain_ > target_gain_) ||
                (gain_step_ < 0.0 && gain_ < target_gain_)) {
                gain_ = target_gain_;
            }
        }
        double f = gain_ * next_excitation();
        // Lattice synthesis, from order p down to 0: f_(m-1) = f_m - k_m b_(m-1)[n-1],
        // b_m[n] = b_(m-1)[n-1] + k_m f_(m-1)[n]; the output is f_0 = b_0[n].
        for (std::size_t m = order_; m-- > 0;) {
            f -= k_[m] * b_[m];
            if (m + 1 < order_) b_[m + 1] = b_[m] + k_[m] * f;
        }
        if (order_ > 0) b_[0] = f;
        sample = static_cast<float>(std::clamp(f, -1.0, 1.0));
    }
}

}  // namespace extrema::codec
