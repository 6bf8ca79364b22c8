#include "extrema/codec/rate_controller.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace extrema::codec {
namespace {

// Control points every 5 ms: fast enough to follow a syllable, slow enough that the cost of one
// update per interval disappears next to the per-sample work.
constexpr double kIntervalMs = 5.0;
// The level follows a rise at once (an onset must not spend the budget on fine detail) and a fall
// with this time constant (about a syllable).
constexpr double kReleaseMs = 60.0;
// The talker's level: a slow follower of the same RMS, and the share of it a pause keeps.
constexpr double kTalkerReleaseMs = 3000.0;
constexpr double kPauseFloor = 0.03;  // -30 dB
// A burst (an onset, a click) that closes this many intervals' budget before the next control
// point doubles the threshold at once, each time, so one interval can never spend much.
constexpr double kBurstIntervals = 3.0;
// The bucket may bank this much unspent budget (a pause lets the next syllable spend a little
// more, never enough to overrun a 1 s window by the 10 % the target allows) and owe this much
// (an overrun is paid back within a fraction of a second, then forgiven).
constexpr double kCreditSeconds = 0.07;
constexpr double kDebtSeconds = 0.1;
// PI gains on the bucket level in seconds of budget: the proportional part sets the threshold's
// multiple from how far over budget the stream is; the integral part learns the signal's own
// records-per-threshold so the bucket settles at zero.
constexpr double kProportional = 80.0;
constexpr double kIntegralPerSecond = 60.0;
// Range of the log relative threshold (threshold / level): below, every wiggle is a record; above,
// the segmentation sees nothing but the level's own swings.
constexpr double kMinLogRelative = -9.0;
constexpr double kMaxLogRelative = 3.0;
// Where the integral starts: about where speech at mid rates settles.
constexpr double kInitialLogRelative = -1.5;
// Below this level (LSB RMS) the signal is treated as this level: digital silence must not make
// the threshold zero and turn dither into records.
constexpr double kLevelFloorLsb = 1.0;
// Up to a full-scale swing: above it every sample is "still", so even a full-scale square wave
// (clipping) can be held to the budget.
constexpr double kMaxThresholdLsb = 65536.0;

}  // namespace

RateController::RateController(const RateControlConfig& config) {
    if (!(config.target_kbps >= 0.0 && config.target_kbps <= kMaxTargetKbps)) {
        throw std::invalid_argument("target rate must lie between 0 (off) and " +
                                    std::to_string(static_cast<int>(kMaxTargetKbps)) + " kbps");
    }
    if (config.target_kbps == 0.0) return;
    interval_ = std::max<std::uint32_t>(
        1, static_cast<std::uint32_t>(std::llround(kIntervalMs * config.sample_rate_hz / 1000.0)));
    per_second_ = config.target_kbps * 1000.0 / kBitsPerRecord;
    interval_seconds_ = interval_ / config.sample_rate_hz;
    budget_ = per_second_ * interval_seconds_;
    talker_release_ = std::exp(-interval_seconds_ * 1000.0 / kTalkerReleaseMs);
    burst_records_ = static_cast<std::uint32_t>(std::ceil(kBurstIntervals * budget_)) + 1;
    release_ =
        std::exp(-static_cast<double>(interval_) / (kReleaseMs * config.sample_rate_hz / 1000.0));
    integral_ = kInitialLogRelative;
    // Until the first control point has measured a level, nothing is detailed: a first interval
    // at a guessed threshold could spend a large share of a second's budget.
    threshold_ = static_cast<float>(kMaxThresholdLsb);
}

void RateController::update(std::uint32_t records) noexcept {
    const double rms = std::sqrt(energy_ / interval_);
    energy_ = 0.0;
    level_ = rms > level_ ? rms : level_ * release_ + rms * (1.0 - release_);
    talker_ = rms > talker_ ? rms : talker_ * talker_release_ + rms * (1.0 - talker_release_);
    // In a pause the level falls, but the threshold keeps a floor under the talker's level: the
    // next onset then starts near the right detail instead of spending on every wiggle.
    const double level = std::max({level_, talker_ * kPauseFloor, kLevelFloorLsb});

    const double credit = -kCreditSeconds * per_second_;
    bucket_ = std::clamp(bucket_ + records - budget_, credit, kDebtSeconds * per_second_);
    const double error = bucket_ / per_second_;  // seconds of budget over (+) or under (-)
    // Anti-windup: a full credit means the signal cannot use the budget (a pause, digital
    // silence): learning from it would leave the threshold far too low for the next syllable.
    if (bucket_ > credit) {
        integral_ = std::clamp(integral_ + kIntegralPerSecond * error * interval_seconds_,
                               kMinLogRelative, kMaxLogRelative);
    }
    const double log_relative =
        std::clamp(integral_ + kProportional * error, kMinLogRelative, kMaxLogRelative);
    threshold_ = static_cast<float>(std::min(kMaxThresholdLsb, std::exp(log_relative) * level));
}

void RateController::on_record(std::uint32_t records_since_update) noexcept {
    if (records_since_update % burst_records_ == 0) {
        threshold_ = std::min(2.0f * threshold_ + 1.0f, static_cast<float>(kMaxThresholdLsb));
    }
}

}  // namespace extrema::codec
