#pragma once
// Receive stage 1: the packet queue. Validated packets in, ordered by the sender's timeline.
//
// Packets are kept in a fixed set of preallocated slots ordered by RTP timestamp (extended to 64
// bits, so wraparound is invisible), which also repairs reordering. The queue holds the playout
// position (the next timeline sample the depacketizer will produce) so it can classify each
// packet as it arrives:
//  - A packet arriving after its first sample was played out is late and dropped; one with the
//    timestamp of a buffered or recently played packet is a duplicate; one beyond max_ahead_ms
//    (or with every slot taken by earlier audio) is too early.
//  - Many late or early packets in a row mean the sender's timeline jumped (a restart): the
//    queue then resynchronises to the new timeline. Late packets that gain on the playout
//    position do not count: they are a backlog draining after a stall (of the sender, the
//    network or the host), on the same timeline, and dropping them keeps the output on it;
//    nor do packets refused only because every slot is taken (the receiver's own stall).
//    A new SSRC (the validator re-locked to another sender) resynchronises at once.
// A redundant packet (RFC 2198: an earlier packet's records carried in a later one) is filed
// only where no packet with its timestamp is buffered or was played, and it plays like the packet
// it repeats (counted as repaired when it does). When it is not needed it is dropped silently: the
// network lost, duplicated or delayed nothing, so no counter, the interarrival jitter or the
// resync run notices it; only its playout margin is filed, needed or not, so that an adaptive
// target makes room for the copies to come in time. The original arriving after its copy was filed
// is no duplicate: the copy then plays as the original (or, playing already, as repaired). Every
// resynchronisation (and reset()) starts a new generation: the stages downstream restart. It also
// measures the arrivals: the RFC 3550 interarrival jitter, and the playout margin of each packet
// (how far ahead of the playout position it arrived; negative when late), whose low percentile is
// what an adaptive latency target needs (ArrivalStats). Single-threaded (the playout thread). No
// allocation, lock or system call after construction.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "extrema/codec/record.h"
#include "extrema/codec/sample_rate.h"
#include "net/arrival_stats.h"
#include "net/packet_validator.h"

namespace extrema::net {

struct PacketQueueConfig {
    double sample_rate_hz = codec::kDefaultSampleRateHz;
    std::size_t slot_count = 64;
    double max_ahead_ms = 1000.0;
    std::size_t resync_after_drops = 25;
    ArrivalStatsConfig arrivals;
};

enum class InsertResult { kAccepted, kDuplicate, kLate, kTooEarly };

// Where a packet came from: the network, or a redundant block of a later packet (RFC 2198).
enum class PacketOrigin { kNetwork, kRedundant };

struct PacketQueueCounters {
    std::uint64_t accepted = 0;
    std::uint64_t duplicate = 0;
    std::uint64_t late = 0;
    std::uint64_t early = 0;  // beyond max_ahead_ms, or evicted/refused when full
    std::uint64_t resyncs = 0;
    std::uint64_t repaired = 0;  // redundant packets that played in a lost one's place
};

// A buffered packet: where it starts on the timeline, how many samples its records make.
struct QueuedPacket {
    std::int64_t start = 0;     // extended timestamp of the first sample
    std::uint64_t samples = 0;  // samples the records produce
    std::size_t record_count = 0;
    bool has_anchor = false;
    bool redundant = false;                         // filed from a redundant block
    codec::BankId bank = codec::BankId::kStandard;  // the records' bank
};

class PacketQueue {
  public:
    // Throws std::invalid_argument for a config out of range.
    explicit PacketQueue(const PacketQueueConfig& config);

    // Files a validated packet that arrived at `arrival`. A packet from another SSRC than the
    // last one starts a new timeline. A redundant one is filed only if its timestamp's packet is
    // missing (see above).
    InsertResult insert(const ValidatedPacket& packet, Clock::time_point arrival,
                        PacketOrigin origin = PacketOrigin::kNetwork) noexcept;
    // Forgets all packets and the timeline (counters and arrival statistics are kept).
    void reset() noexcept;
    // A timestamp extended onto the timeline (the nearest to the playout position, or to the
    // first buffered packet before playout), as insert() files it.
    std::int64_t extend_timestamp(std::uint32_t timestamp) const noexcept {
        return extend(timestamp);
    }
    // Incremented by every reset (a resync, a new sender, reset()).
    std::uint64_t generation() const noexcept { return generation_; }

