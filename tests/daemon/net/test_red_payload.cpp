// RFC 2198 redundancy: the RED payload writer and strict parser (red_payload), the sender's
// history of earlier payloads (RedEncoder) and the automatic level from RTCP loss
// (RedundancyPolicy).
#include "net/red_payload.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "extrema/codec/record.h"
#include "net/red_encoder.h"
#include "net/redundancy_policy.h"
#include "net_test_support.h"

namespace extrema::net {
namespace {

using codec::Record;

std::vector<std::uint8_t> bytes_of(std::initializer_list<int> values) {
    std::vector<std::uint8_t> out;
    for (int v : values) out.push_back(static_cast<std::uint8_t>(v));
    return out;
}

TEST(RedPayload, WritesTheRfc2198Layout) {
    const auto old_block = bytes_of({1, 2, 3, 4, 5});
    const auto new_block = bytes_of({6, 7, 8, 9, 10, 11, 12, 13, 14, 15});
    const auto primary_data = bytes_of({20, 21, 22, 23, 24});
    const std::array<RedBlock, 2> redundant{RedBlock{96, 960, old_block},
                                            RedBlock{96, 480, new_block}};
    const RedBlock primary{96, 0, primary_data};
    std::vector<std::uint8_t> out(red_payload_bytes(redundant, primary_data.size()));
    ASSERT_EQ(out.size(), 2 * 4 + 1 + 5 + 10 + 5u);
    ASSERT_EQ(write_red_payload(redundant, primary, out), out.size());
    // F=1, PT 96; offset 960 = 14 bits; length 5 = 10 bits: 960 << 10 | 5 = 0x0F0005.
    EXPECT_EQ(out[0], 0x80 | 96);
    EXPECT_EQ(out[1], 0x0F);
    EXPECT_EQ(out[2], 0x00);
    EXPECT_EQ(out[3], 0x05);
    // 480 << 10 | 10 = 0x07800A.
    EXPECT_EQ(out[4], 0x80 | 96);
    EXPECT_EQ(out[5], 0x07);
    EXPECT_EQ(out[6], 0x80);
    EXPECT_EQ(out[7], 0x0A);
    EXPECT_EQ(out[8], 96);  // F=0: the primary's one-byte header
    EXPECT_TRUE(std::equal(old_block.begin(), old_block.end(), out.begin() + 9));
    EXPECT_TRUE(std::equal(new_block.begin(), new_block.end(), out.begin() + 14));
    EXPECT_TRUE(std::equal(primary_data.begin(), primary_data.end(), out.begin() + 24));
}

TEST(RedPayload, ParsesWhatItWrites) {
    const std::vector<std::uint8_t> a(1023, 0xAA), b(7, 0xBB), c(1, 0xCC), p(300, 0x11);
    const std::array<RedBlock, 3> redundant{RedBlock{96, 16383, a}, RedBlock{97, 2, b},
                                            RedBlock{5, 1, c}};
    std::vector<std::uint8_t> out(red_payload_bytes(redundant, p.size()));
    write_red_payload(redundant, RedBlock{100, 0, p}, out);
    RedPayloadView view;
    ASSERT_EQ(parse_red_payload(out, view), RedParseError::kNone);
    ASSERT_EQ(view.redundant_count, 3u);
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(view.redundant()[i].payload_type, redundant[i].payload_type);
        EXPECT_EQ(view.redundant()[i].timestamp_offset, redundant[i].timestamp_offset);
        EXPECT_TRUE(std::ranges::equal(view.redundant()[i].data, redundant[i].data));
    }
    EXPECT_EQ(view.primary.payload_type, 100);
    EXPECT_TRUE(std::ranges::equal(view.primary.data, p));
}

TEST(RedPayload, PrimaryOnly) {
    const auto payload = bytes_of({96, 1, 2, 3, 4, 5});
    RedPayloadView view;
    ASSERT_EQ(parse_red_payload(payload, view), RedParseError::kNone);
    EXPECT_EQ(view.redundant_count, 0u);
    EXPECT_EQ(view.primary.payload_type, 96);
    EXPECT_EQ(view.primary.data.size(), 5u);
}

TEST(RedPayload, RefusesMalformedFraming) {
    RedPayloadView view;
    EXPECT_EQ(parse_red_payload({}, view), RedParseError::kTruncatedHeader);
    // A header that says more follow, then ends.
    EXPECT_EQ(parse_red_payload(bytes_of({0x80 | 96, 0, 4}), view),
              RedParseError::kTruncatedHeader);
    EXPECT_EQ(parse_red_payload(bytes_of({0x80 | 96, 0x00, 0x04, 0x00}), view),
              RedParseError::kTruncatedHeader);  // no primary header
    // Four redundant headers: more than we ever send or accept.
    std::vector<std::uint8_t> four;
    for (int i = 0; i < 4; ++i) {
        const std::uint32_t word = static_cast<std::uint32_t>(4 - i) << 10;
        four.insert(four.end(), {0x80 | 96, static_cast<std::uint8_t>(word >> 16),
                                 static_cast<std::uint8_t>(word >> 8), 0});
    }
    four.push_back(96);
    EXPECT_EQ(parse_red_payload(four, view), RedParseError::kTooManyBlocks);
    // Block length 5 with 4 bytes after the headers.
    EXPECT_EQ(parse_red_payload(bytes_of({0x80 | 96, 0x00, 0x04, 0x05, 96, 1, 2, 3, 4}), view),
              RedParseError::kBlockBeyondPayload);
    // Offset 0 (a copy of the primary itself).
    EXPECT_EQ(parse_red_payload(bytes_of({0x80 | 96, 0x00, 0x00, 0x01, 96, 1}), view),
              RedParseError::kBadOffset);
    // Offsets 1 then 2: the second block is older than the first.
    EXPECT_EQ(parse_red_payload(
                  bytes_of({0x80 | 96, 0x00, 0x04, 0x00, 0x80 | 96, 0x00, 0x08, 0x00, 96}), view),
              RedParseError::kBadOffset);
}

// ---- RedEncoder ----

struct Packets {
    std::vector<std::uint8_t> buffer =
        std::vector<std::uint8_t>(kRtpHeaderBytes + kMaxPayloadBytes + kSrtpTrailerRoomBytes);

