#pragma once
// The adaptive latency target's settings (pipeline/adaptive_latency.h); the link's receiver
// settings embed them.
#include <cstdint>

#include "extrema/codec/sample_rate.h"
#include "net/stream_defaults.h"

namespace extrema::pipeline {

struct AdaptiveLatencyConfig {
    double sample_rate_hz = codec::kDefaultSampleRateHz;
    // Target delay bounds (the keys receiver.min_latency_ms and receiver.max_latency_ms, whose
    // docs give the defaults' reasons): the level's bounds are these minus half a packet, as for
    // a fixed target.
    double min_latency_ms = 10.0;
    double max_latency_ms = 250.0;
    // Half the stream's packet_ms; the link sets it.
    double half_packet_ms = net::kDefaultPacketMs / 2.0;
    // Share of packets allowed to come later than the safety margin: well under the 1 % of late
    // packets a jittery link may cost, so the estimate's own noise still stays under it.
    double late_fraction = 0.003;
    // Room left above that quantile: the spread of a device period in which packets are filed
    // (they are taken at each read), plus the level's own noise.
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

}  // namespace extrema::pipeline
