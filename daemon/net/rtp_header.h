#pragma once
// RTP fixed header (RFC 3550 §5.1), network byte order:
//
//   byte 0: V(2) P(1) X(1) CC(4)    byte 1: M(1) PT(7)
//   bytes 2-3: sequence number      bytes 4-7: timestamp      bytes 8-11: SSRC
//   then CC 4-byte CSRCs, then (X) a 4-byte extension header {profile u16, length u16 in 32-bit
//   words} and its words, then the payload, then (P) padding whose last byte counts itself.
//
// We send only the 12-byte fixed header (no CSRC, extension or padding) but parse all of it,
// since a receiver must survive whatever arrives.
#include <cstdint>
#include <span>

#include "net/wire_limits.h"

namespace extrema::net {

inline constexpr std::uint8_t kRtpVersion = 2;
inline constexpr std::uint8_t kMaxPayloadType = 127;  // 7-bit field

struct RtpHeader {
    bool marker = false;
    std::uint8_t payload_type = 96;  // first dynamic type (RFC 3551 §3): ours is not registered
    std::uint16_t sequence = 0;
    std::uint32_t timestamp = 0;
    std::uint32_t ssrc = 0;
    bool operator==(const RtpHeader&) const = default;
};

// Writes V=2, P=0, X=0, CC=0 and the fields. payload_type is masked to 7 bits.
void pack_rtp_header(const RtpHeader& header,
                     std::span<std::uint8_t, kRtpHeaderBytes> out) noexcept;

enum class RtpParseError {
    kNone,
    kTruncatedHeader,        // shorter than 12 bytes
    kBadVersion,             // version field is not 2
    kCsrcBeyondPacket,       // CSRC count runs past the end
    kExtensionBeyondPacket,  // extension header or its words run past the end
    kBadPadding,             // padding count 0 or longer than what follows the headers
};

// A parsed datagram: the header and views into the caller's bytes.
struct RtpPacketView {
    RtpHeader header;
    std::uint8_t csrc_count = 0;
    bool has_extension = false;
    std::uint16_t extension_profile = 0;
    std::span<const std::uint8_t> extension;  // the extension's words, without its header
    std::span<const std::uint8_t> payload;    // padding removed
    std::uint8_t padding_bytes = 0;
};

// The SSRC field of a datagram of at least kRtpHeaderBytes (SRTP leaves it in clear).
inline std::uint32_t ssrc_of(std::span<const std::uint8_t> datagram) noexcept {
    return std::uint32_t{datagram[8]} << 24 | std::uint32_t{datagram[9]} << 16 |
           std::uint32_t{datagram[10]} << 8 | std::uint32_t{datagram[11]};
}

// Parses and bounds-checks a whole datagram. On error `out` is unspecified.
RtpParseError parse_rtp_packet(std::span<const std::uint8_t> datagram, RtpPacketView& out) noexcept;

}  // namespace extrema::net
