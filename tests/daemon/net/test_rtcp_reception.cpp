// Reception statistics (RFC 3550 A.1, A.3, A.8) and the RTCP interval (A.7), worked by hand.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <numbers>

#include "net/rtcp_interval.h"
#include "net/rtcp_reception.h"

namespace extrema::net {
namespace {

using Clock = ReceptionStatistics::Clock;
using std::chrono::milliseconds;

TEST(RtcpReception, NoReportBeforeAnyPacket) {
    ReceptionStatistics stats(8000.0);
    EXPECT_FALSE(stats.take_report(Clock::now()).has_value());
}

TEST(RtcpReception, CountsLossAndFractionPerInterval) {
    ReceptionStatistics stats(8000.0);
    const Clock::time_point t0{};
    // Sequences 10..19 with 12 and 15 missing: expected 10, received 8.
    for (std::uint16_t s = 10; s < 20; ++s) {
        if (s == 12 || s == 15) continue;
        stats.on_packet(42, s, s * 80U, t0 + milliseconds(10 * (s - 10)));
    }
    auto block = stats.take_report(t0 + milliseconds(100));
    ASSERT_TRUE(block);
    EXPECT_EQ(block->ssrc, 42U);
    EXPECT_EQ(block->extended_highest_sequence, 19U);
    EXPECT_EQ(block->cumulative_lost, 2);
    EXPECT_EQ(block->fraction_lost, 2 * 256 / 10);  // 51
    EXPECT_EQ(block->jitter, 0U);                   // perfectly paced
    EXPECT_EQ(block->lsr, 0U);
    // Next interval: 20..23 all arrive, plus a duplicate of 23.
    for (std::uint16_t s = 20; s < 24; ++s) stats.on_packet(42, s, s * 80U, t0);
    stats.on_packet(42, 23, 23 * 80U, t0);
    block = stats.take_report(t0 + milliseconds(200));
    EXPECT_EQ(block->fraction_lost, 0);    // a duplicate makes interval loss negative: 0
    EXPECT_EQ(block->cumulative_lost, 1);  // 14 expected, 13 received (duplicate counted)
}

TEST(RtcpReception, ExtendsAcrossTheSequenceWrap) {
    ReceptionStatistics stats(8000.0);
    const Clock::time_point t0{};
    for (std::uint32_t i = 0; i < 6; ++i) {
        stats.on_packet(1, static_cast<std::uint16_t>(65533 + i), i * 80U,
                        t0 + milliseconds(10 * i));
    }
    EXPECT_EQ(stats.extended_highest(), 65536U + 2U);
    EXPECT_EQ(stats.cumulative_lost(), 0);
}

TEST(RtcpReception, JitterFollowsTheRfcFilter) {
    ReceptionStatistics stats(1000.0);  // 1 unit = 1 ms
    const Clock::time_point t0{};
    stats.on_packet(1, 0, 0, t0);
    // 10 ms late on a 10-unit step: D = 10, J = 10/16.
    stats.on_packet(1, 1, 10, t0 + milliseconds(20));
    EXPECT_DOUBLE_EQ(stats.jitter_timestamp_units(), 10.0 / 16.0);
    // On time again relative to the previous: D = -10, J += (10 - J)/16.
    stats.on_packet(1, 2, 20, t0 + milliseconds(20));
    EXPECT_DOUBLE_EQ(stats.jitter_timestamp_units(), 10.0 / 16.0 + (10.0 - 10.0 / 16.0) / 16.0);
}

TEST(RtcpReception, EchoesTheLastSenderReport) {
    ReceptionStatistics stats(8000.0);
    const Clock::time_point t0{};
    stats.on_packet(9, 1, 0, t0);
    stats.on_sender_report(8, 0x0000123456789999ULL, t0);  // another source: ignored
    EXPECT_EQ(stats.take_report(t0)->lsr, 0U);
    stats.on_sender_report(9, 0x0000123456789999ULL, t0);
    const auto block = stats.take_report(t0 + milliseconds(250));
    EXPECT_EQ(block->lsr, 0x12345678U);
    EXPECT_EQ(block->dlsr, 65536U / 4U);
}

TEST(RtcpReception, NewSsrcStartsAfresh) {
    ReceptionStatistics stats(8000.0);
    const Clock::time_point t0{};
    stats.on_packet(1, 100, 0, t0);
    stats.on_packet(1, 110, 0, t0);  // 9 lost
    EXPECT_EQ(stats.cumulative_lost(), 9);
    stats.on_packet(2, 5000, 0, t0);
    EXPECT_EQ(stats.cumulative_lost(), 0);
    EXPECT_EQ(stats.ssrc(), 2U);
}

TEST(RtcpInterval, MinimumRulesALowRateLink) {
    RtcpIntervalInputs in;
    in.session_bandwidth_bps = 64000.0;
    in.average_rtcp_bytes = 100.0;
    in.we_sent = true;
    // One sender of two is not <= 25 %: both share 5 %: 100 B * 8 * 2 / 3200 bit/s = 0.5 s.
    EXPECT_DOUBLE_EQ(rtcp_deterministic_interval_s(in), 5.0);
    in.initial = true;
    EXPECT_DOUBLE_EQ(rtcp_deterministic_interval_s(in), 2.5);
    in.initial = false;
    const double compensation = std::numbers::e - 1.5;
    EXPECT_DOUBLE_EQ(rtcp_interval_s(in, 0.0), 5.0 * 0.5 / compensation);
    EXPECT_DOUBLE_EQ(rtcp_interval_s(in, 1.0), 5.0 * 1.5 / compensation);
}

TEST(RtcpInterval, BandwidthShareBeyondTheMinimum) {
    RtcpIntervalInputs in;
    in.session_bandwidth_bps = 1000.0;
    in.average_rtcp_bytes = 100.0;
    in.members = 2;
    in.senders = 1;
    // 2 members, 1 sender: senders are not <= 25 %, so all members share 5 %: 800 * 2 / 50.
    EXPECT_DOUBLE_EQ(rtcp_deterministic_interval_s(in), 32.0);
    in.members = 8;
    in.we_sent = false;
    // 1 of 8 sends: the 7 receivers share 75 % of 50 bit/s.
    EXPECT_DOUBLE_EQ(rtcp_deterministic_interval_s(in), 800.0 * 7.0 / 37.5);
}

}  // namespace
}  // namespace extrema::net
