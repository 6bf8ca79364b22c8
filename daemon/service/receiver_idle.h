#pragma once
// A receiver whose sender has stopped (or never started) is idle, not concealing losses: this
// tracks how long no packet has arrived and how many of the concealed samples fell in that
// time, from consecutive stats snapshots. Its resolution is the stats interval: an interval
// with no packet at all is idle; one in which the sender stopped counts as receiving.
#include <cstdint>

#include "pipeline/link_stats.h"

namespace extrema::service {

class ReceiverIdle {
  public:
    void update(const pipeline::LinkStats& now, const pipeline::LinkStats& previous,
                double interval_s) noexcept;
    // Seconds since the last interval in which a packet arrived; 0 while packets arrive.
    double idle_s() const noexcept { return idle_s_; }
    // Concealed samples of the idle intervals (the jitter buffer fills silence with them).
    std::uint64_t idle_samples() const noexcept { return idle_samples_; }

  private:
    double idle_s_ = 0.0;
    std::uint64_t idle_samples_ = 0;
};

}  // namespace extrema::service
