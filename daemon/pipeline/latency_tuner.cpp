#include "pipeline/latency_tuner.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace extrema::pipeline {
namespace {

constexpr double kPpm = 1e-6;

LatencyTunerConfig checked(const LatencyTunerConfig& c) {
    auto positive = [](double v) { return std::isfinite(v) && v > 0.0; };
    if (!positive(c.sample_rate_hz)) throw std::invalid_argument("sample rate must be positive");
    if (!(c.max_correction_ppm >= 1.0 && c.max_correction_ppm <= 10000.0)) {
        throw std::invalid_argument("max_correction_ppm must be 1..10000");
    }
    if (!(c.release_ms >= 0.0 && c.deadband_ms > c.release_ms && std::isfinite(c.deadband_ms))) {
        throw std::invalid_argument("need 0 <= release_ms < deadband_ms");
    }
    if (!positive(c.window_s) || !positive(c.gain_ppm_per_ms) || !positive(c.max_slew_ppm_per_s) ||
        !positive(c.fit_jump_ms)) {
        throw std::invalid_argument(
            "window, gain, slew, landing and fit jump must be positive and finite");
    }
    if (!(c.drift_min_fit_s >= 2.0 * c.window_s && c.drift_fit_s >= c.drift_min_fit_s &&
          c.drift_fit_s <= 3600.0 * c.window_s)) {
        throw std::invalid_argument(
            "need 2 windows <= drift_min_fit_s <= drift_fit_s <= 3600 windows");
    }
    if (!(c.max_growth_ppm >= c.max_correction_ppm && c.max_growth_ppm <= 100000.0) ||
        !positive(c.growth_gain_ppm_per_ms) || !positive(c.growth_slew_ppm_per_s) ||
        !positive(c.growth_done_ms)) {
        throw std::invalid_argument(
            "need max_correction_ppm <= max_growth_ppm <= 100000 and positive growth settings");
    }
    return c;
}

}  // namespace

LatencyTuner::LatencyTuner(const LatencyTunerConfig& config) : config_(checked(config)) {
    const double per_ms = config_.sample_rate_hz / 1000.0;
    deadband_samples_ = config_.deadband_ms * per_ms;
    release_samples_ = config_.release_ms * per_ms;
    growth_done_samples_ = config_.growth_done_ms * per_ms;
    window_.length = config_.window_s * config_.sample_rate_hz;
    const auto windows =
        static_cast<std::size_t>(std::ceil(config_.drift_fit_s / config_.window_s));
    fit_.times.resize(windows);
    fit_.levels.resize(windows);
    fit_.min_count =
        static_cast<std::size_t>(std::ceil(config_.drift_min_fit_s / config_.window_s));
    fit_.jump = config_.fit_jump_ms * per_ms;
    steer_.slew_ppm_per_s = config_.max_slew_ppm_per_s;
}

// ---- Measurement and control --------------------------------------------------------------

bool LatencyTuner::LevelWindow::add(double error, double uncorrected, std::uint64_t now) noexcept {
    if (has_held) {
        const auto held_for = static_cast<double>(now - held_at);
        sum_error += held_error * held_for;
        sum_uncorrected += held_uncorrected * held_for;
        weight += held_for;
    } else if (!paused) {
        started_at = now;
    }
    paused = false;
    has_held = true;
    held_error = error;
    held_uncorrected = uncorrected;
    held_at = now;
    if (weight < length) return false;
    mean_error = sum_error / weight;
    mean_uncorrected = sum_uncorrected / weight;
    middle = static_cast<double>(started_at) + weight / 2.0;
    sum_error = sum_uncorrected = weight = 0.0;
    started_at = now;
    return true;
}

void LatencyTuner::LevelWindow::pause(std::uint64_t now) noexcept {
    if (!has_held) return;
    const auto held_for = static_cast<double>(now - held_at);
    sum_error += held_error * held_for;
    sum_uncorrected += held_uncorrected * held_for;
    weight += held_for;
    has_held = false;
    paused = true;
}

