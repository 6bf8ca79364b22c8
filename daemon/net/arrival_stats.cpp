#include "net/arrival_stats.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace extrema::net {

ArrivalStats::ArrivalStats(const ArrivalStatsConfig& config) : config_(config) {
    if (!(config_.sample_rate_hz > 0.0))
        throw std::invalid_argument("sample rate must be positive");
    if (config_.window_packets < 1 || config_.window_packets > 100000) {
        throw std::invalid_argument("arrival window must be 1..100000 packets");
    }
    if (!(config_.clamp_ms > 0.0 && std::isfinite(config_.clamp_ms))) {
        throw std::invalid_argument("margin clamp must be positive");
    }
    clamp_samples_ = config_.clamp_ms * config_.sample_rate_hz / 1000.0;
    margins_.assign(config_.window_packets, 0.0);
    scratch_.assign(config_.window_packets, 0.0);
}

void ArrivalStats::on_accepted(std::int64_t start, Clock::time_point arrival) noexcept {
    if (epoch_ == Clock::time_point{}) epoch_ = arrival;
    const double arrival_samples =
        std::chrono::duration<double>(arrival - epoch_).count() * config_.sample_rate_hz;
    const double transit = arrival_samples - static_cast<double>(start);
    if (have_transit_) {
        const double d = std::abs(transit - last_transit_);
        jitter_samples_ += (d - jitter_samples_) / 16.0;  // RFC 3550 §6.4.1 gain
    }
    last_transit_ = transit;
    have_transit_ = true;
}

void ArrivalStats::on_margin(double margin_samples) noexcept {
    if (!std::isfinite(margin_samples)) return;
    margins_[next_] = std::clamp(margin_samples, -clamp_samples_, clamp_samples_) - reference_;
    next_ = (next_ + 1) % margins_.size();
    count_ = std::min(count_ + 1, margins_.size());
    ++filed_;
}

void ArrivalStats::restart() noexcept {
    have_transit_ = false;
    count_ = 0;
    next_ = 0;
    filed_ = 0;
}

double ArrivalStats::margin_quantile(double fraction) const noexcept {
    if (count_ == 0) return 0.0;
    // The ring's first count_ entries are the window whether or not it has wrapped.
    std::copy_n(margins_.begin(), count_, scratch_.begin());
    const auto last = static_cast<double>(count_ - 1);
    const auto k = static_cast<std::size_t>(std::clamp(std::floor(fraction * last), 0.0, last));
    const auto end = scratch_.begin() + static_cast<std::ptrdiff_t>(count_);
    std::nth_element(scratch_.begin(), scratch_.begin() + static_cast<std::ptrdiff_t>(k), end);
    return scratch_[k];
}

}  // namespace extrema::net
