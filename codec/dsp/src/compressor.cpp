#include "extrema/dsp/compressor.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>
#include <string>

namespace extrema::dsp {
namespace {

// Beyond +60 dBFS (float files can exceed full scale) the level is clamped so the gain stays
// finite; NaN samples count as silence so one bad sample cannot poison the detector state.
constexpr double kMaxMagnitude = 1000.0;
constexpr double kLn10Over20 = 0.11512925464970229;  // ln(10) / 20: dB to natural-log gain
// Outputs below this are flushed to zero so a denormal input never leaves as a denormal output.
constexpr float kFlushOutputBelow = 1e-30f;
const double kFloorMagnitude = std::pow(10.0, kLevelFloorDb / 20.0);

std::string number(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", value);
    return text;
}

void require(bool ok, const char* field, double value, const char* range) {
    if (!ok) {
        throw std::invalid_argument(std::string("compressor ") + field + " must be " + range +
                                    " (got " + number(value) + ")");
    }
}

// Within `range`, never NaN; an infinite value passes only where the range reaches it (a
// limiter's ratio).
void require_in(double value, const FieldRange& range, const char* field, const char* unit) {
    const bool above_min = range.min_exclusive ? value > range.min : value >= range.min;
    const std::string low = number(range.min);
    const std::string text =
        std::isinf(range.max)
            ? (range.min_exclusive ? "above " : "at least ") + low + unit + " (or inf)"
            : (range.min_exclusive ? "above " + low + " and at most "
                                   : "between " + low + " and ") +
                  number(range.max) + unit;
    require(!std::isnan(value) && above_min && value <= range.max, field, value, text.c_str());
}

double clean_magnitude(float sample) noexcept {
    const double magnitude = std::fabs(static_cast<double>(sample));
    if (magnitude <= kMaxMagnitude) return magnitude;
    return std::isnan(magnitude) ? 0.0 : kMaxMagnitude;
}

}  // namespace

void validate(const CompressorConfig& c) {
    require_in(c.threshold_db, kThresholdRangeDb, "threshold_db", " dBFS");
    require_in(c.ratio, kRatioRange, "ratio", "");
    require_in(c.knee_db, kKneeRangeDb, "knee_db", " dB");
    require_in(c.attack_ms, kTimeConstantRangeMs, "attack_ms", " ms");
    require_in(c.release_ms, kTimeConstantRangeMs, "release_ms", " ms");
    require_in(c.makeup_db, kMakeupRangeDb, "makeup_db", " dB");
    require_in(c.rms_window_ms, kRmsWindowRangeMs, "rms_window_ms", " ms");
    require(c.level_mode == LevelMode::kPeak || c.level_mode == LevelMode::kRms, "level_mode",
            static_cast<double>(c.level_mode), "peak or rms");
}

Compressor::Compressor(const CompressorConfig& config, double sample_rate_hz, int channels)
    : config_(config), sample_rate_hz_(sample_rate_hz), channels_(channels) {
    validate(config);
    require(std::isfinite(sample_rate_hz) && sample_rate_hz >= 1000.0 && sample_rate_hz <= 768000.0,
            "sample rate", sample_rate_hz, "between 1000 and 768000 Hz");
    require(channels >= 1 && channels <= 256, "channel count", channels, "between 1 and 256");
    curve_ = GainCurve{config.threshold_db, config.ratio, config.knee_db};
    // Automatic make-up: half the reduction at full scale. Restoring all of it would push every
    // loud passage back to 0 dBFS; half keeps headroom while making up most of the loudness lost.
    const double auto_db = config.auto_makeup ? -curve_gain_db(curve_, 0.0) / 2.0 : 0.0;
    makeup_db_ = config.makeup_db + auto_db;
    detector_ = BranchingPeakDetector(smoothing_coefficient(config.attack_ms, sample_rate_hz),
                                      smoothing_coefficient(config.release_ms, sample_rate_hz));
    if (config.level_mode == LevelMode::kRms) {
        const double floor_power = std::pow(10.0, kLevelFloorDb / 10.0);
        mean_square_.assign(
            static_cast<std::size_t>(channels),
            MeanSquareDetector(smoothing_coefficient(config.rms_window_ms, sample_rate_hz),
                               floor_power));
    }
}

double Compressor::gain_computer_db(double level_db) const noexcept {
    return dsp::gain_computer_db(curve_, level_db);
}

void Compressor::reset() noexcept {
    detector_.reset();
    for (auto& detector : mean_square_) detector.reset();
}

double Compressor::frame_level_db(const float* frame) noexcept {
    if (mean_square_.empty()) {
        double peak = 0.0;
        for (int c = 0; c < channels_; ++c) peak = std::max(peak, clean_magnitude(frame[c]));
        return 20.0 * std::log10(std::max(peak, kFloorMagnitude));
    }
    double power = 0.0;
    for (int c = 0; c < channels_; ++c) {
        power = std::max(power, mean_square_[c].process(clean_magnitude(frame[c])));
    }
    return 10.0 * std::log10(power);  // the detector floors power at the level floor
}

void Compressor::process(std::span<float> interleaved) {
    process(interleaved, interleaved);
}

void Compressor::process(std::span<const float> in, std::span<float> out) {
    const auto channels = static_cast<std::size_t>(channels_);
    if (in.size() != out.size() || in.size() % channels != 0) {
        throw std::invalid_argument("compressor: buffers must have equal sizes, a multiple of " +
                                    std::to_string(channels_) + " channels");
    }
    const double makeup_gain = std::exp(kLn10Over20 * makeup_db_);
    for (std::size_t at = 0; at < in.size(); at += channels) {
        const double level_db = frame_level_db(in.data() + at);
        const double reduction_db = -curve_gain_db(curve_, level_db);
        const double smoothed_db = detector_.process(reduction_db);
        const double gain =
            smoothed_db == 0.0 ? makeup_gain : std::exp(kLn10Over20 * (makeup_db_ - smoothed_db));
        for (std::size_t c = 0; c < channels; ++c) {
            float y = static_cast<float>(static_cast<double>(in[at + c]) * gain);
            if (std::fabs(y) < kFlushOutputBelow) y = 0.0f;
            out[at + c] = y;
        }
    }
}

}  // namespace extrema::dsp
