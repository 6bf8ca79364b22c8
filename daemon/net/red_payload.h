#pragma once
// RFC 2198 redundant audio data: one RTP payload (of the RED payload type, a dynamic one the
// SDP names red/48000) that carries earlier packets' payloads as redundant blocks before the
// packet's own, the primary (docs/wire.md, "Redundancy").
//
//   per redundant block, 4 bytes:  F=1 (1 bit) | block PT (7) | timestamp offset (14) |
//                                  block length in bytes (10)
//   then the primary's 1 byte:     F=0 (1 bit) | block PT (7)
//   then the blocks' data in header order, the primary's last (its length is what is left).
//
// A block's timestamp is the RTP header's minus its offset. We write redundant blocks oldest
// first, each an earlier packet's whole payload (its extrema records, anchor included), so a
// redundant block decodes exactly like the packet it repeats.
//
// The parser is strict (fuzzed by tests/fuzz/fuzz_red_parser.cpp): at most
// kMaxRedundantBlocks redundant blocks, every block inside the payload, offsets > 0 and strictly
// decreasing (each block older than the next). It only frames: the block payload types and the
// records inside the blocks are the validator's to check. Nothing allocates.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace extrema::net {

// Most redundant blocks per packet: network.redundancy's range. Three earlier packets survive
// any run of three lost packets in a row, at four times the payload rate.
inline constexpr std::size_t kMaxRedundantBlocks = 3;
inline constexpr std::size_t kRedBlockHeaderBytes = 4;
inline constexpr std::size_t kRedPrimaryHeaderBytes = 1;
// Field limits of the 4-byte header: a 10-bit length and a 14-bit timestamp offset.
inline constexpr std::size_t kMaxRedBlockBytes = 1023;
inline constexpr std::uint32_t kMaxRedTimestampOffset = 16383;

struct RedBlock {
    std::uint8_t payload_type = 0;
    std::uint32_t timestamp_offset = 0;  // 0 for the primary
    std::span<const std::uint8_t> data;
};

// A parsed RED payload: views into the caller's bytes.
struct RedPayloadView {
    std::array<RedBlock, kMaxRedundantBlocks> storage{};
    std::size_t redundant_count = 0;
    RedBlock primary;

    std::span<const RedBlock> redundant() const noexcept {
        return std::span<const RedBlock>(storage).first(redundant_count);
    }
};

enum class RedParseError {
    kNone,
    kTruncatedHeader,     // the payload ends inside a block header
    kTooManyBlocks,       // more than kMaxRedundantBlocks redundant headers
    kBlockBeyondPayload,  // the blocks' lengths add up to more than the payload holds
    kBadOffset,           // a redundant block with offset 0 or not older than the one before
};

RedParseError parse_red_payload(std::span<const std::uint8_t> payload,
                                RedPayloadView& out) noexcept;

// Bytes a RED payload with these blocks takes.
std::size_t red_payload_bytes(std::span<const RedBlock> redundant,
                              std::size_t primary_bytes) noexcept;

// Writes a RED payload into `out`, which must hold red_payload_bytes(); every redundant block
// must respect the field limits (length <= kMaxRedBlockBytes, 0 < offset <=
// kMaxRedTimestampOffset). Returns the bytes written. `primary` may overlap nothing in `out`.
std::size_t write_red_payload(std::span<const RedBlock> redundant, const RedBlock& primary,
                              std::span<std::uint8_t> out) noexcept;

}  // namespace extrema::net