    // ---- The playout cursor (driven by the depacketizer) ----
    bool started() const noexcept { return started_; }
    // Starts playout at the first buffered packet (which must exist).
    void start() noexcept;
    std::int64_t position() const noexcept { return play_pos_; }
    void advance(std::uint64_t samples) noexcept {
        play_pos_ += static_cast<std::int64_t>(samples);
    }

    bool empty() const noexcept { return order_.empty(); }
    std::size_t size() const noexcept { return order_.size(); }
    const QueuedPacket& front() const noexcept { return slots_[order_.front()]; }
    std::span<const codec::Record> front_records() const noexcept;
    // Start of the packet after the front one; the front's end when there is none.
    std::int64_t front_limit() const noexcept;
    // The front packet is being decoded from now on (it is then never evicted) and counts as
    // played for duplicate detection.
    void hold_front() noexcept;
    bool front_held() const noexcept { return held_; }
    void release_front() noexcept;
    // Releases packets that start before the playout position (insert() refuses those, so this
    // only guards), counted late; returns how many.
    std::size_t drop_stale() noexcept;

    // End (extended timestamp just past the last sample) of the furthest buffered packet; 0 when
    // none is.
    std::int64_t buffered_end() const noexcept;
    // Audio buffered ahead of the playout position (or buffered in all, before playout starts).
    std::uint64_t level_samples() const noexcept;

    const ArrivalStats& arrivals() const noexcept { return arrivals_; }
    // Subtracted from the playout margins filed from now on (ArrivalStats), samples.
    void set_margin_reference(double samples) noexcept { arrivals_.set_margin_reference(samples); }
    const PacketQueueCounters& counters() const noexcept { return counters_; }
    const PacketQueueConfig& config() const noexcept { return config_; }

  private:
    std::int64_t extend(std::uint32_t timestamp) const noexcept;
    InsertResult classify(std::int64_t start) noexcept;
    // Whether `start` lies further than max_ahead_ms from the playout position (or, before
    // playout, from the first buffered packet); needs one of them.
    bool beyond_reach(std::int64_t start) const noexcept;
    InsertResult store(const ValidatedPacket& packet, std::int64_t start,
                       bool redundant = false) noexcept;
    InsertResult insert_redundant(const ValidatedPacket& packet) noexcept;
    // A network packet whose timestamp a redundant copy holds: the copy becomes the packet.
    bool adopt_copy(std::int64_t start) noexcept;
    // Whether a refused packet (`result`, starting at `start`) adds to the run of bad packets
    // that makes the queue resynchronise.
    bool counts_toward_resync(InsertResult result, std::int64_t start) noexcept;

    PacketQueueConfig config_;
    std::uint64_t max_ahead_samples_ = 0;

    std::vector<QueuedPacket> slots_;
    std::vector<codec::Record> records_;  // slot_count * kMaxRecordsPerPacket
    std::vector<std::size_t> order_;      // occupied slots by start; front may be playing
    std::vector<std::size_t> free_;       // unoccupied slots
    std::vector<std::int64_t> played_;    // starts of recently played packets (ring)
    std::size_t played_next_ = 0;

    bool started_ = false;
    std::int64_t play_pos_ = 0;
    bool held_ = false;  // order_.front() is being decoded
    std::uint64_t generation_ = 0;

    std::uint32_t ssrc_ = 0;  // sender of the current timeline
    bool has_ssrc_ = false;
    std::size_t consecutive_bad_ = 0;
    bool has_last_late_ = false;           // the last late packet since the reset:
    std::int64_t last_late_start_ = 0;     // its start,
    std::int64_t last_late_play_pos_ = 0;  // and the playout position when it came
    ArrivalStats arrivals_;
    PacketQueueCounters counters_;
};

}  // namespace extrema::net
