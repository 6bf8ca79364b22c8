#include "service/watchdog_pacer.h"

namespace extrema::service {

WatchdogPacer::WatchdogPacer(std::chrono::microseconds interval) noexcept
    : period_(interval / 2), min_spacing_(interval / 4) {}

bool WatchdogPacer::due(Clock::time_point now, std::uint64_t progress) noexcept {
    if (last_pet_) {
        if (progress == last_progress_) return false;
        if (now - *last_pet_ < min_spacing_) return false;
    }
    last_pet_ = now;
    last_progress_ = progress;
    return true;
}

}  // namespace extrema::service
