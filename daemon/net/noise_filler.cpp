#include "net/noise_filler.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace extrema::net {
namespace {

const NoiseFillerConfig& checked(const NoiseFillerConfig& config) {
    if (!(config.sample_rate_hz > 0.0)) throw std::invalid_argument("sample rate must be positive");
    if (!(config.refresh_timeout_ms > 0.0 && config.refresh_timeout_ms <= 60000.0))
        throw std::invalid_argument("CN refresh timeout must be in (0, 60000] ms");
    return config;
}

}  // namespace

NoiseFiller::NoiseFiller(const NoiseFillerConfig& config)
    : timeout_samples_(
          std::llround(checked(config).refresh_timeout_ms * config.sample_rate_hz / 1000.0)),
      generator_(config.sample_rate_hz, config.ramp_ms) {}

void NoiseFiller::insert(std::int64_t start, const codec::NoiseDescription& noise) noexcept {
    // Older than what already played: the pause it described is over.
    if (have_played_ && start < last_played_start_) return;
    std::size_t at = 0;
    while (at < count_ && entries_[at].start < start) ++at;
    if (at < count_ && entries_[at].start == start) {  // a duplicate: same description
        return;
    }
    if (count_ == kSlots) {
        if (at == 0) return;  // older than all we keep: the newest matter
        drop_front(1);
        --at;
    }
    std::move_backward(entries_.begin() + static_cast<std::ptrdiff_t>(at),
                       entries_.begin() + static_cast<std::ptrdiff_t>(count_),
                       entries_.begin() + static_cast<std::ptrdiff_t>(count_ + 1));
    entries_[at] = Entry{start, noise};
    ++count_;
    if (at == 0) current_set_ = false;
}

void NoiseFiller::drop_front(std::size_t count) noexcept {
    std::move(entries_.begin() + static_cast<std::ptrdiff_t>(count),
              entries_.begin() + static_cast<std::ptrdiff_t>(count_), entries_.begin());
    count_ -= count;
    current_set_ = false;
}

std::size_t NoiseFiller::pause_samples(std::int64_t position, std::size_t count) noexcept {
    // The latest CN packet at or before the position describes the noise now.
    std::size_t latest = count_;
    for (std::size_t i = 0; i < count_ && entries_[i].start <= position; ++i) latest = i;
    if (latest == count_) {
        in_pause_ = false;
        return 0;
    }
    if (latest > 0) drop_front(latest);
    const Entry& current = entries_[0];
    const std::int64_t timeout_at = current.start + timeout_samples_;
    if (position >= timeout_at) {
        in_pause_ = false;
        return 0;
    }
    std::int64_t limit = timeout_at;
    if (count_ > 1) limit = std::min(limit, entries_[1].start);  // the refresh takes over there
    if (!current_set_) {
        if (!in_pause_) generator_.reset();  // from silence: the gain ramps up
        generator_.set(current.noise);
        current_set_ = true;
        ++updates_;
    }
    in_pause_ = true;
    return static_cast<std::size_t>(
        std::min<std::int64_t>(static_cast<std::int64_t>(count), limit - position));
}

std::size_t NoiseFiller::before_next_pause(std::int64_t position,
                                           std::size_t count) const noexcept {
    for (std::size_t i = 0; i < count_; ++i) {
        if (entries_[i].start > position) {
            return static_cast<std::size_t>(std::min<std::int64_t>(static_cast<std::int64_t>(count),
                                                                   entries_[i].start - position));
        }
    }
    return count;
}

void NoiseFiller::fill(std::span<float> out) noexcept {
    generator_.generate(out);
    noise_samples_ += out.size();
}

void NoiseFiller::on_packet(std::int64_t start) noexcept {
    have_played_ = true;
    last_played_start_ = start;
    in_pause_ = false;
    std::size_t stale = 0;
    while (stale < count_ && entries_[stale].start < start) ++stale;
    if (stale > 0) drop_front(stale);
}

void NoiseFiller::reset() noexcept {
    count_ = 0;
    have_played_ = false;
    current_set_ = false;
    in_pause_ = false;
}

}  // namespace extrema::net
