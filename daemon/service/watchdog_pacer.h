#pragma once
// When to send WATCHDOG=1. systemd's watchdog only proves the link works if the pets come from
// real work: the daemon's main loop passes a counter the pipeline advances (audio frames moved,
// packets handled) and pets only when that counter moved since the previous pet. A stalled
// pipeline therefore stops petting and systemd restarts the service, even though the main
// thread itself is fine.
#include <chrono>
#include <cstdint>
#include <optional>

namespace extrema::service {

class WatchdogPacer {
  public:
    using Clock = std::chrono::steady_clock;

    // `interval`: SystemdNotifier::watchdog_interval().
    explicit WatchdogPacer(std::chrono::microseconds interval) noexcept;

    // The longest the main loop may sleep between calls to due(): half the interval, as
    // sd_watchdog_enabled(3) recommends, so one late wake-up does not cost a restart.
    std::chrono::microseconds period() const noexcept { return period_; }

    // True when `progress` differs from the value at the last pet and at least a quarter of the
    // interval has passed since it (a main loop waking often does not flood systemd). The first
    // call pets whatever the counter says: start-up itself was progress.
    bool due(Clock::time_point now, std::uint64_t progress) noexcept;

  private:
    std::chrono::microseconds period_;
    std::chrono::microseconds min_spacing_;
    std::optional<Clock::time_point> last_pet_;
    std::uint64_t last_progress_ = 0;
};

}  // namespace extrema::service
