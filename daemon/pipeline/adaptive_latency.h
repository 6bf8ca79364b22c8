#pragma once
// The adaptive latency target (receiver.latency = adaptive): the jitter buffer level to hold,
// chosen from how close packets come to missing their playout.
//
// Every packet filed while playing leaves a margin: how far ahead of the playout position it
// came (negative: late; net::ArrivalStats). Raising the level by x raises every later margin by
// x, so the level that leaves the `late_fraction` quantile of the margins `safety_ms` of room is
//     wanted = mean level + safety - quantile(margins)
// with level and margins both taken without what the resampler has added since (the margins are
// filed relative to it, the level is the uncorrected one), so they compare across a change. The
// target follows `wanted` between the min and max latency: up at once (the tuner then grows the
// level within a second or two), down at shrink_ms_per_s at most, and only as the window of
// margins forgets the late ones (5 s). On a network without jitter `wanted` is half a packet
// plus the safety, so min_latency_ms is what such a link settles at. The floor is never below a
// packet plus the safety (where playout starts), whatever min_latency_ms says.
// No allocation; single-threaded (the playout thread).
#include <cstdint>

#include "net/arrival_stats.h"
#include "pipeline/adaptive_latency_config.h"

namespace extrema::pipeline {

class AdaptiveLatency {
  public:
    // Throws std::invalid_argument for a config out of range (the bounds out of order).
    explicit AdaptiveLatency(const AdaptiveLatencyConfig& config);

    // Once per fill while playing: the buffer level (samples), what the resampler has added to
    // the latency so far (samples), the arrivals, and the samples played since the last call.
    // Returns the mean level to hold, samples.
    double update(double level_samples, double stretched_samples, const net::ArrivalStats& arrivals,
                  std::uint64_t elapsed_samples) noexcept;
    // The current target as a delay (what a fixed receiver.jitter_target_ms would be), ms.
    double target_delay_ms() const noexcept;
    double target_level_samples() const noexcept { return target_; }
    // Back to the minimum (a restart of the timeline, before its pre-roll).
    void reset() noexcept;

  private:
    AdaptiveLatencyConfig config_;
    double per_ms_ = 0.0;
    double min_level_ = 0.0;
    double max_level_ = 0.0;
    double target_ = 0.0;
    bool has_mean_ = false;
    double mean_level_ = 0.0;  // uncorrected, samples
    std::uint64_t since_update_ = 0;
};

}  // namespace extrema::pipeline
