#pragma once
// RTCP compound packets (RFC 3550 §6): sender report (SR, 200), receiver report (RR, 201), source
// description (SDES, 202) with CNAME, and BYE (203); network byte order. Every packet starts
//
//   byte 0: V(2) P(1) count(5)   byte 1: packet type   bytes 2-3: length in 32-bit words - 1
//
// The parser never trusts a length: every packet must lie inside the datagram, the lengths must
// add up to the datagram exactly, padding is allowed only on the last packet (RFC 3550 A.2), and
// each packet's count must fit its length. A bad compound is refused whole, with a reason.
// Nothing allocates: a parse fills a fixed-size RtcpReport, a build writes into the caller's
// buffer.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace extrema::net {

inline constexpr std::uint8_t kRtcpSenderReport = 200;
inline constexpr std::uint8_t kRtcpReceiverReport = 201;
inline constexpr std::uint8_t kRtcpSourceDescription = 202;
inline constexpr std::uint8_t kRtcpBye = 203;
inline constexpr std::uint8_t kSdesCname = 1;  // SDES item type (RFC 3550 §6.5.1)

// The 5-bit count field: at most 31 report blocks, SDES chunks or BYE sources per packet.
inline constexpr std::size_t kMaxReportBlocks = 31;
// An SDES item's length is one byte.
inline constexpr std::size_t kMaxCnameBytes = 255;
// RTCP packet types RFC 5761 §4 sets apart for multiplexing on the RTP port: 192-223, which an
// RTP header would read as a marker bit and payload type 64-95 (so no RTP payload type in 64-95
// may be used on a multiplexed port; ours is dynamic 96 by default).
inline constexpr std::uint8_t kRtcpMuxFirstType = 192;
inline constexpr std::uint8_t kRtcpMuxLastType = 223;

// RFC 5761 §4: the second byte tells RTCP from RTP on one port.
inline bool is_rtcp(std::span<const std::uint8_t> datagram) noexcept {
    return datagram.size() >= 2 && datagram[1] >= kRtcpMuxFirstType &&
           datagram[1] <= kRtcpMuxLastType;
}

// One reception report block (RFC 3550 §6.4.1).
struct ReportBlock {
    std::uint32_t ssrc = 0;            // the source reported on
    std::uint8_t fraction_lost = 0;    // of the last interval, in 1/256
    std::int32_t cumulative_lost = 0;  // 24-bit signed: duplicates can make it negative
    std::uint32_t extended_highest_sequence = 0;
    std::uint32_t jitter = 0;  // interarrival jitter, in RTP timestamp units
    std::uint32_t lsr = 0;     // middle 32 bits of the last SR's NTP time; 0 = none yet
    std::uint32_t dlsr = 0;    // delay since that SR, in 1/65536 s
    bool operator==(const ReportBlock&) const = default;
};

// The sender info of an SR (RFC 3550 §6.4.1).
struct SenderInfo {
    std::uint64_t ntp_timestamp = 0;  // 32.32 fixed point seconds since 1900
    std::uint32_t rtp_timestamp = 0;  // the same instant on the RTP clock
    std::uint32_t packet_count = 0;   // RTP packets sent since start
    std::uint32_t octet_count = 0;    // RTP payload bytes sent since start
    bool operator==(const SenderInfo&) const = default;
};

// The middle 32 bits of an NTP timestamp (16.16 seconds), as LSR and round trips use it.
inline std::uint32_t ntp_middle(std::uint64_t ntp) noexcept {
    return static_cast<std::uint32_t>(ntp >> 16);
}

// What to put in one compound packet: an SR when `sender` is set (else an RR), its report
// blocks, an SDES CNAME (RFC 3550 §6.1: every compound carries one), and a BYE when asked.
struct RtcpCompound {
    std::uint32_t ssrc = 0;
    const SenderInfo* sender = nullptr;
    std::span<const ReportBlock> blocks;  // at most kMaxReportBlocks
    std::string_view cname;               // 1..kMaxCnameBytes
    bool bye = false;
};

// Bytes build_rtcp() writes for `compound`.
std::size_t rtcp_size(const RtcpCompound& compound) noexcept;
// Writes the compound to the front of `out` and returns its size; 0 (nothing written) when it
// does not fit, has too many blocks, or the CNAME is empty or too long.
std::size_t build_rtcp(const RtcpCompound& compound, std::span<std::uint8_t> out) noexcept;

enum class RtcpParseError : std::uint8_t {
    kNone,
    kTruncated,       // shorter than a header, or a packet runs past the datagram
    kBadVersion,      // a packet's version is not 2
    kNotReportFirst,  // the compound does not start with an SR or RR (RFC 3550 A.2)
    kBadPadding,      // padding on a packet other than the last, or a count that does not fit
    kBadCount,        // more report blocks, chunks or sources than the packet's length holds
    kBadSdes,         // an SDES chunk or item runs past its packet, or is not terminated
    kSecondSender,    // two SRs in one compound
    kCount,
};
inline constexpr std::size_t kRtcpParseErrorCount =
    static_cast<std::size_t>(RtcpParseError::kCount);
// Stable snake_case name for logs and JSON ("truncated", "bad_version", ...).
const char* to_string(RtcpParseError error) noexcept;

// One parsed compound. Fixed size; reused.
struct RtcpReport {
    std::uint32_t ssrc = 0;  // the first packet's sender
    bool has_sender_info = false;
    SenderInfo sender_info;
    std::array<ReportBlock, kMaxReportBlocks> storage{};
    std::size_t block_count = 0;  // of all SR/RR packets, the first kMaxReportBlocks
    bool has_cname = false;
    std::array<char, kMaxCnameBytes> cname_storage{};
    std::size_t cname_bytes = 0;      // the CNAME of the chunk about `ssrc`
    bool bye = false;                 // a BYE naming `ssrc`
    std::size_t ignored_packets = 0;  // well-formed packets of other types (APP, feedback...)

    std::span<const ReportBlock> blocks() const noexcept {
        return std::span<const ReportBlock>(storage).first(block_count);
    }
    std::string_view cname() const noexcept { return {cname_storage.data(), cname_bytes}; }
};

// Parses and bounds-checks a whole compound. On error `out` is unspecified.
RtcpParseError parse_rtcp(std::span<const std::uint8_t> datagram, RtcpReport& out) noexcept;

}  // namespace extrema::net
