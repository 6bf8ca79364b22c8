#pragma once
// One end's RTCP (RFC 3550 §6) on a link's RTP socket, multiplexed (RFC 5761): it sends a
// compound (SR while this end sends RTP, else RR; a report block on the sender it hears; SDES
// CNAME) at the interval of RFC 3550 §6.3 (rtcp_interval.h), a BYE at the end, and reads the
// peer's compounds: from an SR it keeps LSR for its next report block, from a report block on
// its own SSRC it learns the round-trip time (LSR/DLSR, §6.4.1) and the peer's view of its
// stream (fraction lost, cumulative loss, jitter). With SRTP every compound goes through SRTCP
// (RFC 3711), keyed like the RTP. Network thread only; nothing allocates after construction.
#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <span>
#include <string>

#include <boost/asio/ip/udp.hpp>

#include "extrema/codec/sample_rate.h"
#include "net/rtcp_packet.h"
#include "net/rtcp_reception.h"
#include "net/rtp_header.h"
#include "net/srtp_session.h"

namespace extrema::net {

// Why an RTCP datagram was dropped, and how often.
struct RtcpDrops {
    std::uint64_t foreign_peer = 0;  // from a host that is not our peer
    std::uint64_t too_long = 0;      // cut by the socket's buffer
    std::uint64_t unkeyed = 0;       // SRTCP expected but no keys agreed yet (DTLS)
    std::uint64_t auth = 0;          // SRTCP authentication failed
    std::uint64_t replay = 0;        // SRTCP index seen before
    std::uint64_t srtp_error = 0;    // any other SRTCP failure
    std::array<std::uint64_t, kRtcpParseErrorCount> malformed{};  // by RtcpParseError

    std::uint64_t total() const noexcept;
};

// What RTCP has told this end so far. Plain data.
struct RtcpStats {
    std::uint64_t sr_sent = 0;
    std::uint64_t rr_sent = 0;
    std::uint64_t sr_received = 0;
    std::uint64_t rr_received = 0;
    std::uint64_t bye_sent = 0;
    std::uint64_t bye_received = 0;
    std::uint64_t send_errors = 0;  // compounds that could not be protected or sent
    RtcpDrops drops;
    // From the last report block the peer sent on our stream (valid once has_remote_report).
    bool has_remote_report = false;
    std::uint64_t remote_reports = 0;   // report blocks on our stream received
    double remote_fraction_lost = 0.0;  // 0..1, of the peer's last interval
    std::int64_t remote_cumulative_lost = 0;
    double remote_jitter_ms = 0.0;
    // Round trip from LSR/DLSR, once a block echoed one of our SRs; -1 before.
    double rtt_ms = -1.0;
};

class RtcpSession {
  public:
    using Clock = std::chrono::steady_clock;
    using Transmit = std::function<bool(std::span<const std::uint8_t> datagram,
                                        const boost::asio::ip::udp::endpoint& to)>;

    struct Config {
        double rate_hz = codec::kDefaultSampleRateHz;  // the RTP clock
        std::uint32_t ssrc = 0;                        // ours: the RTP sender's when this end sends
        std::string cname;                             // 1..kMaxCnameBytes
        // Wall time one second of the RTCP interval takes: 1 but for a link run faster than
        // real time (audio::Pace), whose reports then come as often per second of audio.
        double interval_scale = 1.0;
        std::optional<SrtpKey> srtp_key;  // SRTCP with these keys
        bool awaits_keys = false;         // SRTCP keys come later (DTLS): send nothing till then
    };

    // What this end has sent as RTP, for the SR's sender info.
    struct Sent {
        std::uint32_t packets = 0;
        std::uint32_t payload_bytes = 0;
        std::uint32_t rtp_timestamp = 0;  // the RTP clock now
    };

    // Throws std::invalid_argument for an empty or too long CNAME, SrtpKeyError for a bad key.
    RtcpSession(const Config& config, Transmit transmit);

    // Keys of a new DTLS-SRTP session: `send` protects our compounds, `receive` checks theirs.
    void set_srtp_keys(const SrtpKey& send, const SrtpKey& receive);
    // Where compounds go: the configured peer, or else the sender of the RTP we hear.
    void set_remote(const boost::asio::ip::udp::endpoint& remote) { remote_ = remote; }
    bool has_remote() const noexcept { return remote_.has_value(); }

    // An accepted RTP packet (arrival on the media clock, as the jitter buffer sees it).
    void on_rtp(const RtpHeader& header, Clock::time_point media_arrival) noexcept;
    // A datagram that is_rtcp() from an allowed peer, at `now` (steady clock). SRTCP is removed
    // in place. `wire_bytes` > datagram.size() means the socket cut it.
    void on_datagram(std::span<std::uint8_t> datagram, std::size_t wire_bytes,
                     Clock::time_point now) noexcept;
    // Sends a compound when one is due. `sent`: set while this end sends RTP.
    void on_tick(Clock::time_point now, const std::optional<Sent>& sent,
                 std::uint64_t rtp_wire_bytes) noexcept;
    // The last compound, with a BYE (RFC 3550 §6.6).
    void send_bye(Clock::time_point now, const std::optional<Sent>& sent) noexcept;

    // An RTCP datagram from a host that is not our peer (the caller checks).
    void count_foreign_peer() noexcept { ++stats_.drops.foreign_peer; }
    const RtcpStats& stats() const noexcept { return stats_; }
    std::uint32_t ssrc() const noexcept { return config_.ssrc; }
    // When the next compound is due.
    Clock::time_point next_due() const noexcept { return next_due_; }

  private:
    void send_compound(Clock::time_point now, const std::optional<Sent>& sent, bool bye) noexcept;
    void schedule(Clock::time_point now, bool we_sent) noexcept;
    void learn(const RtcpReport& report) noexcept;

    Config config_;
    Transmit transmit_;
    std::unique_ptr<SrtpSession> protect_;
    std::unique_ptr<SrtpSession> unprotect_;
    std::optional<boost::asio::ip::udp::endpoint> remote_;
    ReceptionStatistics reception_;
    RtcpReport report_;                                   // reused for every compound received
    alignas(4) std::array<std::uint8_t, 2048> buffer_{};  // libsrtp2 wants 32-bit alignment
    std::minstd_rand random_;
    bool started_ = false;
    bool sent_any_ = false;
    Clock::time_point started_at_{};
    Clock::time_point next_due_{};
    std::uint32_t packets_at_last_report_ = 0;
    std::uint64_t rtp_received_at_last_report_ = 0;
    std::uint64_t rtp_received_ = 0;
    std::uint64_t rtp_wire_bytes_ = 0;
    double average_rtcp_bytes_ = 0.0;  // RFC 3550 §6.3.3's avg_rtcp_size, UDP/IP included
    RtcpStats stats_;
};

// NTP time (RFC 3550 §4: 32.32 fixed point seconds since 1 January 1900) of the system clock.
std::uint64_t ntp_now() noexcept;

}  // namespace extrema::net
