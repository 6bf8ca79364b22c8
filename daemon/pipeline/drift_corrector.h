#pragma once
// Clock drift correction on the receive path (SPEC: "sender/receiver clock drift corrected by
// slight resampling so latency neither grows nor drains").
//
// The playback callback pulls the sender's timeline out of the jitter buffer at the sound card's
// own clock. A sender whose clock runs fast
// fills the jitter buffer (latency grows), a slow one drains it (underruns). The corrector sits
// between the two:
//  - Measurement: observe() is given the buffer level once per fill; the level error is averaged
//    over window_s, weighted by time. The mean, not the minimum: over 100 packets it cancels the
//    sawtooth of arrivals (+packet_ms on arrival, draining in between), and a late packet moves it
//    by (lateness x packet_ms / window) only, where the window minimum would be set by that one
//    packet. Caveat: fills locked to our clock at the packet period (480-sample fills, 10 ms
//    packets) see the level at one phase of the sawtooth only, so it moves in steps of a packet;
//    observing right after inserting a packet, or any other fill size, avoids that.
//  - Control: bypass until the mean error leaves the dead band; then correct by the drift
//    estimate (feed-forward) plus a proportional term on the error, slew-limited and clamped to
//    max_correction_ppm; back to bypass once the error is within release_ms. The drift estimate
//    is the least-squares slope of the level the buffer would have without any correction,
//    fitted over drift_fit_s: it holds the right rate from the first sample of each correction,
//    so the proportional term only steers the level error back to zero.
//  - Resampler: libsamplerate's SRC_LINEAR. At a whole-sample read position it returns the input
//    sample itself, it keeps one sample of history and adds no group delay, so it can start and
//    stop on any sample without a step. Its price is the droop of two-point interpolation, set
//    by the fractional read position mu (the ratio only sets how fast mu turns, once per
//    1/|ratio - 1| samples): |H|^2 = 1 - 2 mu (1 - mu) (1 - cos(2 pi f / fs)). Worst case
//    (mu = 1/2) at 48 kHz: -0.22 dB at 3.4 kHz, -0.30 dB at 4 kHz, -1.25 dB at 8 kHz, half that
//    on average over mu, and only while correcting: inaudible on voice. SRC_SINC_FASTEST is flat
//    to 20 kHz but delays the signal by its half filter length and needs that much history:
//    switching in and out would need a matching delay and a cross-fade in bypass, and bypass
//    would no longer be the source itself.
//  - Transitions: engaging starts the converter at ratio 1 on the very sample bypass would have
//    played next, then slews the ratio; releasing first lands: for landing_ms the ratio is set so
//    that the read position arrives exactly on a whole sample, and bypass resumes on that sample.
//    Nothing is skipped, repeated or stepped over, so no click.
//
// How well it holds the level, measured by test_drift: docs/daemon.md ("Drift").
// No allocation, lock or system call after construction; single-threaded (the playout thread:
// the sink's callback or pump).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <type_traits>
#include <vector>

struct SRC_STATE_tag;  // libsamplerate's converter, kept out of this header