void LatencyTuner::LevelWindow::clear() noexcept {
    has_held = false;
    paused = false;
    sum_error = sum_uncorrected = weight = 0.0;
}

void LatencyTuner::DriftFit::add(double time, double level) noexcept {
    if (count > 0) {
        // Where the history says this mean should be; a jump beyond noise is an event, not
        // drift: shift the history so the fit sees a continuous level.
        const std::size_t last = (next + times.size() - 1) % times.size();
        const double expected = levels[last] + (known ? slope * (time - times[last]) : 0.0);
        const double step = level - expected;
        if (std::abs(step) > jump) {
            for (std::size_t i = 0; i < count; ++i) {
                levels[(next + times.size() - 1 - i) % times.size()] += step;
            }
        }
    }
    times[next] = time;
    levels[next] = level;
    next = (next + 1) % times.size();
    count = std::min(count + 1, times.size());
    if (count >= min_count) fit();
}

void LatencyTuner::DriftFit::fit() noexcept {
    // Times relative to the oldest point keep the sums well conditioned after days of uptime.
    const std::size_t oldest = (next + times.size() - count) % times.size();
    const double origin = times[oldest];
    double mean_t = 0.0;
    double mean_l = 0.0;
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t k = (oldest + i) % times.size();
        mean_t += times[k] - origin;
        mean_l += levels[k];
    }
    mean_t /= static_cast<double>(count);
    mean_l /= static_cast<double>(count);
    double covariance = 0.0;
    double variance = 0.0;
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t k = (oldest + i) % times.size();
        const double dt = times[k] - origin - mean_t;
        covariance += dt * (levels[k] - mean_l);
        variance += dt * dt;
    }
    if (variance > 0.0) {
        slope = covariance / variance;
        known = true;
        line_origin = origin + mean_t;
        line_level = mean_l;
    }
}

void LatencyTuner::DriftFit::clear() noexcept {
    next = count = 0;
    slope = 0.0;
    known = false;
}

bool LatencyTuner::observe(double level_samples, double target_samples,
                           const Resampler& resampler) noexcept {
    if (!std::isfinite(level_samples) || !std::isfinite(target_samples)) return false;
    const std::uint64_t now = resampler.output_total();
    // The level the buffer would have if the resampler had never corrected: what it took from
    // the source beyond what it played is still "in the buffer" in that view.
    const double uncorrected =
        level_samples + (static_cast<double>(resampler.pulled_total()) - static_cast<double>(now));
    const double error = level_samples - target_samples - anchor_samples_;
    bool changed = false;
    if (window_.add(error, uncorrected, now)) {
        window_level_ = window_.mean_error + target_samples + anchor_samples_;
        on_window(resampler);
        window_stretched_ =
            -(static_cast<double>(resampler.pulled_total()) - static_cast<double>(now));
        has_window_level_ = true;
        changed = true;
    }
    if (config_.fast_growth && grow(level_samples, target_samples, resampler)) changed = true;
    return changed;
}

