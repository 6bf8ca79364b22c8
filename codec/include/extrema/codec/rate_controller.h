#pragma once
// Rate control for the extrema encoder: steers the hysteresis threshold so that the records'
// payload rate follows a target. The threshold is a multiple of the signal's smoothed level, so a
// quiet and a loud talker get the same relative detail; the multiple is set from a leaky bucket of
// records sent against the budget (a PI controller on the bucket's level, in the log domain).
//
// The controller acts at fixed points of the sample timeline (every `interval_samples()` samples
// from the stream's start), never at block boundaries, so the records do not depend on how the
// samples were split into blocks. It reacts only to the past: it adds no latency. No allocation.
#include <cstdint>

#include "extrema/codec/sample_rate.h"

namespace extrema::codec {

struct RateControlConfig {
    double sample_rate_hz = kDefaultSampleRateHz;
    double target_kbps = 0.0;  // payload rate (5-byte records); 0 = off
};

class RateController {
  public:
    // Bits in one record on the wire (SPEC §2: 5 bytes).
    static constexpr double kBitsPerRecord = 40.0;
    // Highest accepted target: above 16-bit PCM at the highest rate, a target means nothing.
    static constexpr double kMaxTargetKbps = 4000.0;

    // Throws std::invalid_argument for a negative, non-finite or absurd target.
    explicit RateController(const RateControlConfig& config);

    bool enabled() const noexcept { return interval_ > 0; }
    // Samples between two control points.
    std::uint32_t interval_samples() const noexcept { return interval_; }
    // The threshold to use until the next control point, LSB of int16.
    float threshold_lsb() const noexcept { return threshold_; }

    // Feeds the level measurement: call with every sample (int16 scale), in stream order.
    void measure(float sample) noexcept { energy_ += static_cast<double>(sample) * sample; }
    // After each record: `records_since_update` counts it. Raises the threshold at once when
    // the interval's records run far over budget (deterministic: records close at samples).
    void on_record(std::uint32_t records_since_update) noexcept;
    // At a control point: `records` is how many records closed since the previous one.
    void update(std::uint32_t records) noexcept;

  private:
    std::uint32_t interval_ = 0;
    double interval_seconds_ = 0.0;
    double budget_ = 0.0;      // records allowed per interval
    double per_second_ = 0.0;  // records allowed per second
    double energy_ = 0.0;      // sum of squares since the last control point
    double level_ = 0.0;       // smoothed RMS level, LSB
    double release_ = 0.0;     // level's per-interval decay factor
    double talker_ = 0.0;      // slow RMS level of the talker, LSB
    double talker_release_ = 0.0;
    std::uint32_t burst_records_ = 1;
    double bucket_ = 0.0;    // records sent minus records allowed, clamped
    double integral_ = 0.0;  // slow part of the log relative threshold
    float threshold_ = 0.0f;
};

}  // namespace extrema::codec
