#pragma once
// Receive-side jitter buffer: packets in, the sender's timeline out, sample for sample.
//
// Packets are kept in a fixed set of preallocated slots ordered by RTP timestamp (extended to 64
// bits, so wraparound is invisible), which also repairs reordering. Playout starts once
// target_delay_ms of audio is buffered and then advances exactly one timeline sample per output
// sample: a packet plays at the position its timestamp names, whatever its arrival time.
//  - A span with no packet (loss, or nothing arrived yet: underrun) is concealed by
//    codec::LossConcealer (G.711 Appendix I: the last pitch periods repeated, attenuated after
//    10 ms, silence from 60 ms); the first samples of the packet after it are overlap-added with
//    the substitute. The timeline is unchanged: every packet still plays at its timestamp.
//  - A packet whose records run past the next packet's timestamp is cut there (counted); one
//    that ends short of it leaves a gap, concealed as above.
//  - A packet arriving after its first sample was played out is late and dropped; one with the
//    timestamp of a buffered or recently played packet is a duplicate; one beyond max_ahead_ms
//    (or with every slot taken by earlier audio) is too early.
//  - Many late or early packets in a row mean the sender's timeline jumped (a restart): the
//    buffer then resynchronises to the new timeline. Late packets that gain on the playout
//    position do not count: they are a backlog draining after a stall (of the sender, the
//    network or the host), on the same timeline, and dropping them keeps the output on it;
//    nor do packets refused only because every slot is taken (the receiver's own stall).
//    A new SSRC (the validator re-locked to another sender) resynchronises at once.
//  - A redundant packet (RFC 2198: an earlier packet's records carried in a later one) is filed
//    only where no packet with its timestamp is buffered or was played, and it plays like the
//    packet it repeats (counted as repaired when it does). When it is not needed it is dropped
//    silently: the network lost, duplicated or delayed nothing, so no counter, the jitter
//    estimate or the resync run notices it. The original arriving after its copy is filed
//    is no duplicate: the copy then plays as the original (or, playing already, as repaired).
// Single-threaded: insert() and read() are called from one thread (the playback callback, or for
// a file output the network thread). No allocation, lock or system call after construction.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "extrema/codec/curve_bank.h"
#include "extrema/codec/decoder.h"
#include "extrema/codec/loss_concealer.h"
#include "net/packet_validator.h"

namespace extrema::net {

struct JitterBufferConfig {
    // Stream rate: converts the millisecond settings to samples. 48 kHz: the sound-card default.
    double sample_rate_hz = 48000.0;
    // Audio buffered before playout starts, and so the latency the buffer adds. 20 ms leaves
    // room for a few ms of arrival jitter plus one 10 ms packet arriving late; a path with less
    // jitter may allow a smaller target (with packet_ms below it). These are design margins,
    // not measurements of any network.
    double target_delay_ms = 20.0;
    // Packets held at once. 64 packets of 10 ms is 640 ms: far more than the target delay, so
    // a burst after a network stall fits. Memory: slots * kMaxRecordsPerPacket records.
    std::size_t slot_count = 64;
    // A packet starting further than this ahead of the playout position is too early. 1 s is
    // beyond any sane jitter; what lies further is a sender that jumped or a bogus timestamp.
    double max_ahead_ms = 1000.0;
    // This many late or too-early packets in a row mean the sender's timeline moved (a restart,
    // or a delay that grew for good): resynchronise to it. 25 packets is 250 ms at 10 ms per
    // packet, long enough that a burst of reordering never triggers it. The late backlog of a
    // stall, which gains on the playout, does not count (see above).
    std::size_t resync_after_drops = 25;
    // After a restart (resync, new sender) what was playing fades to zero over this time during
    // the new pre-roll. 5 ms is long enough for no click, short enough to sound like a stop.
    double restart_fade_ms = 5.0;
};

enum class InsertResult { kAccepted, kDuplicate, kLate, kTooEarly };

// Where a packet came from: the network, or a redundant block of a later packet (RFC 2198).
enum class PacketOrigin { kNetwork, kRedundant };

struct JitterBufferCounters {
    std::uint64_t accepted = 0;
    std::uint64_t duplicate = 0;
    std::uint64_t late = 0;
    std::uint64_t early = 0;              // beyond max_ahead_ms, or evicted/refused when full
    std::uint64_t truncated = 0;          // packets cut at the next packet's timestamp
    std::uint64_t gaps = 0;               // concealment episodes (a missing or short packet)
    std::uint64_t underruns = 0;          // read() calls that ran out of buffered audio
    std::uint64_t concealed_samples = 0;  // samples made up by concealment
    std::uint64_t played_samples = 0;     // samples decoded from packets
    std::uint64_t resyncs = 0;            // timeline jumps followed
    std::uint64_t repaired = 0;           // redundant packets that played in a lost one's place
};

class JitterBuffer {
  public:
    // Throws std::invalid_argument for a config out of range.
    explicit JitterBuffer(const JitterBufferConfig& config,
                          const codec::CurveBank& bank = codec::CurveBank::standard());

    // Files a validated packet that arrived at `arrival` (used for the RFC 3550 jitter
    // estimate). A packet from another SSRC than the last one starts a new timeline. A redundant
    // one is filed only if its timestamp's packet is missing (see above).
    InsertResult insert(const ValidatedPacket& packet, Clock::time_point arrival,
                        PacketOrigin origin = PacketOrigin::kNetwork) noexcept;

