#pragma once
// Receive stage 2: the depacketizer. Takes the packet queue's packets in timeline order and
// decodes their records into the sender's timeline, one timeline sample per output sample: a
// packet plays at the position its timestamp names, whatever its arrival time.
//  - Playout starts once target_delay_ms of audio is buffered (or the first packet has waited
//    that long); until then, and after a restart, it gives out silence, fading what was playing
//    to zero over restart_fade_ms.
//  - A packet whose records run past the next packet's timestamp is cut there (counted); a span
//    no packet covers is comfort noise when it is a DTX pause (the noise filler says so), else
//    it goes to the concealer; the packet after it is merged with it.
// Decoded on the int16 grid, as `extrema decode` writes it, then scaled: the timeline is the
// offline decode sample for sample.
// Single-threaded (the playout thread). No allocation, lock or system call after construction.
#include <cstdint>
#include <span>

#include "extrema/codec/curve_bank.h"
#include "extrema/codec/decoder.h"
#include "extrema/codec/sample_rate.h"
#include "net/concealer.h"
#include "net/noise_filler.h"
#include "net/packet_queue.h"

namespace extrema::net {

struct DepacketizerConfig {
    double sample_rate_hz = codec::kDefaultSampleRateHz;
    double target_delay_ms = 20.0;
    double restart_fade_ms = 5.0;
};

struct DepacketizerCounters {
    std::uint64_t truncated = 0;       // packets cut at the next packet's timestamp
    std::uint64_t played_samples = 0;  // samples decoded from packets
};

class Depacketizer {
  public:
    // Reads from `queue`, fills DTX pauses through `noise`, conceals through `concealer`; all
    // must outlive it. Throws std::invalid_argument for a config out of range. Each packet is
    // decoded with the bank it names (QueuedPacket::bank): the standard or the swing bank.
    Depacketizer(const DepacketizerConfig& config, PacketQueue& queue, Concealer& concealer,
                 NoiseFiller& noise);

    // Fills all of `out` with normalised samples ([-1, 1]).
    void read(std::span<float> out) noexcept;
    // Delay buffered before playout (re)starts; >= 0 (the caller checks).
    void set_target_delay_ms(double target_ms) noexcept;

    const DepacketizerCounters& counters() const noexcept { return counters_; }

  private:
    // Restarts when the queue started a new generation (a resync, a new sender, a reset).
    void follow_queue() noexcept;
    bool ready() const noexcept;
    void preroll(std::span<float> out) noexcept;
    std::size_t play(std::span<float> out) noexcept;
    std::size_t decode(std::span<float> out) noexcept;
    std::size_t conceal(std::span<float> out) noexcept;

    DepacketizerConfig config_;
    PacketQueue& queue_;
    Concealer& concealer_;
    NoiseFiller& noise_;
    // Built here, not on the playout thread: a bank's first use builds its tables.
    const codec::CurveBank& standard_bank_;
    const codec::CurveBank& swing_bank_;
    codec::Decoder decoder_;
    std::uint64_t target_samples_ = 0;
    std::uint64_t fade_samples_ = 0;
    std::uint64_t generation_ = 0;

    std::uint64_t preroll_samples_ = 0;  // pre-roll output since the first packet was buffered
    float fade_out_from_ = 0.0f;         // value the pre-roll fades out from (after a restart)
    std::int64_t fade_out_done_ = 0;
    std::size_t next_record_ = 0;  // the held front packet's next record for the decoder
    float last_value_ = 0.0f;      // last output sample, normalised
    DepacketizerCounters counters_;
};

}  // namespace extrema::net
