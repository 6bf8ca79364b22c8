#pragma once
// The sender's half of RFC 2198 redundancy (net/red_payload.h): remembers the payloads of the
// last kMaxRedundantBlocks packets sent and rewrites a packet as a RED packet that carries up to
// `level` of them before its own records.
//
// Blocks are dropped (counted), oldest first, when they would push the payload over the cap,
// exceed the 10-bit block length or the 14-bit timestamp offset; the primary always goes. When
// the cap leaves room for no block at all (or not even for the primary's RED header), the packet
// goes plain instead (counted): receivers take plain packets whatever the sender's redundancy.
// No allocation after construction: the history ring and the RED send buffer are fixed arrays.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "net/packetizer.h"
#include "net/red_payload.h"
#include "net/stream_defaults.h"
#include "net/wire_limits.h"

namespace extrema::net {

struct RedEncoderConfig {
    // Payload type of the blocks (the extrema records') and of the RED packets; both dynamic.
    std::uint8_t payload_type = kDefaultPayloadType;
    std::uint8_t red_payload_type = kDefaultRedPayloadType;
    // The RED payload's cap: the link's max_payload_bytes, at most kMaxPayloadBytes.
    std::size_t max_payload_bytes = kDefaultMaxPayloadBytes;
};

class RedEncoder {
  public:
    // Throws std::invalid_argument for a config out of range (equal payload types, a cap above
    // kMaxPayloadBytes or too small for a primary header and a record).
    explicit RedEncoder(const RedEncoderConfig& config);

    // `packet` (a plain packet from the Packetizer, payload type payload_type) becomes a RED
    // packet with up to `level` (<= kMaxRedundantBlocks) earlier payloads, written into this
    // encoder's buffer: packet.buffer, size_bytes and header then describe the RED packet, with
    // kSrtpTrailerRoomBytes to spare for SRTP in place. Level 0 (or no room, above) leaves it as it
    // is. Either way `history` joins the history for the packets after it: what they carry as
    // this packet's redundant block (network.redundancy_kbps: a lower-rate encoding of the same
    // span). Empty: the packet's own payload, a verbatim copy. At most kMaxPayloadBytes.
    void process(OutgoingPacket& packet, std::size_t level,
                 std::span<const std::uint8_t> history = {}) noexcept;

    // Redundant blocks sent, and those left out for size or offset (see above).
    std::uint64_t blocks_sent() const noexcept { return blocks_sent_; }
    std::uint64_t blocks_dropped() const noexcept { return blocks_dropped_; }
    // Packets sent plain at level > 0 because the cap had no room for a redundant block.
    std::uint64_t plain_for_cap() const noexcept { return plain_for_cap_; }
    const RedEncoderConfig& config() const noexcept { return config_; }

  private:
    struct Past {
        std::uint32_t timestamp = 0;
        std::size_t bytes = 0;  // 0: empty
        std::array<std::uint8_t, kMaxPayloadBytes> payload{};
    };
    void remember(std::uint32_t timestamp, std::span<const std::uint8_t> payload) noexcept;

    RedEncoderConfig config_;
    std::array<Past, kMaxRedundantBlocks> history_{};  // ring, newest at newest_
    std::size_t newest_ = kMaxRedundantBlocks - 1;
    std::array<std::uint8_t, kRtpHeaderBytes + kMaxPayloadBytes + kSrtpTrailerRoomBytes> buffer_{};
    std::uint64_t blocks_sent_ = 0;
    std::uint64_t blocks_dropped_ = 0;
    std::uint64_t plain_for_cap_ = 0;
};

}  // namespace extrema::net
