// RTP payloads from anyone -> the RFC 2198 (RED) parser. No input may crash, read out of bounds
// or hit undefined behaviour; a payload the parser accepts must be framed exactly (headers plus
// blocks cover every byte, offsets within the field and strictly decreasing) and come out of the
// writer again byte for byte.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "fuzz_check.h"
#include "net/red_payload.h"

using namespace extrema::net;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::uint8_t> payload(data, size);
    RedPayloadView view;
    if (parse_red_payload(payload, view) != RedParseError::kNone) return 0;
    FUZZ_REQUIRE(view.redundant_count <= kMaxRedundantBlocks);
    std::size_t covered = view.redundant_count * kRedBlockHeaderBytes + kRedPrimaryHeaderBytes;
    std::uint32_t previous_offset = kMaxRedTimestampOffset + 1;
    for (const RedBlock& block : view.redundant()) {
        FUZZ_REQUIRE(block.payload_type <= 127);
        FUZZ_REQUIRE(block.timestamp_offset > 0 && block.timestamp_offset < previous_offset);
        FUZZ_REQUIRE(block.data.size() <= kMaxRedBlockBytes);
        FUZZ_REQUIRE(block.data.data() >= payload.data() &&
                     block.data.data() + block.data.size() <= payload.data() + payload.size());
        previous_offset = block.timestamp_offset;
        covered += block.data.size();
    }
    FUZZ_REQUIRE(view.primary.timestamp_offset == 0);
    FUZZ_REQUIRE(view.primary.data.data() + view.primary.data.size() ==
                 payload.data() + payload.size());
    covered += view.primary.data.size();
    FUZZ_REQUIRE(covered == payload.size());
    std::vector<std::uint8_t> again(red_payload_bytes(view.redundant(), view.primary.data.size()));
    FUZZ_REQUIRE(again.size() == payload.size());
    FUZZ_REQUIRE(write_red_payload(view.redundant(), view.primary, again) == again.size());
    FUZZ_REQUIRE(std::ranges::equal(again, payload));
    return 0;
}