    OutgoingPacket make(std::uint16_t sequence, std::uint32_t timestamp, std::size_t payload_bytes,
                        std::uint8_t fill) {
        OutgoingPacket packet;
        packet.header.payload_type = 96;
        packet.header.sequence = sequence;
        packet.header.timestamp = timestamp;
        packet.header.ssrc = 42;
        pack_rtp_header(packet.header, std::span<std::uint8_t>(buffer).first<kRtpHeaderBytes>());
        std::fill_n(buffer.begin() + kRtpHeaderBytes, payload_bytes, fill);
        packet.buffer = buffer;
        packet.size_bytes = kRtpHeaderBytes + payload_bytes;
        return packet;
    }
};

RedPayloadView parse(const OutgoingPacket& packet, RtpPacketView& rtp) {
    EXPECT_EQ(parse_rtp_packet(packet.bytes(), rtp), RtpParseError::kNone);
    RedPayloadView view;
    EXPECT_EQ(parse_red_payload(rtp.payload, view), RedParseError::kNone);
    return view;
}

TEST(RedEncoder, CarriesTheLastPacketsOldestFirst) {
    RedEncoder encoder(RedEncoderConfig{});
    Packets packets;
    for (std::uint16_t i = 0; i < 6; ++i) {
        OutgoingPacket packet = packets.make(i, 1000 + 480u * i, 50, static_cast<std::uint8_t>(i));
        encoder.process(packet, 2);
        RtpPacketView rtp;
        const RedPayloadView view = parse(packet, rtp);
        EXPECT_EQ(rtp.header.payload_type, 97);
        EXPECT_EQ(rtp.header.sequence, i);
        EXPECT_EQ(rtp.header.timestamp, 1000 + 480u * i);
        ASSERT_EQ(view.redundant_count, std::min<std::size_t>(i, 2));
        for (std::size_t b = 0; b < view.redundant_count; ++b) {
            const std::size_t back = view.redundant_count - b;  // oldest first
            EXPECT_EQ(view.redundant()[b].timestamp_offset, 480u * back);
            EXPECT_EQ(view.redundant()[b].payload_type, 96);
            ASSERT_EQ(view.redundant()[b].data.size(), 50u);
            EXPECT_EQ(view.redundant()[b].data[0], i - back);
        }
        EXPECT_EQ(view.primary.payload_type, 96);
        ASSERT_EQ(view.primary.data.size(), 50u);
        EXPECT_EQ(view.primary.data[0], i);
        EXPECT_GE(packet.buffer.size(), packet.size_bytes + kSrtpTrailerRoomBytes);
    }
    EXPECT_EQ(encoder.blocks_sent(), 0u + 1 + 2 + 2 + 2 + 2);
    EXPECT_EQ(encoder.blocks_dropped(), 0u);
}

TEST(RedEncoder, LevelZeroSendsPlainPacketsButRemembers) {
    RedEncoder encoder(RedEncoderConfig{});
    Packets packets;
    OutgoingPacket first = packets.make(1, 0, 40, 0x11);
    encoder.process(first, 0);
    EXPECT_EQ(first.header.payload_type, 96);
    EXPECT_EQ(first.size_bytes, kRtpHeaderBytes + 40);
    EXPECT_EQ(first.buffer.data(), packets.buffer.data());  // untouched, in place
    OutgoingPacket second = packets.make(2, 480, 40, 0x22);
    encoder.process(second, 3);  // auto switched on: the history is there already
    RtpPacketView rtp;
    const RedPayloadView view = parse(second, rtp);
    ASSERT_EQ(view.redundant_count, 1u);
    EXPECT_EQ(view.redundant()[0].data[0], 0x11);
}

// network.redundancy_kbps: what a packet leaves for the later ones to carry may be another
// encoding of its span, shorter than its own payload; the primary is sent as it is either way.
TEST(RedEncoder, CarriesTheHistoryGivenInsteadOfTheCopy) {
    RedEncoder encoder(RedEncoderConfig{});
    Packets packets;
    for (std::uint16_t i = 0; i < 4; ++i) {
        const std::vector<std::uint8_t> low(10 + i, static_cast<std::uint8_t>(0xA0 + i));
        OutgoingPacket packet = packets.make(i, 480u * i, 50, static_cast<std::uint8_t>(i));
        encoder.process(packet, 2, i == 2 ? std::span<const std::uint8_t>() : low);
        RtpPacketView rtp;
        const RedPayloadView view = parse(packet, rtp);
        ASSERT_EQ(view.redundant_count, std::min<std::size_t>(i, 2));
        for (std::size_t b = 0; b < view.redundant_count; ++b) {
            const std::size_t from = i - (view.redundant_count - b);
            const RedBlock& block = view.redundant()[b];
            EXPECT_EQ(block.timestamp_offset, 480u * (i - from));
            if (from == 2) {  // no history given: a copy of packet 2's own payload
                ASSERT_EQ(block.data.size(), 50u);
                EXPECT_EQ(block.data[0], 2);
            } else {
                ASSERT_EQ(block.data.size(), 10 + from);
                EXPECT_EQ(block.data[0], 0xA0 + from);
            }
        }
        ASSERT_EQ(view.primary.data.size(), 50u);
        EXPECT_EQ(view.primary.data[0], i);
    }
}

TEST(RedEncoder, DropsBlocksOverTheCapOldestFirst) {
    RedEncoderConfig config;
    config.max_payload_bytes = 1 + 100 + 4 + 100 + 4 + 99;  // room for one block and a bit
    RedEncoder encoder(config);
    Packets packets;
    for (std::uint16_t i = 0; i < 3; ++i) {
        OutgoingPacket packet = packets.make(i, 480u * i, 100, static_cast<std::uint8_t>(i));
        encoder.process(packet, 3);
        EXPECT_LE(packet.size_bytes - kRtpHeaderBytes, config.max_payload_bytes);
        RtpPacketView rtp;
        const RedPayloadView view = parse(packet, rtp);
        EXPECT_EQ(view.redundant_count, std::min<std::size_t>(i, 1));
        if (view.redundant_count == 1) {
            EXPECT_EQ(view.redundant()[0].data[0], i - 1);
        }
    }
    EXPECT_EQ(encoder.blocks_dropped(), 1u);  // packet 2 could not take packet 0
}

TEST(RedEncoder, DropsBlocksBeyondTheOffsetField) {
    RedEncoder encoder(RedEncoderConfig{});
    Packets packets;
    OutgoingPacket old_packet = packets.make(1, 0, 20, 1);
    encoder.process(old_packet, 1);
    OutgoingPacket later = packets.make(2, kMaxRedTimestampOffset + 1, 20, 2);
    encoder.process(later, 1);
    RtpPacketView rtp;
    EXPECT_EQ(parse(later, rtp).redundant_count, 0u);
    EXPECT_EQ(encoder.blocks_dropped(), 1u);
}

TEST(RedEncoder, SendsPlainWhenTheCapHasNoRoomForABlock) {
    RedEncoderConfig config;
    config.max_payload_bytes = 200;
    RedEncoder encoder(config);
    Packets packets;
    // A primary that fills the cap (a packetizer sized for plain packets): not even the RED
    // header fits, so it goes plain, and it joins the history all the same.
    OutgoingPacket full = packets.make(1, 0, 200, 0x11);
    encoder.process(full, 2);
    EXPECT_EQ(full.header.payload_type, 96);
    EXPECT_EQ(full.size_bytes, kRtpHeaderBytes + 200);
    // Room for the RED header but not for the 204 bytes of the block: plain again.
    OutgoingPacket next = packets.make(2, 480, 150, 0x22);
    encoder.process(next, 2);
    EXPECT_EQ(next.header.payload_type, 96);
    EXPECT_EQ(next.size_bytes, kRtpHeaderBytes + 150);
    EXPECT_EQ(encoder.plain_for_cap(), 2u);
    EXPECT_EQ(encoder.blocks_dropped(), 1u);  // packet 1, from packet 2
    // A small packet has room for the 150-byte block again.
    OutgoingPacket small = packets.make(3, 960, 20, 0x33);
    encoder.process(small, 1);
    RtpPacketView rtp;
    const RedPayloadView view = parse(small, rtp);
    ASSERT_EQ(view.redundant_count, 1u);
    EXPECT_EQ(view.redundant()[0].data[0], 0x22);
    EXPECT_EQ(encoder.plain_for_cap(), 2u);
}

TEST(RedEncoder, RefusesEqualPayloadTypes) {
    RedEncoderConfig config;
    config.red_payload_type = config.payload_type;
    EXPECT_THROW(RedEncoder{config}, std::invalid_argument);
    config.red_payload_type = 97;
    config.max_payload_bytes = kMaxPayloadBytes + 1;
    EXPECT_THROW(RedEncoder{config}, std::invalid_argument);
}

TEST(RedEncoder, DoesNotAllocate) {
    RedEncoder encoder(RedEncoderConfig{});
    Packets packets;
    test::AllocationCounter counter;
    for (std::uint16_t i = 0; i < 100; ++i) {
        // Every tenth fills the cap: the plain path, then a packet that cannot carry it.
        const std::size_t bytes = i % 10 == 0 ? RedEncoderConfig{}.max_payload_bytes : 200;
        OutgoingPacket packet = packets.make(i, 480u * i, bytes, 7);
        encoder.process(packet, 3);
    }
    EXPECT_EQ(counter.count(), 0u);
    EXPECT_GT(encoder.plain_for_cap(), 0u);
}

// ---- RedundancyPolicy ----

TEST(RedundancyPolicy, LevelFollowsTheResidualLossRule) {
    EXPECT_EQ(RedundancyPolicy::level_for(0.0), 0u);
    EXPECT_EQ(RedundancyPolicy::level_for(RedundancyPolicy::kOnAboveFraction), 0u);
    for (const double p : {0.02, 0.05, 0.10, 0.20, 0.5}) {
        const std::size_t k = RedundancyPolicy::level_for(p);
        ASSERT_GE(k, 1u);
        ASSERT_LE(k, kMaxRedundantBlocks);
        if (k < kMaxRedundantBlocks) {
            EXPECT_LE(std::pow(p, static_cast<double>(k + 1)), RedundancyPolicy::kResidualLoss);
        }
        if (k > 1) {  // the smallest such k
            EXPECT_GT(std::pow(p, static_cast<double>(k)), RedundancyPolicy::kResidualLoss);
        }
    }
    EXPECT_EQ(RedundancyPolicy::level_for(0.5), kMaxRedundantBlocks);
}

TEST(RedundancyPolicy, OnAtOnceOffOnlyAfterQuietReports) {
    RedundancyPolicy policy;
    EXPECT_EQ(policy.observe(0.0), 0u);
    EXPECT_EQ(policy.observe(0.008), 0u);  // below the on threshold
    EXPECT_EQ(policy.observe(0.05), 2u);   // one lossy report turns it on
    // Loss between the thresholds keeps it on.
    for (int i = 0; i < 10; ++i) EXPECT_GE(policy.observe(0.008), 1u);
    // Quiet reports: still on until kQuietReports in a row stayed low.
    for (std::size_t i = 0; i + 1 < RedundancyPolicy::kQuietReports; ++i) {
        EXPECT_GE(policy.observe(0.0), 1u);
    }
    EXPECT_EQ(policy.observe(0.0), 0u);
    EXPECT_EQ(policy.observe(0.2), 3u);
}

TEST(RedundancyPolicy, LevelStepsDownAsWorstLossAges) {
    RedundancyPolicy policy;
    EXPECT_EQ(policy.observe(0.2), 3u);
    for (std::size_t i = 0; i + 1 < RedundancyPolicy::kQuietReports; ++i) {
        EXPECT_EQ(policy.observe(0.02), 3u);  // the 20 % report is still among the recent ones
    }
    EXPECT_EQ(policy.observe(0.02), 1u);
}

}  // namespace
}  // namespace extrema::net
