#pragma once
// Receive stage 4: the latency tuner. Decides how fast the resampler consumes the timeline so
// that the jitter buffer's level holds its target (SPEC: "sender/receiver clock drift corrected
// by slight resampling so latency neither grows nor drains"), and moves the level when the
// target moves (the adaptive target: AdaptiveLatency).
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
//    so the proportional term only steers the level error back to zero. A drift that would
//    carry the level across the dead band within drift_fit_s, once the fit spans all of it, is
//    corrected all the time once anchored (engaged whatever the error, never released): the
//    level then holds its set point instead of wandering through the dead band on the side the
//    drift pushes.
//  - Anchor (a fixed target, ReceivePath): the set point is the mean level of the first window
//    after playout (re)starts, not the target's estimate of it, and the error is read off the
//    drift fit's line rather than the last window's mean (each within the dead band of the
//    other). Arrivals reach the buffer on the grid of the network thread's wake-ups, so a
//    window's mean lies below the level by a fraction of that grid, a fraction that jumps by
//    the whole grid whenever the drift carries the packets across a grid line; steering to the
//    means would move the latency by those jumps.
//  - Growth (with fast_growth): a target that rises (the adaptive one, because packets came
//    late) is not left to the 1-s window and the gentle gain. What the target then lies above
//    the level (the last window's mean plus the stretch since; before the first window closes,
//    the mean so far, never one fill's level, which may be the top of the packet sawtooth) is
//    owed: the tuner steers a stretch of growth_gain_ppm_per_ms per ms still owed, up to
//    max_growth_ppm, counts what the resampler adds, and hands back to the ordinary control once
//    the rest is under growth_done_ms. Open loop on purpose: the level itself, with tens of ms
//    of jitter, swings by more than any threshold that could tell a rise from noise. A target
//    that falls is left to the ordinary control (gentle, at most max_correction_ppm).
// No allocation after construction; single-threaded (the playout thread).
#include <cstddef>
#include <cstdint>
#include <vector>

#include "extrema/codec/sample_rate.h"
#include "pipeline/resampler.h"

namespace extrema::pipeline {

struct LatencyTunerConfig {
    double sample_rate_hz = codec::kDefaultSampleRateHz;
    double max_correction_ppm = 1000.0;
    double deadband_ms = 2.0;
    double release_ms = 0.5;
    double window_s = 1.0;
    double gain_ppm_per_ms = 200.0;
    double max_slew_ppm_per_s = 500.0;
    double drift_fit_s = 60.0;
    double drift_min_fit_s = 10.0;
    double fit_jump_ms = 15.0;
    bool fast_growth = false;
    double max_growth_ppm = 50000.0;
    double growth_gain_ppm_per_ms = 5000.0;
    double growth_slew_ppm_per_s = 1000000.0;
    double growth_done_ms = 0.5;
};

class LatencyTuner {
  public:
    // Allocates the fit's history. Throws std::invalid_argument for a config out of range.
    explicit LatencyTuner(const LatencyTunerConfig& config);

    // Once per fill: the level (samples ahead of playout), the mean level to hold, and the
    // resampler's totals (what it took beyond what it played is still "in the buffer" for the
    // drift fit). Returns true when the steer changed (pass steer() to the resampler).
    // Non-finite values are ignored.
    bool observe(double level_samples, double target_samples, const Resampler& resampler) noexcept;
    const Steer& steer() const noexcept { return steer_; }

    // The sender's clock against ours, ppm (positive: the sender is fast); 0 until known.
    double drift_ppm() const noexcept { return drift_ppm_; }
    // The latest window's mean level error, samples (positive: above target).
    double mean_error_samples() const noexcept { return mean_error_; }
    // Growing the level toward a target well above it (fast_growth).
    bool growing() const noexcept { return growing_; }
    // Forgets the measurement and the drift estimate (after a resync or a new sender).
    void reset() noexcept;
    // Playout (re)started: the mean level of the next window becomes the level held (see
    // Anchor above), until reset(). The targets passed from then on are shifted by what that
    // mean lay above (or below) its target, so a target that moves still moves the level by as
    // much. The target only estimates where the arrivals settle the level (the start, the fill
    // and packet phases); steering to the estimate would move the latency from where playout
    // put it.
    void anchor() noexcept { anchoring_ = true; }
    // No observations for a while (a DTX pause, when the level drains by design): the last
    // observation counts up to `now` (output samples) only, not through the gap, and the window
    // goes on with the next observation.
    void hold(std::uint64_t now) noexcept { window_.pause(now); }

  private:
    // Time-weighted mean over windows of output time; each observation holds until the next.
    struct LevelWindow {
        double length = 0.0;  // samples
        bool has_held = false;
        double held_error = 0.0, held_uncorrected = 0.0;
        std::uint64_t held_at = 0, started_at = 0;
        double sum_error = 0.0, sum_uncorrected = 0.0, weight = 0.0;
        // Means of the window that closed, valid when add() returns true.
        double mean_error = 0.0, mean_uncorrected = 0.0, middle = 0.0;

        bool paused = false;  // pause() since the last add(): started_at is kept

        bool add(double error, double uncorrected, std::uint64_t now) noexcept;
        void pause(std::uint64_t now) noexcept;
        void clear() noexcept;
    };

    // Least-squares slope of the uncorrected level over the last means (a ring).
    struct DriftFit {
        std::vector<double> times, levels;
        std::size_t next = 0, count = 0, min_count = 0;
        double jump = 0.0;  // samples
        double slope = 0.0;
        bool known = false;
        double line_origin = 0.0, line_level = 0.0;  // the fitted line's centre point

        // The fitted line at `time` (valid when known).
        double line(double time) const noexcept {
            return line_level + slope * (time - line_origin);
        }

        void add(double time, double level) noexcept;
        void clear() noexcept;
        void fit() noexcept;
    };

    void on_window(const Resampler& resampler) noexcept;
    bool grow(double level_samples, double target_samples, const Resampler& resampler) noexcept;

    LatencyTunerConfig config_;
    double deadband_samples_ = 0.0;
    double release_samples_ = 0.0;
    double growth_done_samples_ = 0.0;
    LevelWindow window_;
    DriftFit fit_;
    Steer steer_;
    double mean_error_ = 0.0;
    double drift_ppm_ = 0.0;
    bool growing_ = false;
    bool has_target_ = false;
    double last_target_ = 0.0;  // samples
    double owed_ = 0.0;         // growth still to stretch, samples
    double last_stretched_ = 0.0;
    bool has_window_level_ = false;
    double window_level_ = 0.0;       // the last window's mean level, samples
    double window_stretched_ = 0.0;   // the resampler's stretch when it closed
    bool anchoring_ = false;          // anchor(): the next window sets anchor_samples_
    bool anchored_ = false;           // since then (until reset)
    double anchor_samples_ = 0.0;     // the level held, less the target passed
    double anchor_error_ = 0.0;       // the anchor window's mean level, less its target
    std::size_t anchor_slot_ = 0;     // the anchor window's point in the fit's ring ...
    std::size_t anchor_windows_ = 0;  // ... until this many windows have replaced it
};

}  // namespace extrema::pipeline
