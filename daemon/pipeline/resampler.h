#pragma once
// Receive stage 5: the resampler. Plays the timeline at the rate the latency tuner asks for.
//
// libsamplerate's SRC_LINEAR. At a whole-sample read position it returns the input sample
// itself, it keeps one sample of history and adds no group delay, so it can start and stop on
// any sample without a step. Its price is the droop of two-point interpolation, set by the
// fractional read position mu (the ratio only sets how fast mu turns, once per 1/|ratio - 1|
// samples): |H|^2 = 1 - 2 mu (1 - mu) (1 - cos(2 pi f / fs)). Worst case (mu = 1/2) at 48 kHz:
// -0.22 dB at 3.4 kHz, -0.30 dB at 4 kHz, -1.25 dB at 8 kHz, half that on average over mu, and
// only while correcting: inaudible on voice. SRC_SINC_FASTEST is flat to 20 kHz but delays the
// signal by its half filter length and needs that much history: switching in and out would need
// a matching delay and a cross-fade in bypass, and bypass would no longer be the source itself.
//
// Modes: bypass (the source itself, sample for sample) until steered to engage; engaging starts
// the converter at ratio 1 on the very sample bypass would have played next, then slews the
// correction toward the target; releasing first lands: for landing_ms the ratio is set so that
// the read position arrives exactly on a whole sample, and bypass resumes on that sample.
// Nothing is skipped, repeated or stepped over, so no click.
// No allocation, lock or system call after construction; single-threaded (the playout thread).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <type_traits>
#include <vector>

#include "extrema/codec/sample_rate.h"

struct SRC_STATE_tag;  // libsamplerate's converter, kept out of this header

namespace extrema::pipeline {

struct ResamplerConfig {
    double sample_rate_hz = codec::kDefaultSampleRateHz;
    std::size_t max_block_samples = 4096;
    // Largest correction either way, ppm: the buffer it reads ahead is sized by it.
    double max_correction_ppm = 1000.0;
    double landing_ms = 20.0;
};

// What the latency tuner asks of the resampler.
struct Steer {
    double target_ppm = 0.0;        // correction wanted (positive: consume the source faster)
    double slew_ppm_per_s = 500.0;  // how fast the applied correction may move toward it
    bool engage = false;            // leave bypass (if in it)
    bool release = false;           // land and return to bypass (if resampling)
};

class SampleSource;

// A callable that fills the span of samples it is given (and is not a SampleSource itself).
template <typename F>
concept SampleFiller = std::is_invocable_v<F&, std::span<float>> &&
    !std::is_same_v<std::remove_cvref_t<F>, SampleSource>;

// A non-owning reference to a SampleFiller: the resampler's sample source, called without a
// std::function or any allocation. The callable must outlive the call it is passed to.
class SampleSource {
  public:
    template <SampleFiller F>
    SampleSource(F& source) noexcept  // NOLINT(google-explicit-constructor): a reference type
        : object_(const_cast<void*>(static_cast<const void*>(std::addressof(source)))),
          call_([](void* object, std::span<float> out) noexcept {
              (*static_cast<F*>(object))(out);
          }) {}
    void operator()(std::span<float> out) const noexcept { call_(object_, out); }

  private:
    void* object_;
    void (*call_)(void*, std::span<float>) noexcept;
};

class Resampler {
  public:
    // Allocates the converter and the scratch buffer. Throws std::invalid_argument for a config
    // out of range, std::runtime_error if libsamplerate fails.
    explicit Resampler(const ResamplerConfig& config);
    ~Resampler();
    Resampler(Resampler&&) noexcept;
    Resampler& operator=(Resampler&&) noexcept;

    // The tuner's latest decision; its engage/release take effect at the next process().
    void steer(const Steer& steer) noexcept;
    // Fills all of `out` from `pull`, which must fill the span it is given and must not throw.
    // In bypass `out` is exactly what pull gives, sample for sample.
    void process(std::span<float> out, SampleSource pull) noexcept;
    // Back to bypass at once, on the nearest whole sample; forgets the steer. Samples already
    // taken from the source are still played.
    void reset() noexcept;

    // Output rate / input rate now: 1 in bypass, below 1 while draining a high level.
    double ratio() const noexcept;
    bool bypass() const noexcept { return mode_ == Mode::kBypass; }
    bool resampling() const noexcept { return mode_ == Mode::kResampling; }
    // Samples produced (our clock) and taken from the source.
    std::uint64_t output_total() const noexcept { return output_total_; }
    std::uint64_t pulled_total() const noexcept { return pulled_total_; }

  private:
    enum class Mode { kBypass, kResampling, kLanding };
    struct ConverterDeleter {
        void operator()(SRC_STATE_tag* converter) const noexcept;
    };

    std::size_t pass_through(std::span<float> out, SampleSource& pull) noexcept;
    std::size_t resample(std::span<float> out, SampleSource& pull) noexcept;
    void drop_skipped(SampleSource& pull) noexcept;
    void engage(SampleSource& pull) noexcept;
    void begin_landing() noexcept;
    void snap_to_bypass() noexcept;
    void slew(std::size_t samples) noexcept;
    void top_up(std::size_t wanted, SampleSource& pull) noexcept;
    std::size_t pending() const noexcept { return tail_ - head_; }

    ResamplerConfig config_;
    std::uint64_t landing_samples_ = 0;

    std::unique_ptr<SRC_STATE_tag, ConverterDeleter> converter_;
    // Samples taken from the source and not yet consumed: [head_, tail_).
    std::vector<float> pending_;
    std::size_t head_ = 0;
    std::size_t tail_ = 0;
    std::uint64_t skip_ = 0;  // source samples to pass over before bypass resumes

    Mode mode_ = Mode::kBypass;
    Steer steer_;
    float last_consumed_ = 0.0f;   // the converter's left interpolation point
    double phase_ = 0.0;           // next read position, samples after last_consumed_
    double correction_ppm_ = 0.0;  // correction applied (slewed toward the target)
    double landing_ratio_ = 1.0;
    std::uint64_t landing_left_ = 0;

    std::uint64_t output_total_ = 0;
    std::uint64_t pulled_total_ = 0;
};

}  // namespace extrema::pipeline
