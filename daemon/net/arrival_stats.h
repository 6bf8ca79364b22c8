#pragma once
// Arrival statistics of the packet queue: how regularly packets come, and how much room the
// playout leaves them.
//  - The RFC 3550 §6.4.1 interarrival jitter estimate, over the packets accepted: late,
//    duplicate and refused packets are left out, so a spoofed or stray one cannot poison it.
//  - The playout margin of every packet that arrives while playing: its first sample's distance
//    ahead of the playout position when it is filed (negative: late by that much). The margins
//    of the last window_packets packets are kept; their low percentile is how close the playout
//    runs to the packets, which is what an adaptive latency target steers (LatencyTuner). A
//    margin is stored minus a reference the caller sets (the latency the resampler has added
//    since: so margins before and after a latency change compare), and clamped to +-clamp_ms so
//    that a spoofed timestamp cannot read as hours.
// No allocation after construction; single-threaded.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "extrema/codec/sample_rate.h"
#include "net/packet_validator.h"

namespace extrema::net {

struct ArrivalStatsConfig {
    double sample_rate_hz = codec::kDefaultSampleRateHz;
    // Margins kept. 500 packets: 5 s of 10 ms packets, enough for the 1st percentile to rest on
    // 5 packets, short enough that the estimate forgets a calmed network within seconds.
    std::size_t window_packets = 500;
    // Margins are clamped to +-this (ms): the jitter buffer's horizon (max_ahead_ms).
    double clamp_ms = 1000.0;
};

class ArrivalStats {
  public:
    // Throws std::invalid_argument for a config out of range.
    explicit ArrivalStats(const ArrivalStatsConfig& config);

    // An accepted packet starting at extended timestamp `start` arrived at `arrival`.
    void on_accepted(std::int64_t start, Clock::time_point arrival) noexcept;
    // A packet was filed `margin_samples` ahead of the playout position (negative: late).
    void on_margin(double margin_samples) noexcept;
    // The timeline restarted: the next transit has no predecessor, the margins no meaning.
    void restart() noexcept;
    // Subtracted from the margins filed from now on (see above), samples.
    void set_margin_reference(double samples) noexcept { reference_ = samples; }

    double jitter_ms() const noexcept { return jitter_samples_ * 1000.0 / config_.sample_rate_hz; }
    // Margins in the window (at most window_packets).
    std::size_t margin_count() const noexcept { return count_; }
    // Margins filed since the last restart (not bounded by the window).
    std::uint64_t margins_filed() const noexcept { return filed_; }
    // The `fraction` quantile (0..1) of the margins in the window, samples, reference removed;
    // 0 with none. Linear in the window (a selection on a preallocated copy): call it a few times
    // a second, not per sample.
    double margin_quantile(double fraction) const noexcept;

  private:
    ArrivalStatsConfig config_;
    double clamp_samples_ = 0.0;
    bool have_transit_ = false;
    double last_transit_ = 0.0;
    double jitter_samples_ = 0.0;
    Clock::time_point epoch_{};

    double reference_ = 0.0;
    std::vector<double> margins_;  // ring of window_packets
    mutable std::vector<double> scratch_;
    std::size_t next_ = 0;
    std::size_t count_ = 0;
    std::uint64_t filed_ = 0;
};

}  // namespace extrema::net
