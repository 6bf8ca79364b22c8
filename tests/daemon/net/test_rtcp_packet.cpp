// RTCP compounds against bytes worked out by hand from RFC 3550 §6.4-6.6, and the parser's
// refusal of every malformed length.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "net/rtcp_packet.h"

namespace extrema::net {
namespace {

using Bytes = std::vector<std::uint8_t>;

// An SR from SSRC 0x11223344 with one block on 0xAABBCCDD, CNAME "ab", as RFC 3550 lays it out.
const Bytes kSrCompound = {
    // SR: V=2 P=0 RC=1, PT=200, length (28 + 24) / 4 - 1 = 12
    0x81, 200, 0x00, 0x0c, 0x11, 0x22, 0x33, 0x44,
    // NTP 0x0102030405060708, RTP timestamp 48000, 100 packets, 4000 octets
    0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x00, 0x00, 0xbb, 0x80, 0x00, 0x00, 0x00, 0x64,
    0x00, 0x00, 0x0f, 0xa0,
    // block: SSRC, fraction 64/256, cumulative -2 (24-bit 0xfffffe), highest 0x00010005,
    // jitter 480, LSR 0x00030004, DLSR 0x00008000 (0.5 s)
    0xaa, 0xbb, 0xcc, 0xdd, 0x40, 0xff, 0xff, 0xfe, 0x00, 0x01, 0x00, 0x05, 0x00, 0x00, 0x01, 0xe0,
    0x00, 0x03, 0x00, 0x04, 0x00, 0x00, 0x80, 0x00,
    // SDES: SC=1, PT=202, length 3: SSRC, CNAME(1) len 2 "ab", then a null word (the item
    // list's end, padded to 32 bits)
    0x81, 202, 0x00, 0x03, 0x11, 0x22, 0x33, 0x44, 0x01, 0x02, 'a', 'b', 0x00, 0x00, 0x00, 0x00};

const ReportBlock kBlock{0xaabbccdd, 64, -2, 0x00010005, 480, 0x00030004, 0x00008000};
const SenderInfo kInfo{0x0102030405060708ULL, 48000, 100, 4000};

TEST(RtcpPacket, BuildsAnSrCompoundByteForByte) {
    RtcpCompound compound;
    compound.ssrc = 0x11223344;
    compound.sender = &kInfo;
    compound.blocks = std::span<const ReportBlock>(&kBlock, 1);
    compound.cname = "ab";
    Bytes out(256, 0xee);
    const std::size_t size = build_rtcp(compound, out);
    ASSERT_EQ(size, kSrCompound.size());
    EXPECT_EQ(rtcp_size(compound), size);
    EXPECT_EQ(Bytes(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(size)), kSrCompound);
}

TEST(RtcpPacket, ParsesTheSrCompound) {
    RtcpReport report;
    ASSERT_EQ(parse_rtcp(kSrCompound, report), RtcpParseError::kNone);
    EXPECT_EQ(report.ssrc, 0x11223344U);
    ASSERT_TRUE(report.has_sender_info);
    EXPECT_EQ(report.sender_info, kInfo);
    ASSERT_EQ(report.block_count, 1U);
    EXPECT_EQ(report.blocks()[0], kBlock);
    EXPECT_TRUE(report.has_cname);
    EXPECT_EQ(report.cname(), "ab");
    EXPECT_FALSE(report.bye);
}

TEST(RtcpPacket, RrWithByeRoundTrips) {
    RtcpCompound compound;
    compound.ssrc = 7;
    compound.cname = "abc";  // 4 + 2 + 3 + 1 null = 10 -> padded to 12
    compound.bye = true;
    Bytes out(256);
    const std::size_t size = build_rtcp(compound, out);
    // RR 8 + SDES 4 + 12 + BYE 8
    ASSERT_EQ(size, 32U);
    EXPECT_EQ(out[0], 0x80);  // RC = 0
    EXPECT_EQ(out[1], kRtcpReceiverReport);
    EXPECT_EQ(out[24], 0x81);
    EXPECT_EQ(out[25], kRtcpBye);
    RtcpReport report;
    ASSERT_EQ(parse_rtcp(std::span(out).first(size), report), RtcpParseError::kNone);
    EXPECT_FALSE(report.has_sender_info);
    EXPECT_EQ(report.block_count, 0U);
    EXPECT_EQ(report.cname(), "abc");
    EXPECT_TRUE(report.bye);
}

TEST(RtcpPacket, CnameOfFourMultipleStillGetsItsNull) {
    RtcpCompound compound;
    compound.ssrc = 7;
    compound.cname = "ab";  // 4 + 2 + 2 = 8: the null needs the next word
    Bytes out(256);
    const std::size_t size = build_rtcp(compound, out);
    EXPECT_EQ(size, 8U + 4U + 12U);
    RtcpReport report;
    ASSERT_EQ(parse_rtcp(std::span(out).first(size), report), RtcpParseError::kNone);
    EXPECT_EQ(report.cname(), "ab");
}

TEST(RtcpPacket, BuildRefusesWhatCannotBeSent) {
    RtcpCompound compound;
    compound.ssrc = 1;
    Bytes out(256);
    EXPECT_EQ(build_rtcp(compound, out), 0U);  // no CNAME
    compound.cname = "x";
    Bytes small(10);
    EXPECT_EQ(build_rtcp(compound, small), 0U);
    const std::string long_name(kMaxCnameBytes + 1, 'x');
    compound.cname = long_name;
    EXPECT_EQ(build_rtcp(compound, out), 0U);
}

TEST(RtcpPacket, TellsRtcpFromRtpBySecondByte) {
    EXPECT_TRUE(is_rtcp(kSrCompound));
    const Bytes rtp = {0x80, 96, 0, 1};
    const Bytes rtp_marker = {0x80, 0x80 | 96, 0, 1};
    EXPECT_FALSE(is_rtcp(rtp));
    EXPECT_FALSE(is_rtcp(rtp_marker));
    EXPECT_FALSE(is_rtcp(Bytes{0x80}));
}

RtcpParseError parse(const Bytes& bytes) {
    RtcpReport report;
    return parse_rtcp(bytes, report);
}

TEST(RtcpPacket, RefusesMalformedCompounds) {
    EXPECT_EQ(parse({}), RtcpParseError::kTruncated);
    EXPECT_EQ(parse({0x80, 201, 0}), RtcpParseError::kTruncated);
    // Length says 2 words more than there are.
    EXPECT_EQ(parse({0x80, 201, 0x00, 0x03, 0, 0, 0, 1}), RtcpParseError::kTruncated);
    EXPECT_EQ(parse({0x40, 201, 0x00, 0x01, 0, 0, 0, 1}), RtcpParseError::kBadVersion);
    EXPECT_EQ(parse({0x81, 202, 0x00, 0x01, 0, 0, 0, 1}), RtcpParseError::kNotReportFirst);
    // RC=1 but no room for the block.
    EXPECT_EQ(parse({0x81, 201, 0x00, 0x01, 0, 0, 0, 1}), RtcpParseError::kBadCount);
    // An SR too short for its sender info.
    EXPECT_EQ(parse({0x80, 200, 0x00, 0x01, 0, 0, 0, 1}), RtcpParseError::kBadCount);
    // Padding count 0, and padding longer than the packet.
    EXPECT_EQ(parse({0xa0, 201, 0x00, 0x01, 0, 0, 0, 0}), RtcpParseError::kBadPadding);
    EXPECT_EQ(parse({0xa0, 201, 0x00, 0x01, 0, 0, 0, 9}), RtcpParseError::kBadPadding);
    // Padding on a packet that is not the last.
    EXPECT_EQ(parse({0xa0, 201, 0x00, 0x01, 0, 0, 0, 4, 0x80, 201, 0x00, 0x01, 0, 0, 0, 1}),
              RtcpParseError::kBadPadding);
    // SDES item longer than its packet; chunk with no terminating null.
    EXPECT_EQ(parse({0x80, 201,  0x00, 0x01, 0, 0, 0, 1, 0x81, 202,
                     0x00, 0x02, 0,    0,    0, 1, 1, 9, 'a',  'b'}),
              RtcpParseError::kBadSdes);
    EXPECT_EQ(parse({0x80, 201,  0x00, 0x01, 0, 0, 0, 1, 0x81, 202,
                     0x00, 0x02, 0,    0,    0, 1, 1, 2, 'a',  'b'}),
              RtcpParseError::kBadSdes);
    // BYE naming more sources than it holds.
    EXPECT_EQ(parse({0x80, 201, 0x00, 0x01, 0, 0, 0, 1, 0x82, 203, 0x00, 0x01, 0, 0, 0, 1}),
              RtcpParseError::kBadCount);
    // A second SR.
    Bytes two = kSrCompound;
    two.resize(52);
    two.insert(two.end(), kSrCompound.begin(), kSrCompound.begin() + 52);
    EXPECT_EQ(parse(two), RtcpParseError::kSecondSender);
}

TEST(RtcpPacket, IgnoresUnknownTypesAndTakesPadding) {
    // RR, then an APP packet (204) of 3 words padded by 4 bytes.
    const Bytes bytes = {0x80, 201,  0x00, 0x01, 0, 0, 0, 5, 0xa0, 204,
                         0x00, 0x02, 0,    0,    0, 5, 0, 0, 0,    4};
    RtcpReport report;
    ASSERT_EQ(parse_rtcp(bytes, report), RtcpParseError::kNone);
    EXPECT_EQ(report.ssrc, 5U);
    EXPECT_EQ(report.ignored_packets, 1U);
}

TEST(RtcpPacket, NtpMiddleIsSixteenDotSixteen) {
    EXPECT_EQ(ntp_middle(0x0102030405060708ULL), 0x03040506U);
}

}  // namespace
}  // namespace extrema::net
