#pragma once
// Why the receiver dropped a datagram, and how many times for each reason. Every drop on the
// receive path is counted here, so a log line or the stats can say exactly what the network did.
#include <array>
#include <cstddef>
#include <cstdint>

namespace extrema::net {

enum class DropReason : std::uint8_t {
    kForeignPeer,      // source address not among the configured peers
    kAuth,             // SRTP authentication failed (tampered, wrong key, not SRTP)
    kReplay,           // SRTP replay protection: index seen before or too old
    kSrtpError,        // any other SRTP failure
    kTruncatedHeader,  // shorter than the 12-byte RTP header
    kBadVersion,       // RTP version is not 2
    kBadCsrc,          // CSRC list runs past the end of the datagram
    kBadExtension,     // header extension runs past the end
    kBadPadding,       // padding count 0 or longer than the payload
    kPayloadType,      // not the configured payload type
    kForeignSsrc,      // another SSRC while locked to a live sender
    kEmptyPayload,     // no payload bytes
    kPartialRecord,    // payload length not a multiple of 5
    kPayloadTooLong,   // more bytes than the configured payload cap
    kMisplacedAnchor,  // an anchor (zero-length curve) anywhere but first
    kNoSamples,        // the records produce no samples at all
    kSampleCap,        // the records produce more samples than max_packet_ms allows
    kBadRedundancy,    // RFC 2198 framing broken, or a block not of our payload type
    kBadComfortNoise,  // RFC 3389 payload empty, or its level byte's unused top bit set
    kCount,
};

inline constexpr std::size_t kDropReasonCount = static_cast<std::size_t>(DropReason::kCount);

// Stable snake_case name for logs and JSON ("foreign_peer", "auth", ...).
const char* to_string(DropReason reason) noexcept;

struct DropCounters {
    std::array<std::uint64_t, kDropReasonCount> by_reason{};

    void add(DropReason reason) noexcept { ++by_reason[static_cast<std::size_t>(reason)]; }
    std::uint64_t operator[](DropReason reason) const noexcept {
        return by_reason[static_cast<std::size_t>(reason)];
    }
    std::uint64_t total() const noexcept;
};

}  // namespace extrema::net
