// RTP fixed header: pack/parse round trip and every malformed header the parser must refuse.
#include "net/rtp_header.h"

#include <gtest/gtest.h>

#include <vector>

namespace extrema::net {
namespace {

std::vector<std::uint8_t> packet_with(const RtpHeader& header, std::size_t payload_bytes) {
    std::vector<std::uint8_t> bytes(kRtpHeaderBytes + payload_bytes, 0xAB);
    pack_rtp_header(header, std::span<std::uint8_t>(bytes).first<kRtpHeaderBytes>());
    return bytes;
}

TEST(RtpHeader, PacksFieldsInNetworkOrder) {
    const RtpHeader header{.marker = true,
                           .payload_type = 96,
                           .sequence = 0x1234,
                           .timestamp = 0x89ABCDEF,
                           .ssrc = 0x01020304};
    const auto bytes = packet_with(header, 0);
    const std::vector<std::uint8_t> expected = {0x80, 0x80 | 96, 0x12, 0x34, 0x89, 0xAB,
                                                0xCD, 0xEF,      0x01, 0x02, 0x03, 0x04};
    EXPECT_EQ(bytes, expected);
}

TEST(RtpHeader, RoundTripsEveryField) {
    for (const RtpHeader header :
         {RtpHeader{false, 0, 0, 0, 0}, RtpHeader{true, 127, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF},
          RtpHeader{false, 96, 1, 48000, 0xDEADBEEF}}) {
        const auto bytes = packet_with(header, 10);
        RtpPacketView view;
        ASSERT_EQ(parse_rtp_packet(bytes, view), RtpParseError::kNone);
        EXPECT_EQ(view.header, header);
        EXPECT_EQ(view.payload.size(), 10u);
        EXPECT_EQ(view.payload.data(), bytes.data() + kRtpHeaderBytes);
        EXPECT_EQ(view.csrc_count, 0);
        EXPECT_FALSE(view.has_extension);
        EXPECT_EQ(view.padding_bytes, 0);
    }
}

TEST(RtpHeader, HeaderOnlyPacketHasEmptyPayload) {
    const auto bytes = packet_with({}, 0);
    RtpPacketView view;
    ASSERT_EQ(parse_rtp_packet(bytes, view), RtpParseError::kNone);
    EXPECT_TRUE(view.payload.empty());
}

TEST(RtpHeader, RejectsTruncatedHeader) {
    const auto bytes = packet_with({}, 0);
    RtpPacketView view;
    for (std::size_t size = 0; size < kRtpHeaderBytes; ++size) {
        EXPECT_EQ(parse_rtp_packet(std::span(bytes).first(size), view),
                  RtpParseError::kTruncatedHeader)
            << size;
    }
}

TEST(RtpHeader, RejectsVersionsOtherThanTwo) {
    auto bytes = packet_with({}, 5);
    RtpPacketView view;
    for (const std::uint8_t version : {0, 1, 3}) {
        bytes[0] = static_cast<std::uint8_t>(version << 6);
        EXPECT_EQ(parse_rtp_packet(bytes, view), RtpParseError::kBadVersion) << int{version};
    }
}

TEST(RtpHeader, SkipsCsrcList) {
    auto bytes = packet_with({}, 8 + 5);  // two CSRCs, then 5 payload bytes
    bytes[0] |= 2;
    RtpPacketView view;
    ASSERT_EQ(parse_rtp_packet(bytes, view), RtpParseError::kNone);
    EXPECT_EQ(view.csrc_count, 2);
    EXPECT_EQ(view.payload.size(), 5u);
    EXPECT_EQ(view.payload.data(), bytes.data() + kRtpHeaderBytes + 8);
}

TEST(RtpHeader, RejectsCsrcListBeyondPacket) {
    auto bytes = packet_with({}, 8 + 3);
    bytes[0] |= 15;  // 60 bytes of CSRCs announced, 11 present
    RtpPacketView view;
    EXPECT_EQ(parse_rtp_packet(bytes, view), RtpParseError::kCsrcBeyondPacket);
}

TEST(RtpHeader, SkipsHeaderExtension) {
    auto bytes = packet_with({}, 4 + 8 + 5);
    bytes[0] |= 0x10;
    bytes[12] = 0xBE;  // profile 0xBEDE, 2 words
    bytes[13] = 0xDE;
    bytes[14] = 0;
    bytes[15] = 2;
    RtpPacketView view;
    ASSERT_EQ(parse_rtp_packet(bytes, view), RtpParseError::kNone);
    EXPECT_TRUE(view.has_extension);
    EXPECT_EQ(view.extension_profile, 0xBEDE);
    EXPECT_EQ(view.extension.size(), 8u);
    EXPECT_EQ(view.payload.size(), 5u);
    EXPECT_EQ(view.payload.data(), bytes.data() + kRtpHeaderBytes + 12);
}

TEST(RtpHeader, RejectsExtensionBeyondPacket) {
    RtpPacketView view;
    auto no_room = packet_with({}, 3);  // X set, not even the 4-byte extension header fits
    no_room[0] |= 0x10;
    EXPECT_EQ(parse_rtp_packet(no_room, view), RtpParseError::kExtensionBeyondPacket);

    auto too_long = packet_with({}, 4 + 8);
    too_long[0] |= 0x10;
    too_long[14] = 0xFF;  // 65535 words announced
    too_long[15] = 0xFF;
    EXPECT_EQ(parse_rtp_packet(too_long, view), RtpParseError::kExtensionBeyondPacket);

    auto csrc_and_extension = packet_with({}, 4 + 4);  // CSRC + extension header: 0 words, fits
    csrc_and_extension[0] |= 0x10 | 1;
    csrc_and_extension[18] = 0;
    csrc_and_extension[19] = 1;  // but 1 word announced: beyond
    EXPECT_EQ(parse_rtp_packet(csrc_and_extension, view), RtpParseError::kExtensionBeyondPacket);
}

TEST(RtpHeader, StripsPadding) {
    auto bytes = packet_with({}, 10 + 3);
    bytes[0] |= 0x20;
    bytes.back() = 3;
    RtpPacketView view;
    ASSERT_EQ(parse_rtp_packet(bytes, view), RtpParseError::kNone);
    EXPECT_EQ(view.padding_bytes, 3);
    EXPECT_EQ(view.payload.size(), 10u);
}

TEST(RtpHeader, RejectsBadPadding) {
    RtpPacketView view;
    auto zero = packet_with({}, 4);
    zero[0] |= 0x20;
    zero.back() = 0;  // the count includes itself: 0 is impossible
    EXPECT_EQ(parse_rtp_packet(zero, view), RtpParseError::kBadPadding);

    auto too_long = packet_with({}, 4);
    too_long[0] |= 0x20;
    too_long.back() = 5;  // longer than the 4 bytes after the header
    EXPECT_EQ(parse_rtp_packet(too_long, view), RtpParseError::kBadPadding);

    auto into_csrc = packet_with({}, 4 + 2);  // 1 CSRC, 2 bytes after it, padding claims 4
    into_csrc[0] |= 0x20 | 1;
    into_csrc.back() = 4;
    EXPECT_EQ(parse_rtp_packet(into_csrc, view), RtpParseError::kBadPadding);

    auto header_only =
        packet_with({}, 0);  // padding bit, no byte to hold the count but the header's
    header_only[0] |= 0x20;
    header_only.back() = 1;
    EXPECT_EQ(parse_rtp_packet(header_only, view), RtpParseError::kBadPadding);
}

TEST(RtpHeader, PaddingMayFillWholePayload) {
    auto bytes = packet_with({}, 4);
    bytes[0] |= 0x20;
    bytes.back() = 4;
    RtpPacketView view;
    ASSERT_EQ(parse_rtp_packet(bytes, view), RtpParseError::kNone);
    EXPECT_TRUE(view.payload.empty());
}

}  // namespace
}  // namespace extrema::net
