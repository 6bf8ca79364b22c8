#pragma once
// The receiver's half of a link, minus the socket: datagrams in, the sender's timeline out.
//
//   network thread:  datagram -> [SSRC lock, SRTP unprotect] -> validator -> hand-over queue
//                    (a RED packet's redundant blocks follow it as packets of their own)
//   playout thread:  hand-over queue -> packet queue -> depacketizer -> noise filler -> concealer
//                    (net::JitterBuffer)  -> latency tuner -> resampler (DriftCorrector) -> samples
//
// RFC 3389 comfort-noise packets (DTX, network.cn_payload_type) go from the hand-over queue to
// the noise filler instead of the packet queue: through a DTX pause it plays the signalled noise
// on the sender's timeline (rx.dtx_samples, neither loss nor concealment), and the latency tuner
// and drift fit hold, since nothing arrives by design.
//
// The latency tuner holds the jitter buffer's level at a target: receiver.jitter_target_ms
// (receiver.latency = "fixed"), or one that follows how late packets come, between
// receiver.min_latency_ms and receiver.max_latency_ms (receiver.latency = "adaptive",
// AdaptiveLatency). Either way the level moves by resampling only: nothing is dropped or
// repeated. Without drift correction a target applies from the next (re)start of playout.
//
// The playout half is the sink's audio::FrameReader: its thread is the device's callback, or
// the Pump of a sink without a clock (a file, the null sink). The two halves share only the
// lock-free hand-over queue, a latest-value snapshot of the playout counters and the requested
// jitter target, so read() is real-time safe. Every datagram is counted, every drop has a reason
// (net::DropReason, the jitter buffer's late/duplicate/early, or a full hand-over queue). Nothing
// allocates after construction but a new DTLS-SRTP session's keys, on the network thread.
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include <boost/asio/ip/udp.hpp>
#include <boost/lockfree/spsc_queue.hpp>

#include "audio/frame_reader.h"
#include "net/jitter_buffer.h"
#include "net/packet_validator.h"
#include "net/srtp_session.h"
#include "pipeline/adaptive_latency.h"
#include "pipeline/drift_corrector.h"
#include "pipeline/latest_value.h"
#include "pipeline/link_config.h"
#include "pipeline/link_stats.h"
#include "pipeline/sequence_tracker.h"

namespace extrema::pipeline {

class ReceivePath final : public audio::FrameReader {
  public:
    // `peers`: the senders accepted (resolved by the link); empty with accept_any_peer = anyone.
    // Throws std::invalid_argument for settings out of range, net::SrtpKeyError for a bad key.
    ReceivePath(const LinkConfig& config, std::vector<boost::asio::ip::udp::endpoint> peers,
                bool accept_any_peer);

    // Network thread. One datagram as read from the socket at `now` (SRTP is removed in place,
    // hence mutable). `wire_bytes` is its real size: more than datagram.size() when the socket
    // cut it (net::receive_datagram), and then it is dropped as payload_too_long.
    void on_datagram(std::span<std::uint8_t> datagram, std::size_t wire_bytes,
                     const boost::asio::ip::udp::endpoint& sender, net::Clock::time_point now);

    // Playout thread (real-time safe). The next out.size() samples of the sender's timeline
    // (normalised mono): silence until playout starts, concealment where packets are missing,
    // slightly resampled while the drift corrector steers the buffer back to its target.
    void read(std::span<float> out) noexcept override;

    // Playout thread, or any thread once the playout thread has stopped: files the packets
    // still in the hand-over queue and publishes the counters, so a final stats() is complete.
    void settle() noexcept;

    // Any thread (SIGHUP): a new fixed target delay, applied at the next read() (with
    // receiver.latency = "adaptive" it is kept for a later switch and changes nothing now). With
    // drift correction the buffer slews to it without a gap; without, the new target applies
    // from the next (re)start of playout. Throws std::invalid_argument here, on the caller's
    // thread, for a target the jitter buffer would refuse, so the playout thread never meets one.
    void set_target_delay_ms(double target_ms);

