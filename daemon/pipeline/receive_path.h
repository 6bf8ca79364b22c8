#pragma once
// The receiver's half of a link, minus the socket: datagrams in, the sender's timeline out.
//
//   datagram -> [SRTP unprotect] -> validator -> jitter buffer -> drift corrector -> samples
//
// Every datagram is counted, every drop has a reason (net::DropReason, or the jitter buffer's
// late/duplicate/early). Runs on the link's network thread only; nothing allocates after
// construction.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include <boost/asio/ip/udp.hpp>

#include "net/jitter_buffer.h"
#include "net/packet_validator.h"
#include "net/srtp_session.h"
#include "pipeline/drift_corrector.h"
#include "pipeline/link_config.h"
#include "pipeline/link_stats.h"
#include "pipeline/sequence_tracker.h"

namespace extrema::pipeline {

class ReceivePath {
  public:
    // `peers`: the senders accepted (resolved by the link); empty with accept_any_peer = anyone.
    // Throws std::invalid_argument for settings out of range, net::SrtpKeyError for a bad key.
    ReceivePath(const LinkConfig& config, std::vector<boost::asio::ip::udp::endpoint> peers,
                bool accept_any_peer);

    // One datagram as read from the socket (SRTP is removed in place, hence mutable).
    void on_datagram(std::span<std::uint8_t> datagram,
                     const boost::asio::ip::udp::endpoint& sender, net::Clock::time_point now);

    // The next out.size() samples of the sender's timeline (normalised mono): silence until
    // playout starts, concealment where packets are missing, slightly resampled while the
    // drift corrector steers the buffer back to its target.
    void fill(std::span<float> out) noexcept;

    // SIGHUP: a new target delay. With drift correction the buffer slews to it without a gap;
    // without, the new target applies from the next (re)start of playout.
    void set_target_delay_ms(double target_ms);

    // Output samples produced before the first sample of the timeline played, and which timeline
    // sample that was; both set once playout has started (the loopback harness aligns with them).
    std::optional<std::uint64_t> lead_samples() const noexcept { return lead_samples_; }
    std::int64_t first_played_position() const noexcept { return first_played_position_; }

    void fill_stats(ReceiveStats& stats) const noexcept;

  private:
    double rate_hz_;
    std::unique_ptr<net::SrtpSession> srtp_;
    net::PacketValidator validator_;
    net::JitterBuffer jitter_;
    DriftCorrector drift_;
    bool drift_correction_;
    double half_packet_samples_;  // of our packet_ms: the peer is assumed to match
    double target_samples_ = 0.0;  // mean level the drift corrector holds
    std::uint64_t resyncs_seen_ = 0;
    SequenceTracker sequence_;
    net::ValidatedPacket packet_;  // reused for every datagram
    std::uint64_t datagrams_ = 0;
    std::uint64_t wire_bytes_ = 0;
    std::uint64_t produced_ = 0;  // samples handed out by fill()
    std::optional<std::uint64_t> lead_samples_;
    std::int64_t first_played_position_ = 0;
};

}  // namespace extrema::pipeline
