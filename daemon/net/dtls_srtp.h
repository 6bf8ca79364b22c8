#pragma once
// DTLS-SRTP (RFC 5764) with OpenSSL: a DTLS 1.2 handshake on the RTP socket gives every session
// fresh SRTP keys, so a recorded session cannot be replayed to a restarted receiver.
//
// Authentication is the link's pre-shared key file (its 30 bytes as the DTLS PSK, RFC 4279)
// with an ephemeral ECDH exchange (ECDHE-PSK, RFC 5489): only a holder of the key can complete
// the handshake, and the SRTP keys of a session stay secret even if the key file leaks later.
// The keys come from the exporter "EXTRACTOR-dtls_srtp" for SRTP_AES128_CM_SHA1_80 (RFC 5764
// §4.2): the client sends with the client write key, the server with the server write key.
//
// No socket here: datagrams in (on_datagram), datagrams out (Transmit), timers driven by
// on_tick(), all on the network thread; OpenSSL works on memory BIOs. Roles: the client starts
// the handshake (it must know its peer); the server answers whoever the receiver accepts. A
// completed session's keys stay in use until a new handshake completes, so a stray or replayed
// ClientHello costs nothing but a failed handshake. (DTLS drops records that fail their MAC
// silently: a handshake with a wrong key stalls rather than fails; the client restarts it.) A
// server that has no keys yet and receives SRTP from its peer (it restarted) asks for a new
// handshake with a one-record nudge, at most once a second; a client honours a nudge at most once
// every two seconds.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <vector>

#include "net/srtp_session.h"

struct ssl_ctx_st;
struct ssl_st;

namespace extrema::net {

enum class DtlsRole { kClient, kServer };

// RFC 5764 §5.1.2 / RFC 7983: a first byte of 20..63 is DTLS, 128..191 RTP or RTCP.
inline bool is_dtls_datagram(std::span<const std::uint8_t> datagram) noexcept {
    return !datagram.empty() && datagram[0] >= 20 && datagram[0] <= 63;
}

class DtlsError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// The SRTP master keys of one DTLS session, for each direction of this end.
struct DtlsSrtpKeys {
    SrtpKey send{};
    SrtpKey receive{};
};

class DtlsSrtp {
  public:
    using Clock = std::chrono::steady_clock;
    // Sends one datagram to the peer (the client's configured peer; for the server, the sender
    // of the last handshake datagram).
    using Transmit = std::function<void(std::span<const std::uint8_t> datagram)>;

    // Throws DtlsError if OpenSSL refuses the set-up.
    DtlsSrtp(const SrtpKey& psk, DtlsRole role, Transmit transmit);
    ~DtlsSrtp();
    DtlsSrtp(const DtlsSrtp&) = delete;
    DtlsSrtp& operator=(const DtlsSrtp&) = delete;

    // Client: starts a new handshake (the previous session's keys stay until it completes).
    void start(Clock::time_point now);
    // A datagram in the DTLS range from the peer.
    void on_datagram(std::span<const std::uint8_t> datagram, Clock::time_point now);
    // Retransmits a lost flight when its timer ran out (DTLSv1_handle_timeout). Call at every
    // network wake-up; cheap when nothing is due.
    void on_tick(Clock::time_point now);
    // Server: SRTP arrived from the peer while no keys are agreed (it kept its session across
    // our restart): nudge it to start a new handshake, at most once a second.
    void on_srtp_without_keys(Clock::time_point now);

    // The keys of a handshake that completed since the last call, once.
    std::optional<DtlsSrtpKeys> take_keys() noexcept;
    bool has_keys() const noexcept { return sessions_ > 0; }
    std::uint64_t sessions() const noexcept { return sessions_; }  // handshakes completed
    std::uint64_t failures() const noexcept { return failures_; }  // handshakes abandoned
    DtlsRole role() const noexcept { return role_; }

  private:
    friend struct DtlsPskCallbacks;
    void new_handshake();
    void advance();
    void flush();
    void send_nudge();

    SrtpKey psk_;
    DtlsRole role_;
    Transmit transmit_;
    ssl_ctx_st* context_ = nullptr;
    ssl_st* ssl_ = nullptr;
    bool done_ = false;                // ssl_ finished its handshake
    std::vector<std::uint8_t> hello_;  // server: the ClientHello this handshake answers
    std::optional<DtlsSrtpKeys> fresh_;
    std::uint64_t sessions_ = 0;
    std::uint64_t failures_ = 0;
    std::optional<Clock::time_point> last_nudge_;
    std::optional<Clock::time_point> last_start_;
    std::optional<Clock::time_point> last_nudged_;  // client: the last nudge honoured
};

}  // namespace extrema::net
