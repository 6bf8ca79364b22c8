#pragma once
// Comfort noise (RFC 3389): the sender describes its background noise by a level and an all-pole
// spectral envelope; the receiver plays noise with that description through the pauses in which
// DTX sends no audio, so the line never drops to a dead silence that sounds like a hang-up.
//
//  - ComfortNoiseEstimator (sender): fed the frames the VAD calls noise, it keeps a smoothed
//    autocorrelation and turns it into a NoiseDescription: the mean square in dBov (0 dBov = a
//    full-scale square wave, the normalised samples' 1.0) and reflection coefficients by the
//    Levinson-Durbin recursion.
//  - ComfortNoiseGenerator (receiver): white noise through the lattice synthesis filter of those
//    coefficients, scaled so that its mean square is the signalled level. A new description
//    takes effect at once for the spectrum (a lattice with |k| < 1 is always stable) and over
//    a short ramp for the gain, so updates make no clicks.
//
// Conventions: A(z) = 1 + a_1 z^-1 + ... + a_p z^-p is the noise's whitening (prediction error)
// filter, built order by order as A_m(z) = A_(m-1)(z) + k_m z^-m A_(m-1)(1/z), so a_m = k_m;
// white noise through 1 / A(z) has the noise's spectral shape. The same convention is written
// down for the wire in docs/wire.md.
//
// Pure and real-time safe: no allocation after construction, deterministic.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace extrema::codec {

// Longest spectral model carried (RFC 3389 leaves the order to the sender).
inline constexpr std::size_t kMaxNoiseOrder = 32;
// RFC 3389's level range: 0 .. -127 dBov.
inline constexpr double kQuietestNoiseDbov = -127.0;

struct NoiseDescription {
    double level_dbov = kQuietestNoiseDbov;  // mean square of the noise, dB relative to 1.0
    std::size_t order = 0;                   // coefficients used; 0 = white noise
    std::array<double, kMaxNoiseOrder> reflection{};  // k_1 .. k_order, each in (-1, 1)
};

// Reflection coefficients of the autocorrelation r[0..order] by Levinson-Durbin (convention
// above). Returns the order reached: lower than asked when the recursion meets a non-positive
// error (a signal predictable to the last bit, or r[0] == 0), which stops it there. `out` holds
// at least `order` values.
std::size_t reflection_coefficients(std::span<const double> autocorrelation, std::size_t order,
                                    std::span<double> out) noexcept;

class ComfortNoiseEstimator {
  public:
    // `order`: spectral model order, 0..kMaxNoiseOrder. `smoothing_ms`: time constant of the
    // average over noise frames. Throws std::invalid_argument out of range.
    ComfortNoiseEstimator(double sample_rate_hz, std::size_t order, double smoothing_ms);

    // One frame of background noise (normalised samples; any length up to a few thousand).
    void add_noise(std::span<const float> frame) noexcept;
    // The noise heard so far; the quietest level and no shape before any frame.
    NoiseDescription describe() const noexcept;
    bool has_estimate() const noexcept { return frames_ > 0; }
    void reset() noexcept;

  private:
    double rate_hz_;
    std::size_t order_;
    double smoothing_samples_;
    std::array<double, kMaxNoiseOrder + 1> autocorrelation_{};  // per sample, smoothed
    std::uint64_t frames_ = 0;
};

class ComfortNoiseGenerator {
  public:
    // `ramp_ms`: how long a gain change takes. Throws std::invalid_argument out of range.
    explicit ComfortNoiseGenerator(double sample_rate_hz, double ramp_ms = 10.0,
                                   std::uint64_t seed = 0x9e3779b97f4a7c15ULL);

    // The noise to play from now on. Coefficients with |k| >= 1 are clamped inside the unit
    // interval (a hostile or rounded description can never make the filter unstable).
    void set(const NoiseDescription& description) noexcept;
    // Fills `out` with noise (normalised samples).
    void generate(std::span<float> out) noexcept;
    // Starts the next noise from silence (gain ramps up from 0) with a clear filter state.
    void reset() noexcept;

    // Mean square the noise is scaled to (the level set, as a power).
    double target_mean_square() const noexcept { return target_mean_square_; }

  private:
    float next_excitation() noexcept;

    std::size_t ramp_samples_;
    std::uint64_t state_;
    std::size_t order_ = 0;
    std::array<double, kMaxNoiseOrder> k_{};
    std::array<double, kMaxNoiseOrder> b_{};  // b_(m)[n-1], m = 0..order-1
    double target_mean_square_ = 0.0;
    double target_gain_ = 0.0;  // excitation scale for the level set
    double gain_ = 0.0;         // current scale, ramping to target_gain_
    double gain_step_ = 0.0;
};

}  // namespace extrema::codec
