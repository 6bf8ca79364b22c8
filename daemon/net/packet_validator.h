#pragma once
// The receiver's gate: every datagram is checked here before anything else looks at it, and
// every drop is counted by reason. Nothing allocates after construction: the records of an
// accepted packet are decoded into the fixed array of a caller-owned ValidatedPacket.
//
// Checks, in order (docs/wire.md, "Validation"):
//   source address among the configured peers -> RTP header well-formed (version 2, CSRC list,
//   extension and padding inside the datagram) -> payload type -> payload within the cap ->
//   [RED (RFC 2198): framing, every block of our payload type] -> payload non-empty, a multiple
//   of 5 bytes -> an anchor only as the first record -> the records produce at least one and at
//   most max_packet_ms worth of samples -> SSRC (locks to the first valid sender; another SSRC
//   is taken only after ssrc_timeout_ms of silence from the locked one).
// The SSRC check comes last so that only a packet that passed everything else can take the lock.
// A RED packet's primary is checked as a plain packet's payload, and so is each redundant block:
// one bad block drops the whole packet (a sender has no reason to send it).
// An RFC 3389 comfort-noise packet (cn_payload_type, DTX) carries no records: its payload must
// parse (net/comfort_noise_payload.h), else it is dropped as bad_comfort_noise; it then takes the
// SSRC check like any packet.
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include <boost/asio/ip/udp.hpp>

#include "extrema/codec/comfort_noise.h"
#include "extrema/codec/curve_bank.h"
#include "extrema/codec/record.h"
#include "extrema/codec/sample_rate.h"
#include "net/drop_counters.h"
#include "net/red_payload.h"
#include "net/rtp_header.h"
#include "net/stream_defaults.h"
#include "net/stream_limits.h"
#include "net/wire_limits.h"

namespace extrema::net {

using Clock = std::chrono::steady_clock;

struct ValidatorConfig {
    // Stream rate; converts max_packet_ms to samples.
    double sample_rate_hz = codec::kDefaultSampleRateHz;
    // Payload type we accept for records of the standard bank (bank 1).
    std::uint8_t payload_type = kDefaultPayloadType;
    // Payload type of records of the swing bank (bank 3; docs/wire.md): the type names the bank,
    // so a receiver plays either whatever its own encoder.bank. None: dropped as payload_type.
    std::optional<std::uint8_t> swing_payload_type;
    // RFC 2198 redundancy (net/red_payload.h): packets of this payload type are RED packets
    // whose blocks are of a records type above. None: RED packets are dropped as payload_type.
    std::optional<std::uint8_t> red_payload_type;
    // RFC 3389 comfort noise (DTX pauses): packets of this payload type are CN packets. None:
    // they are dropped as payload_type.
    std::optional<std::uint8_t> cn_payload_type;
    // Largest payload accepted; at most kMaxPayloadBytes. The sender's cap is 1200; accepting up
    // to one unfragmented Ethernet frame lets a differently configured sender through.
    std::size_t max_payload_bytes = kMaxPayloadBytes;
    StreamLimits limits;
    // Allowed senders. Port 0 matches any port (NAT rewrites ports). An empty list rejects
    // everything unless accept_any_peer is set: accepting the world must be asked for.
    std::vector<boost::asio::ip::udp::endpoint> peers;
    bool accept_any_peer = false;
};

// An accepted packet, decoded. Fixed size; reused packet after packet.
struct ValidatedPacket {
    RtpHeader header;
    std::array<codec::Record, kMaxRecordsPerPacket> storage{};
    std::size_t record_count = 0;
    std::uint64_t samples = 0;                      // samples the records produce
    bool has_anchor = false;                        // records()[0] is an anchor
    codec::BankId bank = codec::BankId::kStandard;  // the records' bank (their payload type)
    bool ssrc_changed = false;  // first packet of a newly locked sender: reset the timeline
    // An RFC 3389 packet: no records, `noise` describes what to play from its timestamp on.
    bool comfort_noise = false;
    codec::NoiseDescription noise;

