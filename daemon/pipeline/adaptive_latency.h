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

#include "extrema/codec/sample_rate.h"
#include "net/arrival_stats.h"
#include "pipeline/link_config.h"

namespace extrema::pipeline {

struct AdaptiveLatencyConfig {
    double sample_rate_hz = codec::kDefaultSampleRateHz;
    // Target delay bounds (receiver.min_latency_ms, receiver.max_latency_ms): the level's bounds
    // are these minus half a packet, as for a fixed target. The link's defaults unless set.
    double min_latency_ms = ReceiverSettings{}.min_latency_ms;
    double max_latency_ms = ReceiverSettings{}.max_latency_ms;
    double half_packet_ms = NetworkSettings{}.packet_ms / 2.0;
    // Share of packets allowed to come later than the safety margin. 0.5 %: half the 1 % of
    // late packets a jittery link may cost, so the estimate's own noise still stays under it.
    double late_fraction = 0.003;
    // Room left above that quantile. 2 ms: the spread of a device period in which packets are
    // filed (they are taken at each read), plus the level's own noise.
    double safety_ms = 4.0;
    // Fastest fall of the target. 2 ms/s: a jittery minute that calmed gives back 60 ms in 30 s,
    // and the resampler's 1000-ppm clamp (1 ms/s) is what actually paces the level.
    double shrink_ms_per_s = 2.0;
    // How often the quantile is taken (a selection over the window): 100 ms.
    double update_ms = 100.0;
    // Margins needed before the first estimate: 10 packets, a fifth of a second of 20 ms ones.
    std::uint64_t min_margins = 10;
    // The mean level's time constant: 200 ms averages the packet sawtooth to a fraction of a ms.
    double level_mean_ms = 200.0;
};

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