    // Fills all of `out` with normalised samples ([-1, 1]): zeros until playout starts, then the
    // sender's timeline with gaps concealed.
    void read(std::span<float> out) noexcept;

    // A new target delay (live reconfiguration). It governs when playout (re)starts; a playing
    // buffer keeps its timeline, so the level moves to the new target only through the drift
    // corrector downstream, or at the next restart. Refused (false, nothing changes) outside
    // [0, max_ahead_ms): it may run on an audio callback, so it never throws.
    bool set_target_delay_ms(double target_ms) noexcept;
    // Whether a buffer looking max_ahead_ms ahead takes this target: in [0, max_ahead_ms).
    static bool target_fits(double target_ms, double max_ahead_ms) noexcept {
        return target_ms >= 0.0 && target_ms < max_ahead_ms;
    }

    // Forgets all packets and the timeline (counters are kept).
    void reset() noexcept;

    bool playing() const noexcept { return started_; }
    // Audio buffered ahead of the playout position (or buffered in all, before playout starts).
    std::uint64_t level_samples() const noexcept;
    double level_ms() const noexcept;
    // RFC 3550 §6.4.1 interarrival jitter estimate, over the packets accepted: late, duplicate
    // and refused packets are left out, so a spoofed or stray one cannot poison it.
    double jitter_ms() const noexcept { return jitter_samples_ * 1000.0 / config_.sample_rate_hz; }
    // Extended timestamp of the next sample read() will produce.
    std::int64_t playout_position() const noexcept { return play_pos_; }
    std::size_t buffered_packets() const noexcept { return order_.size(); }
    const JitterBufferCounters& counters() const noexcept { return counters_; }
    const JitterBufferConfig& config() const noexcept { return config_; }

  private:
    struct Slot {
        std::int64_t start = 0;     // extended timestamp of the first sample
        std::uint64_t samples = 0;  // samples the records produce
        std::size_t record_count = 0;
        bool has_anchor = false;
        bool redundant = false;  // filed from a redundant block
    };

    std::int64_t extend(std::uint32_t timestamp) const noexcept;
    void update_jitter(std::int64_t start, Clock::time_point arrival) noexcept;
    InsertResult classify(std::int64_t start) noexcept;
    // Whether `start` lies further than max_ahead_ms from the playout position (or, before
    // playout, from the first buffered packet); needs one of them.
    bool beyond_reach(std::int64_t start) const noexcept;
    InsertResult store(const ValidatedPacket& packet, std::int64_t start,
                       bool redundant = false) noexcept;
    InsertResult insert_redundant(const ValidatedPacket& packet) noexcept;
    // A network packet whose timestamp a redundant copy holds: the copy becomes the packet.
    bool adopt_copy(std::int64_t start) noexcept;
    InsertResult count_bad(InsertResult result) noexcept;
    // Whether a refused packet (`result`, starting at `start`) adds to the run of bad packets
    // that makes the buffer resynchronise.
    bool counts_toward_resync(InsertResult result, std::int64_t start) noexcept;
    // End (extended timestamp just past the last sample) of the furthest buffered packet; 0
    // when none is.
    std::int64_t buffered_end() const noexcept;
    bool ready() const noexcept;
    void preroll(std::span<float> out) noexcept;
    std::size_t play(std::span<float> out) noexcept;
    std::size_t conceal(std::span<float> out) noexcept;
    void release_front() noexcept;
    const codec::Record* records_of(std::size_t slot) const noexcept;

    JitterBufferConfig config_;
    std::uint64_t target_samples_ = 0;
    std::uint64_t max_ahead_samples_ = 0;
    std::uint64_t fade_samples_ = 0;

    std::vector<Slot> slots_;
    std::vector<codec::Record> records_;  // slot_count * kMaxRecordsPerPacket
    std::vector<std::size_t> order_;      // occupied slots by start; front may be playing
    std::vector<std::size_t> free_;       // unoccupied slots
    std::vector<std::int64_t> played_;    // starts of recently played packets (ring)
    std::size_t played_next_ = 0;

    codec::Decoder decoder_;
    bool started_ = false;
    std::int64_t play_pos_ = 0;
    std::uint64_t preroll_samples_ = 0;  // pre-roll output since the first packet was buffered
    float fade_out_from_ = 0.0f;         // value the pre-roll fades out from (after a reset)
    std::int64_t fade_out_done_ = 0;
    bool current_ = false;         // order_.front() is being decoded
    std::size_t next_record_ = 0;  // its next record to push into the decoder
    float last_value_ = 0.0f;      // last output sample, normalised

    codec::LossConcealer concealer_;
    bool concealing_ = false;        // the last output sample was concealed
    bool underrun_counted_ = false;  // once per read() call

    std::uint32_t ssrc_ = 0;  // sender of the current timeline
    bool has_ssrc_ = false;
    std::size_t consecutive_bad_ = 0;
    bool has_last_late_ = false;           // the last late packet since the reset:
    std::int64_t last_late_start_ = 0;     // its start,
    std::int64_t last_late_play_pos_ = 0;  // and the playout position when it came
    bool have_transit_ = false;
    double last_transit_ = 0.0;
    double jitter_samples_ = 0.0;
    Clock::time_point epoch_{};
    JitterBufferCounters counters_;
};

}  // namespace extrema::net