    // Network thread. Counters of both halves (the playout half as of its last read()), and the
    // playout start: output samples before the first timeline sample, and that sample's index.
    void fill_stats(ReceiveStats& stats) noexcept;
    std::optional<std::uint64_t> lead_samples() noexcept;
    // Network thread: the target delay the receiver holds now (fixed, or the adaptive one), ms,
    // and the playout position (extended RTP timestamp of the next sample read() produces), as
    // of the last read().
    double target_delay_ms() noexcept;
    std::int64_t playout_position() noexcept;
    std::int64_t first_played_position() noexcept;
    // Network thread. DTLS-SRTP (network.dtls): the keys of a new session. Until the first come,
    // every datagram is dropped as auth (nothing can be authenticated yet); afterwards packets
    // under the previous session's keys are still taken (the sender switches a round trip later).
    void set_srtp_key(const net::SrtpKey& key);
    bool peer_allowed(const boost::asio::ip::udp::endpoint& sender) const noexcept {
        return validator_.peer_allowed(sender);
    }
    // Network thread: packets that passed validation so far, and the header of the last one
    // (what RTCP's reception reports count).
    std::uint64_t accepted_packets() const noexcept { return validator_.accepted(); }
    const net::RtpHeader& last_accepted_header() const noexcept { return packet_.header; }
    // Network thread: the SRTP session, or null without a key (its stream table is bounded).
    const net::SrtpSession* srtp() const noexcept { return srtp_.get(); }

  private:
    struct Arrival {
        net::ValidatedPacket packet;
        net::Clock::time_point at;
        net::PacketOrigin origin = net::PacketOrigin::kNetwork;
    };
    // What the playout half publishes for the network thread after each read().
    struct PlayoutCounters {
        net::JitterBufferCounters jitter;
        std::uint64_t lost = 0;
        std::uint64_t output_samples = 0;
        double jitter_ms = 0.0;
        double buffer_ms = 0.0;
        double drift_ppm = 0.0;
        double target_delay_ms = 0.0;
        std::int64_t playout_position = 0;
        bool started = false;  // lead_samples and first_played_position are set
        std::uint64_t lead_samples = 0;
        std::int64_t first_played_position = 0;
    };

    // SRTP of a datagram of `length` bytes, after the cheap SSRC check; false when dropped.
    bool unprotect(std::span<std::uint8_t> datagram, std::size_t& length,
                   net::Clock::time_point now) noexcept;
    void take_arrivals() noexcept;
    void apply_target(double target_ms) noexcept;
    // The level to hold for this fill (adaptive: updated from the arrivals).
    void tune(std::size_t samples) noexcept;
    void publish() noexcept;

    // Network half.
    std::unique_ptr<net::SrtpSession> srtp_;
    std::unique_ptr<net::SrtpSession> previous_srtp_;  // DTLS: the session before srtp_
    bool awaits_keys_ = false;                         // SRTP keys come from DTLS
    net::PacketValidator validator_;
    net::ValidatedPacket packet_;  // reused for every datagram
    std::uint64_t datagrams_ = 0;
    std::uint64_t wire_bytes_ = 0;
    std::uint64_t handoff_overflows_ = 0;

    // Shared, lock-free.
    boost::lockfree::spsc_queue<Arrival> arrivals_;
    LatestValue<PlayoutCounters> counters_;
    std::atomic<double> requested_target_ms_;

    // Playout half.
    double rate_hz_;
    net::JitterBuffer jitter_;
    DriftCorrector drift_;
    bool drift_correction_;
    bool adaptive_;  // receiver.latency = "adaptive"
    AdaptiveLatency adaptive_latency_;
    double half_packet_samples_;  // of our packet_ms: the peer is assumed to match
    double max_target_ms_;      // the jitter buffer's horizon; constant, so any thread may read it
    double applied_target_ms_;  // what jitter_ and target_samples_ were set for
    double target_samples_ = 0.0;  // mean level the drift corrector holds
    std::uint64_t resyncs_seen_ = 0;
    SequenceTracker sequence_;
    std::uint64_t produced_ = 0;  // samples handed out by read()
    bool started_ = false;
    std::uint64_t lead_samples_ = 0;
    std::int64_t first_played_position_ = 0;
};

}  // namespace extrema::pipeline
