#pragma once
// Clock drift correction and latency steering on the receive path: the latency tuner and the
// resampler, chained. The playback callback pulls the sender's timeline out of the jitter buffer
// at the sound card's own clock. A sender whose clock runs fast fills the jitter buffer (latency
// grows), a slow one drains it (underruns); a target that moves (SIGHUP, the adaptive target)
// must be reached without a gap. The corrector sits between the buffer and the sink:
//
//   observe(level, target) -> LatencyTuner (level means, drift fit, control)  -> Steer
//   process(out, pull)     -> Resampler    (bypass, or libsamplerate at the steered ratio)
//
// How each works and why: latency_tuner.h, resampler.h. How well it holds the level, measured by
// test_drift: docs/daemon.md ("Drift").
// No allocation, lock or system call after construction; single-threaded (the playout thread:
// the sink's callback or pump).
#include <cstddef>
#include <cstdint>
#include <span>

#include "extrema/codec/sample_rate.h"
#include "pipeline/latency_tuner.h"
#include "pipeline/resampler.h"

namespace extrema::pipeline {

struct DriftCorrectorConfig {
    // Stream rate; converts the ms and s settings to samples.
    double sample_rate_hz = codec::kDefaultSampleRateHz;
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
    // Growth toward a target that rose (the adaptive latency target): off for a fixed target,
    // whose level only drift moves. When on, each rise of the target is stretched in: by
    // growth_gain_ppm_per_ms per ms still owed, up to max_growth_ppm, the ratio moving at
    // growth_slew_ppm_per_s, until less than growth_done_ms is owed (latency_tuner.h). 5 %
    // (50000 ppm) grows 50 ms in a second, so packets that come late stop coming late within a
    // second or two, where the 1000-ppm clamp would take a minute. It is a pitch drop of 0.9
    // semitone for that second, in a stream that is then losing packets to lateness, which is
    // worse. 5000 ppm per ms owed closes the rest with a time constant of 0.2 s; a slew of
    // 10^6 ppm/s reaches full speed in 50 ms (a glide, not a step) and follows that decay, so the
    // growth ends within half a ms of what was owed.
    bool fast_growth = false;
    double max_growth_ppm = 50000.0;
    double growth_gain_ppm_per_ms = 5000.0;
    double growth_slew_ppm_per_s = 1000000.0;
    double growth_done_ms = 0.5;
};

class DriftCorrector {
  public:
    // Allocates everything (the converter, the scratch buffer, the fit's history). Throws
    // std::invalid_argument for a config out of range, std::runtime_error if libsamplerate fails.
    explicit DriftCorrector(const DriftCorrectorConfig& config = {});

    // Once per fill: the jitter buffer's level (samples ahead of playout) and the level to hold.
    // Pass as target the mean the level has when all is well (the sawtooth's mean sits about
    // half a packet below the level playout started at). Non-finite values are ignored.
    void observe(double level_samples, double target_samples) noexcept {
        if (tuner_.observe(level_samples, target_samples, resampler_)) {
            resampler_.steer(tuner_.steer());
        }
    }

    // Playout (re)started: hold the level of the next window (LatencyTuner::anchor).
    void anchor() noexcept { tuner_.anchor(); }

    // Instead of observe() while the level says nothing (a DTX pause): the measurement holds,
    // the resampler keeps its ratio.
    void hold() noexcept { tuner_.hold(resampler_.output_total()); }

    // Fills all of `out` (mono, normalised) from `pull(std::span<float>)`, which must fill the
    // span it is given (the jitter buffer conceals what is missing) and must not throw. In
    // bypass `out` is exactly what pull gives, sample for sample.
    template <typename Pull>
    void process(std::span<float> out, Pull&& pull) noexcept {
        resampler_.process(out, SampleSource(pull));
    }
    void process_from(std::span<float> out, SampleSource pull) noexcept {
        resampler_.process(out, pull);
    }

    // Output rate / input rate now: 1 in bypass, below 1 while draining a high level.
    double ratio() const noexcept { return resampler_.ratio(); }
    // Resampling (including the landing back to bypass).
    bool correcting() const noexcept { return !resampler_.bypass(); }
    // The sender's clock against ours, ppm (positive: the sender is fast); 0 until known.
    double drift_ppm() const noexcept { return tuner_.drift_ppm(); }
    // The latest window's mean level error, samples (positive: above target).
    double mean_error_samples() const noexcept { return tuner_.mean_error_samples(); }
    // Samples the resampler has added to the latency so far (played beyond what it took from
    // the source; negative when it drained more than it stretched).
    double stretched_samples() const noexcept {
        return static_cast<double>(resampler_.output_total()) -
               static_cast<double>(resampler_.pulled_total());
    }
    // Forgets the measurement and the drift estimate (after a resync or a new sender) and
    // returns to bypass at once, on the nearest whole sample. Samples already taken from the
    // source are still played.
    void reset() noexcept {
        resampler_.reset();
        tuner_.reset();
    }

    const DriftCorrectorConfig& config() const noexcept { return config_; }
    const LatencyTuner& tuner() const noexcept { return tuner_; }

  private:
    DriftCorrectorConfig config_;
    LatencyTuner tuner_;
    Resampler resampler_;
};

}  // namespace extrema::pipeline
