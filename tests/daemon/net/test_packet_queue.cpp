// Packet queue (the first receive stage) and its arrival statistics: ordering, the playout
// cursor, a new generation on every restart, and the playout margins an adaptive target reads:
// how far ahead each packet came (negative when late), their low quantile, the reference that
// keeps them comparable across a latency change, and the clamp against spoofed timestamps.
#include "net/packet_queue.h"

#include <gtest/gtest.h>

#include <vector>

#include "extrema/codec/record.h"

namespace extrema::net {
namespace {

using namespace std::chrono_literals;
constexpr std::uint64_t kPacket = 480;  // 10 ms at 48 kHz
const Clock::time_point kT0 = Clock::time_point{} + 1h;

ValidatedPacket packet(std::uint32_t timestamp, std::uint32_t ssrc = 7) {
    ValidatedPacket p;
    p.header.timestamp = timestamp;
    p.header.ssrc = ssrc;
    p.storage[0] = codec::Record::anchor(0);
    p.storage[1] = codec::Record::curve(3, static_cast<std::uint32_t>(kPacket), 1000);
    p.record_count = 2;
    p.samples = kPacket;
    p.has_anchor = true;
    return p;
}

TEST(PacketQueue, OrdersByTimestampAndPlaysFromTheFirst) {
    PacketQueue queue(PacketQueueConfig{});
    for (std::uint32_t k : {2u, 0u, 1u}) {
        EXPECT_EQ(queue.insert(packet(1000 + k * kPacket), kT0), InsertResult::kAccepted);
    }
    EXPECT_EQ(queue.size(), 3u);
    EXPECT_EQ(queue.front().start, 1000);
    EXPECT_EQ(queue.level_samples(), 3 * kPacket);
    queue.start();
    EXPECT_EQ(queue.position(), 1000);
    EXPECT_EQ(queue.front_limit(), static_cast<std::int64_t>(1000 + kPacket));
    queue.hold_front();
    queue.advance(kPacket);
    queue.release_front();
    EXPECT_EQ(queue.front().start, static_cast<std::int64_t>(1000 + kPacket));
    // The played one is a duplicate now, not late.
    EXPECT_EQ(queue.insert(packet(1000), kT0), InsertResult::kDuplicate);
    EXPECT_EQ(queue.counters().duplicate, 1u);
}

TEST(PacketQueue, EveryRestartIsANewGeneration) {
    PacketQueue queue(PacketQueueConfig{});
    const std::uint64_t first = queue.generation();
    queue.insert(packet(0), kT0);
    EXPECT_EQ(queue.generation(), first);
    queue.insert(packet(kPacket, 8), kT0);  // another sender
    EXPECT_EQ(queue.generation(), first + 1);
    EXPECT_EQ(queue.size(), 1u);
    queue.reset();
    EXPECT_EQ(queue.generation(), first + 2);
    EXPECT_TRUE(queue.empty());
}

TEST(PacketQueue, FilesThePlayoutMarginOfEveryPacketWhilePlaying) {
    PacketQueue queue(PacketQueueConfig{});
    queue.insert(packet(0), kT0);
    EXPECT_EQ(queue.arrivals().margins_filed(), 0u);  // before playout: no margin yet
    queue.start();
    queue.insert(packet(kPacket), kT0 + 10ms);  // 480 ahead of the position (0)
    queue.advance(3 * kPacket);                 // the position passes packet 2's start
    EXPECT_EQ(queue.insert(packet(2 * kPacket), kT0 + 30ms), InsertResult::kLate);
    EXPECT_EQ(queue.arrivals().margins_filed(), 2u);
    EXPECT_EQ(queue.arrivals().margin_quantile(0.0), -static_cast<double>(kPacket));  // late
    EXPECT_EQ(queue.arrivals().margin_quantile(1.0), static_cast<double>(kPacket));
    // A reference set before filing is left out of later margins.
    queue.set_margin_reference(100.0);
    queue.insert(packet(4 * kPacket), kT0 + 40ms);  // 480 ahead, filed as 380
    EXPECT_EQ(queue.arrivals().margin_quantile(0.5), 380.0);
}

// A redundant copy's margin is filed whether its packet came or not (here it did, so the copy
// is dropped unseen by every counter): the margins' low quantile then reaches down to the copies,
// and an adaptive target leaves them the time to repair.
TEST(PacketQueue, FilesTheMarginOfEveryRedundantCopy) {
    PacketQueue queue(PacketQueueConfig{});
    queue.insert(packet(0), kT0);
    queue.insert(packet(kPacket), kT0);
    queue.start();
    queue.advance(kPacket);
    queue.insert(packet(2 * kPacket), kT0 + 10ms);  // 480 ahead of the position (480)
    // Its copy of packet 1 comes with it, at the position: not needed, and no room to spare.
    EXPECT_EQ(queue.insert(packet(kPacket), kT0 + 10ms, PacketOrigin::kRedundant),
              InsertResult::kDuplicate);
    EXPECT_EQ(queue.arrivals().margins_filed(), 2u);
    EXPECT_EQ(queue.arrivals().margin_quantile(0.0), 0.0);
    EXPECT_EQ(queue.arrivals().margin_quantile(1.0), static_cast<double>(kPacket));
    EXPECT_EQ(queue.counters().duplicate, 0u);  // the network duplicated nothing
    EXPECT_EQ(queue.counters().late, 0u);
}

TEST(ArrivalStats, LowQuantileOverTheWindowAndClampedMargins) {
    ArrivalStatsConfig config;
    config.window_packets = 100;
    config.clamp_ms = 100.0;  // 4800 samples
    ArrivalStats stats(config);
    EXPECT_EQ(stats.margin_quantile(0.01), 0.0);                // none yet
    for (int i = 0; i < 150; ++i) stats.on_margin(1000.0 + i);  // the first 50 leave the window
    EXPECT_EQ(stats.margin_count(), 100u);
    EXPECT_EQ(stats.margin_quantile(0.0), 1050.0);
    EXPECT_EQ(stats.margin_quantile(0.5), 1099.0);  // floor(0.5 * 99) = 49th of 1050..1149
    stats.on_margin(-1e12);  // a spoofed timestamp hours behind reads as the clamp, not hours
    EXPECT_EQ(stats.margin_quantile(0.0), -4800.0);
    stats.restart();
    EXPECT_EQ(stats.margin_count(), 0u);
    EXPECT_THROW(ArrivalStats(ArrivalStatsConfig{48000.0, 0, 1000.0}), std::invalid_argument);
}

TEST(ArrivalStats, Rfc3550JitterOfEvenArrivalsIsZeroAndOfAlternatingOnesHalfTheSwing) {
    ArrivalStats even(ArrivalStatsConfig{});
    for (int i = 0; i < 100; ++i) even.on_accepted(i * 480, kT0 + i * 10ms);
    EXPECT_NEAR(even.jitter_ms(), 0.0, 1e-9);
    ArrivalStats alternating(ArrivalStatsConfig{});
    for (int i = 0; i < 400; ++i) {
        alternating.on_accepted(i * 480, kT0 + i * 10ms + (i % 2) * 4ms);
    }
    EXPECT_NEAR(alternating.jitter_ms(), 4.0, 0.01);  // |D| = 4 ms every packet
}

}  // namespace
}  // namespace extrema::net