    std::span<const codec::Record> records() const noexcept {
        return std::span<const codec::Record>(storage).first(record_count);
    }
};

// The redundant blocks of an accepted RED packet, each as a packet of its own (the RTP header
// of the packet with the block's timestamp, marker clear), oldest first. They have no sequence
// numbers of their own: `header.sequence` is the carrying packet's.
struct RedundantPackets {
    std::array<ValidatedPacket, kMaxRedundantBlocks> storage{};
    std::size_t count = 0;

    std::span<const ValidatedPacket> packets() const noexcept {
        return std::span<const ValidatedPacket>(storage).first(count);
    }
};

class PacketValidator {
  public:
    // Throws std::invalid_argument for a config out of range (including no peers without
    // accept_any_peer).
    explicit PacketValidator(const ValidatorConfig& config);

    // Checks one datagram from `sender` received at `now`. On success fills `out` and returns
    // true; otherwise counts the reason and returns false (`out` unspecified). For an accepted
    // RED packet `out` is its primary and redundant() its redundant blocks (none otherwise).
    bool validate(std::span<const std::uint8_t> datagram,
                  const boost::asio::ip::udp::endpoint& sender, Clock::time_point now,
                  ValidatedPacket& out) noexcept;

    // Counts a drop decided outside (SRTP authentication and replay happen before validate()).
    void count_drop(DropReason reason) noexcept { drops_.add(reason); }
    bool peer_allowed(const boost::asio::ip::udp::endpoint& sender) const noexcept;
    // Whether a packet from `ssrc` at `now` could pass the SSRC check (the locked sender, or
    // any while none is locked or the locked one has been silent for ssrc_timeout_ms). Lets
    // the receiver refuse another sender before spending an HMAC and an SRTP stream on it.
    bool ssrc_may_enter(std::uint32_t ssrc, Clock::time_point now) const noexcept {
        return !locked_ssrc_ || *locked_ssrc_ == ssrc || now - last_from_locked_ >= ssrc_timeout_;
    }

    // The redundant blocks of the last accepted packet; valid until the next validate().
    const RedundantPackets& redundant() const noexcept { return redundant_; }
    const DropCounters& drops() const noexcept { return drops_; }
    std::uint64_t accepted() const noexcept { return accepted_; }
    std::optional<std::uint32_t> locked_ssrc() const noexcept { return locked_ssrc_; }
    std::uint64_t max_packet_samples() const noexcept { return max_packet_samples_; }
    const ValidatorConfig& config() const noexcept { return config_; }

  private:
    bool drop(DropReason reason) noexcept {
        drops_.add(reason);
        return false;
    }
    // The bank of records of this payload type; none when it is not a records type.
    std::optional<codec::BankId> bank_of(std::uint8_t payload_type) const noexcept;
    bool check_ssrc(std::uint32_t ssrc, Clock::time_point now, ValidatedPacket& out) noexcept;
    bool accept_comfort_noise(const RtpPacketView& view, Clock::time_point now,
                              ValidatedPacket& out) noexcept;
    // The records of one block (a plain payload, a RED primary or redundant block) into `out`
    // (records, count, samples, anchor); the reason it is refused otherwise.
    std::optional<DropReason> check_records(std::span<const std::uint8_t> payload,
                                            ValidatedPacket& out) const noexcept;

    ValidatorConfig config_;
    std::uint64_t max_packet_samples_ = 0;
    Clock::duration ssrc_timeout_{};
    std::optional<std::uint32_t> locked_ssrc_;
    Clock::time_point last_from_locked_{};
    DropCounters drops_;
    std::uint64_t accepted_ = 0;
    RedPayloadView red_;  // reused for every RED packet
    RedundantPackets redundant_;
};

}  // namespace extrema::net