void LatencyTuner::on_window(const Resampler& resampler) noexcept {
    const std::size_t slot = fit_.next;
    fit_.add(window_.middle, window_.mean_uncorrected);
    if (fit_.known) drift_ppm_ = fit_.slope / kPpm;
    mean_error_ = window_.mean_error;
    if (anchoring_) {
        // This window's mean is the set point from now on.
        anchoring_ = false;
        anchored_ = true;
        anchor_slot_ = slot;
        anchor_windows_ = 0;
        anchor_error_ = mean_error_ + anchor_samples_;
        anchor_samples_ = anchor_error_;
        mean_error_ = 0.0;
    } else if (anchored_) {
        ++anchor_windows_;
    }
    if (anchored_) {
        // The level as the fit's line has it, not this window's mean (the arrival grid: see
        // the header); the anchor window is read off the same line while the fit holds it.
        if (fit_.known) {
            if (anchor_windows_ < fit_.times.size()) {
                const double anchor =
                    anchor_error_ + fit_.line(fit_.times[anchor_slot_]) - fit_.levels[anchor_slot_];
                mean_error_ += anchor_samples_ - anchor;
                anchor_samples_ = anchor;
            }
            // Bounded: a mean further off the line than the dead band is the level's own move
            // (an underrun, a burst) until the fit follows it, not the grid.
            mean_error_ += std::clamp(fit_.line(window_.middle) - window_.mean_uncorrected,
                                      -deadband_samples_, deadband_samples_);
        }
    }

    const double error_ms = mean_error_ * 1000.0 / config_.sample_rate_hz;
    const double limit = config_.max_correction_ppm;
    steer_.target_ppm = std::clamp(drift_ppm_ + config_.gain_ppm_per_ms * error_ms, -limit, limit);
    if (!growing_) steer_.slew_ppm_per_s = config_.max_slew_ppm_per_s;
    const double magnitude = std::abs(mean_error_);
    const bool sustained =
        anchored_ && fit_.known &&
        std::abs(fit_.slope) * config_.drift_fit_s * config_.sample_rate_hz > deadband_samples_;
    steer_.engage = resampler.bypass() && (magnitude > deadband_samples_ || sustained);
    steer_.release = resampler.resampling() && magnitude < release_samples_ && !sustained;
}

bool LatencyTuner::grow(double level_samples, double target_samples,
                        const Resampler& resampler) noexcept {
    const double stretched = static_cast<double>(resampler.output_total()) -
                             static_cast<double>(resampler.pulled_total());
    if (growing_) owed_ -= stretched - last_stretched_;
    last_stretched_ = stretched;
    if (has_target_ && target_samples > last_target_) {
        // Owed: how far the target now lies above the level, the level taken as the last
        // window's mean plus what has been stretched since (the level itself swings with the
        // jitter and by a packet with each arrival). Before the first window closes, the mean of
        // the window so far: the level at one moment may be the top of the packet sawtooth, and
        // a rise it seems to cover would be owed nothing. Rises the level already covers owe
        // nothing, so the target's small ups and downs do not ratchet the latency up.
        double level = level_samples;
        if (has_window_level_) {
            level = window_level_ + (stretched - window_stretched_);
        } else if (window_.weight > 0.0) {
            level = window_.sum_uncorrected / window_.weight + stretched;
        }
        const double short_by = target_samples - level;
        if (short_by > deadband_samples_) owed_ = std::max(owed_, short_by);
    }
    has_target_ = true;
    last_target_ = target_samples;
    if (owed_ > growth_done_samples_) {
        const double owed_ms = owed_ * 1000.0 / config_.sample_rate_hz;
        steer_.target_ppm = -std::clamp(config_.growth_gain_ppm_per_ms * owed_ms,
                                        config_.max_correction_ppm, config_.max_growth_ppm);
        steer_.slew_ppm_per_s = config_.growth_slew_ppm_per_s;
        steer_.engage = resampler.bypass();
        steer_.release = false;
        growing_ = true;
        return true;
    }
    owed_ = 0.0;
    if (!growing_) return false;
    // Grown: back to the ordinary control, from the drift estimate (reached as fast as the growth
    // moved, so the level does not overshoot).
    growing_ = false;
    const double limit = config_.max_correction_ppm;
    steer_.target_ppm = std::clamp(drift_ppm_, -limit, limit);
    steer_.engage = false;
    steer_.release = false;
    return true;
}

void LatencyTuner::reset() noexcept {
    steer_ = Steer{};
    steer_.slew_ppm_per_s = config_.max_slew_ppm_per_s;
    window_.clear();
    fit_.clear();
    mean_error_ = 0.0;
    drift_ppm_ = 0.0;
    growing_ = false;
    has_target_ = false;
    has_window_level_ = false;
    owed_ = 0.0;
    anchoring_ = false;
    anchored_ = false;
    anchor_samples_ = 0.0;
}

}  // namespace extrema::pipeline
