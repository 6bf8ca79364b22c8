// Packetizer under DTX: skip() advances the stream without packets and marks the next talk
// spurt; send_comfort_noise() sends an RFC 3389 packet at the current sample index in the same
// SSRC and sequence space.
#include <gtest/gtest.h>

#include <vector>

#include "net/packetizer.h"

namespace extrema::net {
namespace {

using codec::Record;

struct Seen {
    RtpHeader header;
    std::vector<std::uint8_t> payload;
    bool comfort_noise = false;
};

PacketizerConfig dtx_config() {
    PacketizerConfig config;
    config.packet_ms = 10.0;  // 480 samples
    config.ssrc = 0xD7D7D7D7;
    config.first_sequence = 65534;  // wraps inside the test
    return config;
}

class PacketizerDtx : public ::testing::Test {
  protected:
    std::vector<Seen> seen;
    Packetizer packetizer{
        dtx_config(), [this](OutgoingPacket& packet) {
            RtpPacketView view;
            ASSERT_EQ(parse_rtp_packet(packet.bytes(), view), RtpParseError::kNone);
            seen.push_back(
                {view.header, {view.payload.begin(), view.payload.end()}, packet.comfort_noise});
        }};
};

TEST_F(PacketizerDtx, SkipAdvancesWithoutSendingAndMarksTheNextSpurt) {
    packetizer.push(Record::curve(5, 480, 1000));  // one packet
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_TRUE(seen[0].header.marker);
    packetizer.push(Record::curve(5, 480, -1000));
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_FALSE(seen[1].header.marker);

    packetizer.skip(std::vector<Record>{Record::curve(7, 300, 1234), Record::silence(660)});
    EXPECT_EQ(seen.size(), 2u);
    EXPECT_EQ(packetizer.next_sample(), 960u + 960u);
    EXPECT_EQ(packetizer.skipped_samples(), 960u);

    packetizer.push(Record::curve(5, 480, 0));
    ASSERT_EQ(seen.size(), 3u);
    EXPECT_TRUE(seen[2].header.marker);  // opens the talk spurt
    EXPECT_EQ(seen[2].header.timestamp, 1920u);
    EXPECT_EQ(seen[2].header.sequence, static_cast<std::uint16_t>(seen[1].header.sequence + 1));
    // Its anchor holds the value the skipped records left.
    ASSERT_GE(seen[2].payload.size(), 10u);
    const auto anchor = codec::unpack_record(std::span(seen[2].payload).first<5>());
    EXPECT_TRUE(anchor.is_anchor());
    EXPECT_EQ(anchor.end, 1234);
    packetizer.push(Record::curve(5, 480, 0));
    EXPECT_FALSE(seen.back().header.marker);
}

TEST_F(PacketizerDtx, SkipSendsThePacketInHandFirst) {
    packetizer.push(Record::curve(5, 200, 1000));
    EXPECT_TRUE(seen.empty());
    packetizer.skip(480);
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].header.timestamp, 0u);
    EXPECT_EQ(packetizer.next_sample(), 680u);
}

TEST_F(PacketizerDtx, ComfortNoiseIsStampedAtTheCurrentIndex) {
    packetizer.push(Record::curve(5, 480, 1000));
    packetizer.push(Record::curve(5, 100, 1000));  // in hand: sent before the CN packet
    const std::vector<std::uint8_t> cn{60, 130, 120};
    packetizer.send_comfort_noise(cn);
    ASSERT_EQ(seen.size(), 3u);
    const Seen& packet = seen[2];
    EXPECT_TRUE(packet.comfort_noise);
    EXPECT_EQ(packet.header.payload_type, 13);
    EXPECT_EQ(packet.header.timestamp, 580u);
    EXPECT_EQ(packet.header.ssrc, 0xD7D7D7D7u);
    EXPECT_FALSE(packet.header.marker);
    EXPECT_EQ(packet.payload, cn);
    EXPECT_EQ(packet.header.sequence, 0u);  // 65534, 65535, then 0: one sequence space
    EXPECT_EQ(packetizer.comfort_noise_sent(), 1u);
    EXPECT_EQ(packetizer.packets_sent(), 3u);
    EXPECT_EQ(packetizer.next_sample(), 580u);  // CN produces no samples

    packetizer.skip(2400);
    packetizer.send_comfort_noise(cn);
    EXPECT_EQ(seen.back().header.timestamp, 580u + 2400u);
}

TEST_F(PacketizerDtx, RefusesEmptyOrOversizedComfortNoise) {
    packetizer.send_comfort_noise({});
    std::vector<std::uint8_t> big(Packetizer::kMaxCnPayloadBytes + 1, 1);
    packetizer.send_comfort_noise(big);
    EXPECT_TRUE(seen.empty());
}

TEST(PacketizerDtxConfig, ComfortNoiseNeedsItsOwnPayloadType) {
    PacketizerConfig config = dtx_config();
    config.cn_payload_type = config.payload_type;
    EXPECT_THROW(Packetizer(config, [](OutgoingPacket&) {}), std::invalid_argument);
    config.cn_payload_type = 128;
    EXPECT_THROW(Packetizer(config, [](OutgoingPacket&) {}), std::invalid_argument);
}

}  // namespace
}  // namespace extrema::net
