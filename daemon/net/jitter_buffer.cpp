#include "net/jitter_buffer.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>

namespace extrema::net {
namespace {

constexpr std::int64_t kNeverPlayed = std::numeric_limits<std::int64_t>::min();

std::uint64_t to_samples(double ms, double rate_hz) noexcept {
    return static_cast<std::uint64_t>(std::llround(ms * rate_hz / 1000.0));
}

std::int16_t to_int16(float normalised) noexcept {
    const long v = std::lround(normalised * codec::kFullScale);
    return static_cast<std::int16_t>(std::clamp(v, -32768L, 32767L));
}

// Raised-cosine weight of the start value, k = 1..length: 1 just before the fade, 0 at its end.
float fade_weight(std::int64_t k, std::int64_t length) noexcept {
    if (k >= length) return 0.0f;
    const double phase = std::numbers::pi * static_cast<double>(k) / static_cast<double>(length);
    return static_cast<float>(0.5 * (1.0 + std::cos(phase)));
}

JitterBufferConfig checked(const JitterBufferConfig& config) {
    if (!(config.sample_rate_hz > 0.0)) throw std::invalid_argument("sample rate must be positive");
    if (!(config.target_delay_ms >= 0.0))
        throw std::invalid_argument("target delay must be >= 0 ms");
    if (!(config.max_ahead_ms > config.target_delay_ms)) {
        throw std::invalid_argument("max_ahead_ms must exceed the target delay");
    }
    if (config.slot_count < 2 || config.slot_count > 65536) {
        throw std::invalid_argument("jitter buffer slot count must be 2..65536");
    }
    if (config.resync_after_drops < 1)
        throw std::invalid_argument("resync_after_drops must be >= 1");
    if (!(config.restart_fade_ms >= 0.0))
        throw std::invalid_argument("restart fade must be >= 0 ms");
    return config;
}

}  // namespace

bool JitterBuffer::set_target_delay_ms(double target_ms) noexcept {
    if (!target_fits(target_ms, config_.max_ahead_ms)) return false;
    config_.target_delay_ms = target_ms;
    target_samples_ = to_samples(target_ms, config_.sample_rate_hz);
    return true;
}

JitterBuffer::JitterBuffer(const JitterBufferConfig& config, const codec::CurveBank& bank)
    : config_(checked(config)), decoder_(bank), concealer_(config_.sample_rate_hz) {
    target_samples_ = to_samples(config_.target_delay_ms, config_.sample_rate_hz);
    max_ahead_samples_ = to_samples(config_.max_ahead_ms, config_.sample_rate_hz);
    fade_samples_ =
        std::max<std::uint64_t>(1, to_samples(config_.restart_fade_ms, config_.sample_rate_hz));
    slots_.resize(config_.slot_count);
    records_.resize(config_.slot_count * kMaxRecordsPerPacket);
    order_.reserve(config_.slot_count);
    free_.reserve(config_.slot_count);
    played_.assign(config_.slot_count, kNeverPlayed);
    reset();
}

void JitterBuffer::reset() noexcept {
    order_.clear();
    free_.clear();
    for (std::size_t i = config_.slot_count; i-- > 0;) free_.push_back(i);
    std::fill(played_.begin(), played_.end(), kNeverPlayed);
    decoder_ = codec::Decoder(decoder_.bank());
    started_ = false;
    current_ = false;
    concealing_ = false;
    concealer_.reset();
    preroll_samples_ = 0;
    consecutive_bad_ = 0;
    has_last_late_ = false;
    have_transit_ = false;
    // Whatever was playing fades out during the new pre-roll instead of stopping dead.
    fade_out_from_ = last_value_;
    fade_out_done_ = 0;
}

const codec::Record* JitterBuffer::records_of(std::size_t slot) const noexcept {
    return records_.data() + slot * kMaxRecordsPerPacket;
}

std::int64_t JitterBuffer::extend(std::uint32_t timestamp) const noexcept {
    std::int64_t reference = 0;
    if (started_) {
        reference = play_pos_;
    } else if (!order_.empty()) {
        reference = slots_[order_.front()].start;
    } else {
        return timestamp;
    }
    // The nearest 64-bit value with these low 32 bits: wraparound every 2^32 samples (25 h at
    // 48 kHz) is invisible as long as packets are within 2^31 samples of the playout position.
    const auto delta = static_cast<std::int32_t>(timestamp - static_cast<std::uint32_t>(reference));
    return reference + delta;
}

void JitterBuffer::update_jitter(std::int64_t start, Clock::time_point arrival) noexcept {
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

bool JitterBuffer::beyond_reach(std::int64_t start) const noexcept {
    const std::int64_t reference = started_ ? play_pos_ : slots_[order_.front()].start;
    const auto ahead = static_cast<std::int64_t>(max_ahead_samples_);
    return start - reference > ahead || reference - start > ahead;
}

InsertResult JitterBuffer::classify(std::int64_t start) noexcept {
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
        const bool evictable = slots_[last].start > start && !(current_ && order_.size() == 1);
        if (!evictable) return InsertResult::kTooEarly;
    }
    return InsertResult::kAccepted;
}

bool JitterBuffer::counts_toward_resync(InsertResult result, std::int64_t start) noexcept {
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

InsertResult JitterBuffer::insert(const ValidatedPacket& packet, Clock::time_point arrival,
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
            update_jitter(start, arrival);
            consecutive_bad_ = 0;
            ++counters_.accepted;
            return InsertResult::kAccepted;
        }
        ++counters_.duplicate;
        return result;
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
    update_jitter(start, arrival);
    return store(packet, start);
}

bool JitterBuffer::adopt_copy(std::int64_t start) noexcept {
    for (const std::size_t slot : order_) {
        if (slots_[slot].start != start || !slots_[slot].redundant) continue;
        // Not yet playing: the packet plays as itself. Playing: the copy repaired it already.
        if (!(current_ && slot == order_.front())) slots_[slot].redundant = false;
        return true;
    }
    return false;
}

InsertResult JitterBuffer::insert_redundant(const ValidatedPacket& packet) noexcept {
    // Its carrier came first and set the timeline; another sender's copy belongs to none.
    if (has_ssrc_ && packet.header.ssrc != ssrc_) return InsertResult::kDuplicate;
    const std::int64_t start = extend(packet.header.timestamp);
    const InsertResult result = classify(start);
    if (result != InsertResult::kAccepted) return result;
    // Never evicts a packet from the network for a copy.
    if (free_.empty()) return InsertResult::kTooEarly;
    return store(packet, start, true);
}

InsertResult JitterBuffer::store(const ValidatedPacket& packet, std::int64_t start,
                                 bool redundant) noexcept {
    if (free_.empty()) {  // classify() made sure the last packet is evictable
        free_.push_back(order_.back());
        order_.pop_back();
        ++counters_.early;
    }
    const std::size_t slot = free_.back();
    free_.pop_back();
    const auto records = packet.records();
    slots_[slot] = Slot{start, packet.samples, records.size(), packet.has_anchor, redundant};
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

std::int64_t JitterBuffer::buffered_end() const noexcept {
    std::int64_t end = 0;
    for (const std::size_t slot : order_) {
        end = std::max(end, slots_[slot].start + static_cast<std::int64_t>(slots_[slot].samples));
    }
    return end;
}

bool JitterBuffer::ready() const noexcept {
    if (order_.empty()) return false;
    if (preroll_samples_ >= target_samples_) return true;  // waited the target delay in real time
    return static_cast<std::uint64_t>(buffered_end() - slots_[order_.front()].start) >=
           target_samples_;
}

std::uint64_t JitterBuffer::level_samples() const noexcept {
    if (order_.empty()) return 0;
    const std::int64_t end = buffered_end();
    const std::int64_t from = started_ ? play_pos_ : slots_[order_.front()].start;
    return end > from ? static_cast<std::uint64_t>(end - from) : 0;
}

double JitterBuffer::level_ms() const noexcept {
    return static_cast<double>(level_samples()) * 1000.0 / config_.sample_rate_hz;
}

void JitterBuffer::read(std::span<float> out) noexcept {
    underrun_counted_ = false;
    std::size_t done = 0;
    while (done < out.size()) {
        if (!started_) {
            if (!ready()) {
                preroll(out.subspan(done));
                return;
            }
            started_ = true;
            play_pos_ = slots_[order_.front()].start;
            decoder_.set_position(to_int16(last_value_));
        }
        done += play(out.subspan(done));
    }
}

void JitterBuffer::preroll(std::span<float> out) noexcept {
    const auto fade = static_cast<std::int64_t>(fade_samples_);
    for (float& sample : out) {
        if (fade_out_done_ < fade) ++fade_out_done_;
        sample = fade_out_from_ * fade_weight(fade_out_done_, fade);
    }
    if (!out.empty()) last_value_ = out.back();
    if (!order_.empty()) preroll_samples_ += out.size();
}

void JitterBuffer::release_front() noexcept {
    free_.push_back(order_.front());
    order_.erase(order_.begin());
    current_ = false;
}

std::size_t JitterBuffer::play(std::span<float> out) noexcept {
    if (current_) {
        const Slot& slot = slots_[order_.front()];
        const std::int64_t end = slot.start + static_cast<std::int64_t>(slot.samples);
        // The next packet's timestamp bounds this one: a sender cannot stretch the timeline.
        const std::int64_t limit = order_.size() > 1 ? std::min(end, slots_[order_[1]].start) : end;
        while (decoder_.pending() == 0 && next_record_ < slot.record_count && play_pos_ < limit) {
            decoder_.push(records_of(order_.front())[next_record_++]);
        }
        if (play_pos_ >= limit || decoder_.pending() == 0) {
            if (limit < end) {
                ++counters_.truncated;
                decoder_.push(codec::Record::silence(0));      // drops the cut record's remainder
                decoder_.set_position(to_int16(last_value_));  // continue from what was heard
            }
            release_front();
            return 0;
        }
        const auto room = static_cast<std::uint64_t>(limit - play_pos_);
        // Decoded on the int16 grid, as `extrema decode` writes it, then scaled: the timeline
        // is the offline decode sample for sample (k / 32767 * 32767 == k exactly in float).
        std::array<std::int16_t, 256> block;
        const auto want = static_cast<std::size_t>(
            std::min<std::uint64_t>({out.size(), room, decoder_.pending(), block.size()}));
        const std::size_t got = decoder_.read(std::span<std::int16_t>(block).first(want));
        for (std::size_t i = 0; i < got; ++i) {
            out[i] = static_cast<float>(block[i]) / codec::kFullScale;
        }
        // After a gap its first samples are merged with the concealment; all join its history.
        concealer_.receive(out.first(got));
        concealing_ = false;
        last_value_ = out[got - 1];
        play_pos_ += static_cast<std::int64_t>(got);
        counters_.played_samples += got;
        return got;
    }
    // Nothing can start before the playout position (insert() refuses it); this only guards.
    while (!order_.empty() && slots_[order_.front()].start < play_pos_) {
        ++counters_.late;
        release_front();
    }
    if (!order_.empty() && slots_[order_.front()].start == play_pos_) {
        if (concealing_) decoder_.set_position(to_int16(last_value_));
        current_ = true;
        next_record_ = 0;
        if (slots_[order_.front()].redundant) {
            // Not remembered as played: the original arriving after all is late, as without
            // redundancy, and not a duplicate.
            ++counters_.repaired;
        } else {
            played_[played_next_] = play_pos_;
            played_next_ = (played_next_ + 1) % played_.size();
        }
        return 0;
    }
    return conceal(out);
}

std::size_t JitterBuffer::conceal(std::span<float> out) noexcept {
    std::size_t count = out.size();
    if (!order_.empty()) {  // up to the next packet, which then plays at its own timestamp
        count = static_cast<std::size_t>(std::min<std::int64_t>(
            static_cast<std::int64_t>(count), slots_[order_.front()].start - play_pos_));
    } else if (!underrun_counted_) {
        ++counters_.underruns;
        underrun_counted_ = true;
    }
    if (!concealing_) ++counters_.gaps;
    concealing_ = true;
    concealer_.conceal(out.first(count));
    last_value_ = out[count - 1];
    play_pos_ += static_cast<std::int64_t>(count);
    counters_.concealed_samples += count;
    return count;
}

}  // namespace extrema::net