namespace extrema::pipeline {

struct DriftCorrectorConfig {
    // Stream rate; converts the ms and s settings to samples. 48 kHz: the link's default.
    double sample_rate_hz = 48000.0;
    // Most samples converted at once; the scratch buffer is sized by it and a larger `out` is
    // done in pieces. 4096: above any sound-card period in use (64..2048), 16 KiB of floats.
    std::size_t max_block_samples = 4096;
    // Largest rate correction. Crystals are within +-100 ppm, so two ends differ by up to 200
    // ppm; 1000 ppm (0.1 %) leaves room for a poor USB clock plus 800 ppm to win back a level
    // error (1 ms in 1.25 s), and is a pitch shift of 1.7 cents, well under the ~5 cent just
    // noticeable difference.
    double max_correction_ppm = 1000.0;
    // Mean level error tolerated before correcting. 2 ms: ten times the noise of a 1-s mean on a
    // LAN (sawtooth remainder plus jitter/sqrt(100) is ~0.2 ms), so a shared clock never starts
    // correcting, yet the latency wanders by no more than an unnoticeable 2 ms. At 200 ppm the
    // level takes 10 s to get there: one correction every 20 s or so.
    double deadband_ms = 2.0;
    // Back to bypass once the mean error is within this. A quarter of the dead band: hysteresis,
    // so that noise at the edge does not switch back and forth, and a fresh start from near zero.
    double release_ms = 0.5;
    // Averaging window of the level measurement. 1 s is 100 packets of 10 ms: the packet
    // sawtooth cancels to a fraction of a percent and arrival jitter shrinks tenfold, while the
    // window stays short next to the 5-s time constant of the loop (little lag to destabilise it).
    double window_s = 1.0;
    // Correction per ms of mean level error, on top of the drift estimate. 200 ppm/ms: a time
    // constant of 1000 / 200 = 5 s, gentle next to the 1-s measurement; 2 ms of error calls for
    // 400 ppm, still a fraction of the clamp.
    double gain_ppm_per_ms = 200.0;
    // Fastest change of the correction. 500 ppm/s reaches the usual correction in under a
    // second; a pitch glide of 0.9 cents per second is far below anything audible.
    double max_slew_ppm_per_s = 500.0;
    // Time the landing takes. The landing ratio is off 1 by at most 0.5 / landing samples:
    // 20 ms keeps that within 521 ppm at 48 kHz (under the clamp; it is lengthened if the clamp
    // is lower) and barely delays the return to bypass.
    double landing_ms = 20.0;
    // Span of the drift fit. 60 s of 1-s means: a slope good to ~2 ppm with 0.2 ms of noise per
    // mean, and short enough to follow a crystal warming up (ppm per minute at most).
    double drift_fit_s = 60.0;
    // No drift estimate before this much history. 10 s: the slope is then good to ~20 ppm even
    // with 0.2 ms of noise per mean; before that, correction is on the error alone.
    double drift_min_fit_s = 10.0;
    // A jump of the uncorrected level by more than this between means is an event (an underrun
    // after a network stall, a burst), not drift: the fit shifts its history to remove it. 15 ms:
    // above one 10-ms packet (a level step that fills locked to the packet period do see) plus
    // noise, below the jump of an underrun through a 20-ms buffer.
    double fit_jump_ms = 15.0;
};

class SampleSource;

// A callable that fills the span of samples it is given (and is not a SampleSource itself).
template <typename F>
concept SampleFiller = std::is_invocable_v<F&, std::span<float>> &&
    !std::is_same_v<std::remove_cvref_t<F>, SampleSource>;

// A non-owning reference to a SampleFiller: the corrector's sample source, called without a
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

class DriftCorrector {
  public:
    // Allocates everything (the converter, the scratch buffer, the fit's history). Throws
    // std::invalid_argument for a config out of range, std::runtime_error if libsamplerate fails.
    explicit DriftCorrector(const DriftCorrectorConfig& config = {});
    ~DriftCorrector();
    DriftCorrector(DriftCorrector&&) noexcept;
    DriftCorrector& operator=(DriftCorrector&&) noexcept;

    // Once per fill: the jitter buffer's level (samples ahead of playout) and the level to hold.
    // Pass as target the mean the level has when all is well (the sawtooth's mean sits about
    // half a packet below the level playout started at). Non-finite values are ignored.
    void observe(double level_samples, double target_samples) noexcept;

    // Fills all of `out` (mono, normalised) from `pull(std::span<float>)`, which must fill the
    // span it is given (the jitter buffer conceals what is missing) and must not throw. In
    // bypass `out` is exactly what pull gives, sample for sample.
    template <typename Pull>
    void process(std::span<float> out, Pull&& pull) noexcept {
        process_from(out, SampleSource(pull));
    }
    void process_from(std::span<float> out, SampleSource pull) noexcept;

