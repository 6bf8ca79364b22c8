#include "pipeline/adaptive_latency.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace extrema::pipeline {

AdaptiveLatency::AdaptiveLatency(const AdaptiveLatencyConfig& config) : config_(config) {
    auto finite = [](double v) { return std::isfinite(v); };
    if (!(finite(config_.sample_rate_hz) && config_.sample_rate_hz > 0.0)) {
        throw std::invalid_argument("sample rate must be positive");
    }
    if (!(finite(config_.max_latency_ms) && config_.min_latency_ms >= 0.0 &&
          config_.min_latency_ms <= config_.max_latency_ms)) {
        throw std::invalid_argument("min_latency_ms must lie in 0..max_latency_ms");
    }
    if (!(config_.late_fraction >= 0.0 && config_.late_fraction < 1.0) ||
        !(config_.safety_ms >= 0.0) || !(config_.shrink_ms_per_s >= 0.0) ||
        !(config_.update_ms > 0.0) || !(config_.level_mean_ms > 0.0) ||
        !(config_.half_packet_ms >= 0.0)) {
        throw std::invalid_argument("adaptive latency settings out of range");
    }
    per_ms_ = config_.sample_rate_hz / 1000.0;
    // Never below a packet plus the safety: a stream that starts playing with one packet
    // buffered plays each packet just as the next is due, so the first jitter makes it late
    // (and without drift correction the target only applies at a restart).
    const double floor_ms =
        std::max(config_.min_latency_ms, 2.0 * config_.half_packet_ms + config_.safety_ms);
    min_level_ = std::max(0.0, (floor_ms - config_.half_packet_ms) * per_ms_);
    max_level_ = std::max(min_level_, (config_.max_latency_ms - config_.half_packet_ms) * per_ms_);
    reset();
}

void AdaptiveLatency::reset() noexcept {
    target_ = min_level_;
    has_mean_ = false;
    since_update_ = 0;
}

double AdaptiveLatency::target_delay_ms() const noexcept {
    return target_ / per_ms_ + config_.half_packet_ms;
}

double AdaptiveLatency::update(double level_samples, double stretched_samples,
                               const net::ArrivalStats& arrivals,
                               std::uint64_t elapsed_samples) noexcept {
    const double uncorrected = level_samples - stretched_samples;
    if (!std::isfinite(uncorrected)) return target_;
    if (!has_mean_) {
        mean_level_ = uncorrected;
        has_mean_ = true;
    } else {
        const double weight =
            std::min(1.0, static_cast<double>(elapsed_samples) / (config_.level_mean_ms * per_ms_));
        mean_level_ += (uncorrected - mean_level_) * weight;
    }
    since_update_ += elapsed_samples;
    if (static_cast<double>(since_update_) < config_.update_ms * per_ms_ ||
        arrivals.margins_filed() < config_.min_margins) {
        return target_;
    }
    const double elapsed_s = static_cast<double>(since_update_) / config_.sample_rate_hz;
    since_update_ = 0;
    // Few margins see little of the tail: the lowest of n lies about 1/(n + 1) of the spread
    // above the true bound (for a uniform spread; half the spread is median - lowest), so that
    // much more is kept until the window is full.
    const double lowest = arrivals.margin_quantile(config_.late_fraction);
    const auto n = static_cast<double>(arrivals.margin_count());
    const double unseen = 2.0 * (arrivals.margin_quantile(0.5) - lowest) / (n + 1.0);
    const double wanted = std::clamp(mean_level_ + config_.safety_ms * per_ms_ + unseen - lowest,
                                     min_level_, max_level_);
    if (wanted > target_) {
        target_ = wanted;
    } else {
        target_ = std::max(wanted, target_ - config_.shrink_ms_per_s * per_ms_ * elapsed_s);
    }
    return target_;
}

}  // namespace extrema::pipeline
