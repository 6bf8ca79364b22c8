#include "net/red_payload.h"

#include <algorithm>

namespace extrema::net {

RedParseError parse_red_payload(std::span<const std::uint8_t> payload,
                                RedPayloadView& out) noexcept {
    out.redundant_count = 0;
    std::size_t at = 0;
    std::size_t block_bytes = 0;  // sum of the redundant blocks' lengths
    while (true) {
        if (at >= payload.size()) return RedParseError::kTruncatedHeader;
        const bool follows = (payload[at] & 0x80) != 0;
        const auto type = static_cast<std::uint8_t>(payload[at] & 0x7f);
        if (!follows) {
            out.primary = RedBlock{type, 0, {}};
            ++at;
            break;
        }
        if (out.redundant_count == kMaxRedundantBlocks) return RedParseError::kTooManyBlocks;
        if (payload.size() - at < kRedBlockHeaderBytes) return RedParseError::kTruncatedHeader;
        const std::uint32_t word = std::uint32_t{payload[at + 1]} << 16 |
                                   std::uint32_t{payload[at + 2]} << 8 | payload[at + 3];
        const std::uint32_t offset = word >> 10;
        const std::size_t length = word & 0x3ffu;
        if (offset == 0) return RedParseError::kBadOffset;
        if (out.redundant_count > 0 &&
            offset >= out.storage[out.redundant_count - 1].timestamp_offset) {
            return RedParseError::kBadOffset;
        }
        out.storage[out.redundant_count++] = RedBlock{type, offset, {}};
        block_bytes += length;
        at += kRedBlockHeaderBytes;
    }
    if (block_bytes > payload.size() - at) return RedParseError::kBlockBeyondPayload;
    // Second pass: the lengths, now known to fit, cut the data in header order.
    std::size_t header = 0;
    for (std::size_t i = 0; i < out.redundant_count; ++i, header += kRedBlockHeaderBytes) {
        const std::size_t length =
            (std::size_t{payload[header + 2]} & 0x03u) << 8 | payload[header + 3];
        out.storage[i].data = payload.subspan(at, length);
        at += length;
    }
    out.primary.data = payload.subspan(at);
    return RedParseError::kNone;
}

std::size_t red_payload_bytes(std::span<const RedBlock> redundant,
                              std::size_t primary_bytes) noexcept {
    std::size_t bytes = redundant.size() * kRedBlockHeaderBytes + kRedPrimaryHeaderBytes;
    for (const RedBlock& block : redundant) bytes += block.data.size();
    return bytes + primary_bytes;
}

std::size_t write_red_payload(std::span<const RedBlock> redundant, const RedBlock& primary,
                              std::span<std::uint8_t> out) noexcept {
    std::size_t at = 0;
    for (const RedBlock& block : redundant) {
        const std::uint32_t word =
            (block.timestamp_offset & kMaxRedTimestampOffset) << 10 |
            static_cast<std::uint32_t>(block.data.size() & kMaxRedBlockBytes);
        out[at++] = static_cast<std::uint8_t>(0x80 | (block.payload_type & 0x7f));
        out[at++] = static_cast<std::uint8_t>(word >> 16);
        out[at++] = static_cast<std::uint8_t>(word >> 8);
        out[at++] = static_cast<std::uint8_t>(word);
    }
    out[at++] = static_cast<std::uint8_t>(primary.payload_type & 0x7f);
    for (const RedBlock& block : redundant) {
        std::copy(block.data.begin(), block.data.end(),
                  out.begin() + static_cast<std::ptrdiff_t>(at));
        at += block.data.size();
    }
    std::copy(primary.data.begin(), primary.data.end(),
              out.begin() + static_cast<std::ptrdiff_t>(at));
    return at + primary.data.size();
}

}  // namespace extrema::net
