#include "net/packet_queue.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace extrema::net {
namespace {

constexpr std::int64_t kNeverPlayed = std::numeric_limits<std::int64_t>::min();

PacketQueueConfig checked(const PacketQueueConfig& config) {
    if (!(config.sample_rate_hz > 0.0)) throw std::invalid_argument("sample rate must be positive");
    if (!(config.max_ahead_ms > 0.0)) throw std::invalid_argument("max_ahead_ms must be positive");
    if (config.slot_count < 2 || config.slot_count > 65536) {
        throw std::invalid_argument("jitter buffer slot count must be 2..65536");
    }
    if (config.resync_after_drops < 1)
        throw std::invalid_argument("resync_after_drops must be >= 1");
    return config;
}

ArrivalStatsConfig arrival_config(const PacketQueueConfig& config) {
    ArrivalStatsConfig arrivals = config.arrivals;
    arrivals.sample_rate_hz = config.sample_rate_hz;
    arrivals.clamp_ms = config.max_ahead_ms;
    return arrivals;
}

}  // namespace

PacketQueue::PacketQueue(const PacketQueueConfig& config)
    : config_(checked(config)), arrivals_(arrival_config(config_)) {
    max_ahead_samples_ = static_cast<std::uint64_t>(
        std::llround(config_.max_ahead_ms * config_.sample_rate_hz / 1000.0));
    slots_.resize(config_.slot_count);
    records_.resize(config_.slot_count * kMaxRecordsPerPacket);
    order_.reserve(config_.slot_count);
    free_.reserve(config_.slot_count);
    played_.assign(config_.slot_count, kNeverPlayed);
    reset();
    generation_ = 0;
}

void PacketQueue::reset() noexcept {
    order_.clear();
    free_.clear();
    for (std::size_t i = config_.slot_count; i-- > 0;) free_.push_back(i);
    std::fill(played_.begin(), played_.end(), kNeverPlayed);
    started_ = false;
    held_ = false;
    consecutive_bad_ = 0;
    has_last_late_ = false;
    arrivals_.restart();
    ++generation_;
}

void PacketQueue::start() noexcept {
    started_ = true;
    play_pos_ = front().start;
}

std::span<const codec::Record> PacketQueue::front_records() const noexcept {
    const std::size_t slot = order_.front();
    return {records_.data() + slot * kMaxRecordsPerPacket, slots_[slot].record_count};
}

std::int64_t PacketQueue::front_limit() const noexcept {
    const QueuedPacket& packet = front();
    const std::int64_t end = packet.start + static_cast<std::int64_t>(packet.samples);
    // The next packet's timestamp bounds this one: a sender cannot stretch the timeline.
    return order_.size() > 1 ? std::min(end, slots_[order_[1]].start) : end;
}

void PacketQueue::hold_front() noexcept {
    held_ = true;
    if (front().redundant) {
        // Not remembered as played: the original arriving after all is late, as without
        // redundancy, and not a duplicate.
        ++counters_.repaired;
        return;
    }
    played_[played_next_] = front().start;
    played_next_ = (played_next_ + 1) % played_.size();
}

void PacketQueue::release_front() noexcept {
    free_.push_back(order_.front());
    order_.erase(order_.begin());
    held_ = false;
}

std::size_t PacketQueue::drop_stale() noexcept {
    std::size_t dropped = 0;
    while (!order_.empty() && front().start < play_pos_) {
        ++counters_.late;
        release_front();
        ++dropped;
    }
    return dropped;
}

std::int64_t PacketQueue::extend(std::uint32_t timestamp) const noexcept {
    std::int64_t reference = 0;
    if (started_) {
        reference = play_pos_;
    } else if (!order_.empty()) {
        reference = front().start;
    } else {
        return timestamp;
    }
    // The nearest 64-bit value with these low 32 bits: wraparound every 2^32 samples (25 h at
    // 48 kHz) is invisible as long as packets are within 2^31 samples of the playout position.
    const auto delta = static_cast<std::int32_t>(timestamp - static_cast<std::uint32_t>(reference));
    return reference + delta;
}

bool PacketQueue::beyond_reach(std::int64_t start) const noexcept {
    const std::int64_t reference = started_ ? play_pos_ : front().start;
    const auto ahead = static_cast<std::int64_t>(max_ahead_samples_);
    return start - reference > ahead || reference - start > ahead;
}

InsertResult PacketQueue::classify(std::int64_t start) noexcept {
    for (const std::size_t slot : order_) {
        if (slots_[slot].start == start) return InsertResult::kDuplicate;
    }
    if (started_ && start < play_pos_) {
        const bool played = std::find(played_.begin(), played_.end(), start) != played_.end();
        return played ? InsertResult::kDuplicate : InsertResult::kLate;
    }
    if ((!order_.empty() || started_) && beyond_reach(start)) return InsertResult::kTooEarly;
    if (free_.empty()) {
        // Full: room only by evicting the furthest packet, and only for one that plays before it.
        const std::size_t last = order_.back();
        const bool evictable = slots_[last].start > start && !(held_ && order_.size() == 1);
        if (!evictable) return InsertResult::kTooEarly;
    }
    return InsertResult::kAccepted;
}