    // Output rate / input rate now: 1 in bypass, below 1 while draining a high level.
    double ratio() const noexcept;
    // Resampling (including the landing back to bypass).
    bool correcting() const noexcept { return mode_ != Mode::kBypass; }
    // The sender's clock against ours, ppm (positive: the sender is fast); 0 until known.
    double drift_ppm() const noexcept { return drift_ppm_; }
    // The latest window's mean level error, samples (positive: above target).
    double mean_error_samples() const noexcept { return mean_error_; }
    // Forgets the measurement and the drift estimate (after a resync or a new sender) and
    // returns to bypass at once, on the nearest whole sample. Samples already taken from the
    // source are still played.
    void reset() noexcept;

    const DriftCorrectorConfig& config() const noexcept { return config_; }

  private:
    enum class Mode { kBypass, kResampling, kLanding };
    struct ConverterDeleter {
        void operator()(SRC_STATE_tag* converter) const noexcept;
    };

    // Time-weighted mean over windows of output time; each observation holds until the next.
    struct LevelWindow {
        double length = 0.0;  // samples
        bool has_held = false;
        double held_error = 0.0, held_uncorrected = 0.0;
        std::uint64_t held_at = 0, started_at = 0;
        double sum_error = 0.0, sum_uncorrected = 0.0, weight = 0.0;
        // Means of the window that closed, valid when add() returns true.
        double mean_error = 0.0, mean_uncorrected = 0.0, middle = 0.0;

        bool add(double error, double uncorrected, std::uint64_t now) noexcept;
        void clear() noexcept;
    };

    // Least-squares slope of the uncorrected level over the last means (a ring).
    struct DriftFit {
        std::vector<double> times, levels;
        std::size_t next = 0, count = 0, min_count = 0;
        double jump = 0.0;  // samples
        double slope = 0.0;
        bool known = false;

        void add(double time, double level) noexcept;
        void clear() noexcept;
        void fit() noexcept;
    };

    void on_window() noexcept;
    std::size_t pass_through(std::span<float> out, SampleSource& pull) noexcept;
    std::size_t resample(std::span<float> out, SampleSource& pull) noexcept;
    void drop_skipped(SampleSource& pull) noexcept;
    void engage(SampleSource& pull) noexcept;
    void begin_landing() noexcept;
    void snap_to_bypass() noexcept;
    void slew(std::size_t samples) noexcept;
    void top_up(std::size_t wanted, SampleSource& pull) noexcept;
    std::size_t pending() const noexcept { return tail_ - head_; }

    DriftCorrectorConfig config_;
    double deadband_samples_ = 0.0;
    double release_samples_ = 0.0;
    std::uint64_t landing_samples_ = 0;

    std::unique_ptr<SRC_STATE_tag, ConverterDeleter> converter_;
    // Samples taken from the source and not yet consumed: [head_, tail_).
    std::vector<float> pending_;
    std::size_t head_ = 0;
    std::size_t tail_ = 0;
    std::uint64_t skip_ = 0;  // source samples to pass over before bypass resumes

    Mode mode_ = Mode::kBypass;
    bool engage_wanted_ = false;
    bool release_wanted_ = false;
    float last_consumed_ = 0.0f;   // the converter's left interpolation point
    double phase_ = 0.0;           // next read position, samples after last_consumed_
    double target_ppm_ = 0.0;      // correction the controller asks for
    double correction_ppm_ = 0.0;  // correction applied (slewed toward the target)
    double landing_ratio_ = 1.0;
    std::uint64_t landing_left_ = 0;

    std::uint64_t output_total_ = 0;  // samples produced: our clock
    std::uint64_t pulled_total_ = 0;  // samples taken from the source
    LevelWindow window_;
    DriftFit fit_;
    double mean_error_ = 0.0;
    double drift_ppm_ = 0.0;
};

}  // namespace extrema::pipeline
