#pragma once
// Receive-side jitter buffer: packets in, the sender's timeline out, sample for sample. It is
// the first receive stages chained in order, each one job:
//
//   insert() -> PacketQueue   (order, duplicates, late/early, resync, arrival statistics)
//               [CN packets -> NoiseFiller instead: they carry no records]
//   read()   -> Depacketizer  (records -> samples on the timeline, pre-roll, cuts)
//            -> NoiseFiller   (DTX pauses: RFC 3389 comfort noise, neither loss nor concealment)
//            -> Concealer     (other spans no packet covers; overlap-add after them)
//
// See each stage's header for its rules. The latency tuner and resampler follow it on the
// receive path (pipeline::DriftCorrector).
// Single-threaded: insert() and read() are called from one thread (the playback callback, or for
// a file output the network thread). No allocation, lock or system call after construction.
#include <cstddef>
#include <cstdint>
#include <span>

#include "extrema/codec/sample_rate.h"
#include "net/concealer.h"
#include "net/depacketizer.h"
#include "net/noise_filler.h"
#include "net/packet_queue.h"
#include "net/packet_validator.h"

namespace extrema::net {

struct JitterBufferConfig {
    // Stream rate: converts the millisecond settings to samples.
    double sample_rate_hz = codec::kDefaultSampleRateHz;
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
    // stall, which gains on the playout, does not count (packet_queue.h).
    std::size_t resync_after_drops = 25;
    // After a restart (resync, new sender) what was playing fades to zero over this time during
    // the new pre-roll. 5 ms is long enough for no click, short enough to sound like a stop.
    double restart_fade_ms = 5.0;
    // DTX pauses (noise_filler.h): without a CN refresh for this long, concealment takes over.
    double cn_timeout_ms = 1000.0;
    // Window of the arrival statistics (arrival_stats.h).
    ArrivalStatsConfig arrivals;
};

// The counters of the three stages, in one place.
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
    std::uint64_t cn_packets = 0;         // RFC 3389 comfort-noise packets taken
    std::uint64_t dtx_samples = 0;        // samples of comfort noise played through DTX pauses
};

class JitterBuffer {
  public:
    // Throws std::invalid_argument for a config out of range.
    explicit JitterBuffer(const JitterBufferConfig& config);
    JitterBuffer(const JitterBuffer&) = delete;  // the stages refer to each other
    JitterBuffer& operator=(const JitterBuffer&) = delete;

    // Files a validated packet that arrived at `arrival` (used for the arrival statistics). A
    // packet from another SSRC than the last one starts a new timeline; a redundant one is filed
    // only where its packet is missing (packet_queue.h).
    InsertResult insert(const ValidatedPacket& packet, Clock::time_point arrival,
                        PacketOrigin origin = PacketOrigin::kNetwork) noexcept;

    // Fills all of `out` with normalised samples ([-1, 1]): zeros until playout starts, then the
    // sender's timeline with gaps concealed.
    void read(std::span<float> out) noexcept { depacketizer_.read(out); }

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
    void reset() noexcept { queue_.reset(); }

    bool playing() const noexcept { return queue_.started(); }
    // A DTX pause is announced or playing (NoiseFiller::pause_pending): the level ahead says
    // nothing of the network or the clocks, so the latency tuner holds.
    bool in_dtx_pause() const noexcept { return noise_.pause_pending(); }
    // Audio buffered ahead of the playout position (or buffered in all, before playout starts).
    std::uint64_t level_samples() const noexcept { return queue_.level_samples(); }
    double level_ms() const noexcept;
    // RFC 3550 §6.4.1 interarrival jitter estimate (arrival_stats.h).
    double jitter_ms() const noexcept { return queue_.arrivals().jitter_ms(); }
    // Extended timestamp of the next sample read() will produce.
    std::int64_t playout_position() const noexcept { return queue_.position(); }
    std::size_t buffered_packets() const noexcept { return queue_.size(); }
    JitterBufferCounters counters() const noexcept;
    const JitterBufferConfig& config() const noexcept { return config_; }

    // The stages, for what sits downstream (the latency tuner reads the arrival statistics).
    const PacketQueue& queue() const noexcept { return queue_; }
    PacketQueue& queue() noexcept { return queue_; }

  private:
    JitterBufferConfig config_;
    PacketQueue queue_;
    Concealer concealer_;
    NoiseFiller noise_;
    std::uint64_t cn_packets_ = 0;
    Depacketizer depacketizer_;
};

}  // namespace extrema::net