bool PacketQueue::counts_toward_resync(InsertResult result, std::int64_t start) noexcept {
    if (result == InsertResult::kTooEarly) {
        // Refused for room, not for distance: a full buffer (the receiver's own stall, then what
        // waited in the socket all at once) says nothing about the sender's timeline.
        return beyond_reach(start);
    }
    // Late packets whose timestamps gain on the playout position are a backlog draining (the
    // sender or the network held them and now delivers them faster than real time): they reach
    // the playout by themselves, on the same timeline, so following them would only replay
    // audio already concealed and shift the output for good. A timeline that jumped back gains
    // nothing: its packets come at the playout's own rate, give or take the jitter, which the
    // factor of two leaves room for. Each late packet is compared with the one before, not with
    // the first of the run: a late packet, then a stall's silence, then its backlog must not
    // read as packets that kept pace with the playout through the stall.
    const bool first = consecutive_bad_ == 0 || !has_last_late_;
    const std::int64_t gained = start - last_late_start_;
    const std::int64_t played = play_pos_ - last_late_play_pos_;
    last_late_start_ = start;
    last_late_play_pos_ = play_pos_;
    has_last_late_ = true;
    return first || gained <= 2 * played;
}

InsertResult PacketQueue::insert(const ValidatedPacket& packet, Clock::time_point arrival,
                                 PacketOrigin origin) noexcept {
    if (origin == PacketOrigin::kRedundant) return insert_redundant(packet);
    // The validator only lets the locked sender through, so another SSRC means it re-locked to
    // a new sender: a new timeline.
    if (has_ssrc_ && packet.header.ssrc != ssrc_) reset();
    ssrc_ = packet.header.ssrc;
    has_ssrc_ = true;
    std::int64_t start = extend(packet.header.timestamp);
    const InsertResult result = classify(start);
    if (result == InsertResult::kDuplicate) {
        if (adopt_copy(start)) {  // a copy came first: this is no duplicate, just slow
            arrivals_.on_accepted(start, arrival);
            if (started_) arrivals_.on_margin(static_cast<double>(start - play_pos_));
            consecutive_bad_ = 0;
            ++counters_.accepted;
            return InsertResult::kAccepted;
        }
        ++counters_.duplicate;
        return result;
    }
    if (result == InsertResult::kLate && started_) {
        // How late it came is what the latency target must learn (clamped: it may be spoofed).
        arrivals_.on_margin(static_cast<double>(start - play_pos_));
    }
    if (result != InsertResult::kAccepted) {
        if (!counts_toward_resync(result, start) ||
            ++consecutive_bad_ < config_.resync_after_drops) {
            // Neither feeds the jitter estimate: a late packet's timestamp may be anything
            // behind the playout position (a spoofed one hours behind reads as hours of jitter),
            // and a refused one's is bogus. What they cost shows in the late and early counts.
            if (result == InsertResult::kLate) {
                ++counters_.late;
            } else {
                ++counters_.early;
            }
            return result;
        }
        // The sender's timeline moved: follow it, starting from this packet.
        reset();
        ++counters_.resyncs;
        start = extend(packet.header.timestamp);
    }
    arrivals_.on_accepted(start, arrival);
    if (started_) arrivals_.on_margin(static_cast<double>(start - play_pos_));
    return store(packet, start);
}

bool PacketQueue::adopt_copy(std::int64_t start) noexcept {
    for (const std::size_t slot : order_) {
        if (slots_[slot].start != start || !slots_[slot].redundant) continue;
        // Not yet playing: the packet plays as itself. Playing: the copy repaired it already.
        if (!(held_ && slot == order_.front())) slots_[slot].redundant = false;
        return true;
    }
    return false;
}

InsertResult PacketQueue::insert_redundant(const ValidatedPacket& packet) noexcept {
    // Its carrier came first and set the timeline; another sender's copy belongs to none.
    if (has_ssrc_ && packet.header.ssrc != ssrc_) return InsertResult::kDuplicate;
    const std::int64_t start = extend(packet.header.timestamp);
    // Every copy's margin is filed, whether its packet came or not: an adaptive target then
    // leaves room for the copies to arrive before their packet's turn, else they could repair
    // nothing (a copy comes a packet or more after its packet would have).
    if (started_) arrivals_.on_margin(static_cast<double>(start - play_pos_));
    const InsertResult result = classify(start);
    if (result != InsertResult::kAccepted) return result;
    // Never evicts a packet from the network for a copy.
    if (free_.empty()) return InsertResult::kTooEarly;
    return store(packet, start, true);
}

InsertResult PacketQueue::store(const ValidatedPacket& packet, std::int64_t start,
                                bool redundant) noexcept {
    if (free_.empty()) {  // classify() made sure the last packet is evictable
        free_.push_back(order_.back());
        order_.pop_back();
        ++counters_.early;
    }
    const std::size_t slot = free_.back();
    free_.pop_back();
    const auto records = packet.records();
    slots_[slot] = QueuedPacket{start,     packet.samples, records.size(), packet.has_anchor,
                                redundant, packet.bank};
    std::copy(records.begin(), records.end(),
              records_.begin() + static_cast<std::ptrdiff_t>(slot * kMaxRecordsPerPacket));
    const auto at = std::find_if(order_.begin(), order_.end(),
                                 [&](std::size_t other) { return slots_[other].start > start; });
    order_.insert(at, slot);
    if (redundant) return InsertResult::kAccepted;  // neither a network arrival nor a good one
    consecutive_bad_ = 0;
    ++counters_.accepted;
    return InsertResult::kAccepted;
}

std::int64_t PacketQueue::buffered_end() const noexcept {
    std::int64_t end = 0;
    for (const std::size_t slot : order_) {
        end = std::max(end, slots_[slot].start + static_cast<std::int64_t>(slots_[slot].samples));
    }
    return end;
}

std::uint64_t PacketQueue::level_samples() const noexcept {
    if (order_.empty()) return 0;
    const std::int64_t end = buffered_end();
    const std::int64_t from = started_ ? play_pos_ : front().start;
    return end > from ? static_cast<std::uint64_t>(end - from) : 0;
}

}  // namespace extrema::net
