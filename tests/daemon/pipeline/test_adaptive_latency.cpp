// The adaptive latency target: from the playout margins, up at once, down slowly, within its
// bounds, and what the resampler added left out of both the level and the margins.
#include "pipeline/adaptive_latency.h"

#include <gtest/gtest.h>

namespace extrema::pipeline {
namespace {

constexpr double kPerMs = 48.0;  // samples per ms at 48 kHz

AdaptiveLatencyConfig config() {
    AdaptiveLatencyConfig c;
    c.min_latency_ms = 15.0;  // above a packet plus the safety, so the floor
    c.max_latency_ms = 200.0;
    c.half_packet_ms = 5.0;
    c.safety_ms = 2.0;
    c.late_fraction = 0.0;  // the lowest margin
    c.shrink_ms_per_s = 2.0;
    return c;
}

// Files `count` margins spread evenly over [low, high] ms.
void file(net::ArrivalStats& arrivals, double low_ms, double high_ms, int count) {
    for (int i = 0; i < count; ++i) {
        arrivals.on_margin((low_ms + (high_ms - low_ms) * i / (count - 1)) * kPerMs);
    }
}

TEST(AdaptiveLatency, StartsAtTheFloorAndRisesAtOnceForLateMargins) {
    AdaptiveLatency target(config());
    net::ArrivalStats arrivals(net::ArrivalStatsConfig{});
    EXPECT_DOUBLE_EQ(target.target_delay_ms(), 15.0);
    // The level sits at 5 ms and packets come up to 30 ms late: 35 ms more level is wanted, plus
    // the safety, plus the tail a window of 500 margins has not seen (2 x 15 ms / 501).
    file(arrivals, -30.0, 0.0, 500);
    const double level = 5.0 * kPerMs;
    double wanted = 0.0;
    for (int i = 0; i < 40; ++i) wanted = target.update(level, 0.0, arrivals, 240);  // 200 ms
    EXPECT_NEAR(wanted / kPerMs, 5.0 + 2.0 + 30.0 + 30.0 / 501.0, 0.01);
    EXPECT_NEAR(target.target_delay_ms(), wanted / kPerMs + 5.0, 1e-9);
}

TEST(AdaptiveLatency, FallsAtTheShrinkRateAndStopsAtTheFloor) {
    AdaptiveLatency target(config());
    net::ArrivalStats arrivals(net::ArrivalStatsConfig{});
    file(arrivals, -50.0, -20.0, 500);
    for (int i = 0; i < 40; ++i) target.update(0.0, 0.0, arrivals, 240);
    const double high = target.target_delay_ms();
    ASSERT_GT(high, 50.0);
    // The network calms: margins far ahead. One second later the target is 2 ms lower.
    file(arrivals, 100.0, 110.0, 500);
    for (int i = 0; i < 200; ++i) target.update(0.0, 0.0, arrivals, 240);
    EXPECT_NEAR(target.target_delay_ms(), high - 2.0, 0.3);
    for (int i = 0; i < 200 * 60; ++i) target.update(0.0, 0.0, arrivals, 240);
    EXPECT_DOUBLE_EQ(target.target_delay_ms(), 15.0);
}

// A floor below one packet would start playout with one packet buffered, each next packet due
// just as the last has played: a packet plus the safety is the least, whatever min_latency_ms.
TEST(AdaptiveLatency, TheFloorIsAtLeastAPacketPlusTheSafety) {
    AdaptiveLatencyConfig c = config();
    c.min_latency_ms = 5.0;
    EXPECT_DOUBLE_EQ(AdaptiveLatency(c).target_delay_ms(), 10.0 + 2.0);
    c.half_packet_ms = 10.0;  // 20 ms packets
    c.min_latency_ms = 10.0;
    c.safety_ms = 4.0;
    AdaptiveLatency target(c);
    EXPECT_DOUBLE_EQ(target.target_delay_ms(), 24.0);
    // A calm network does not take it lower.
    net::ArrivalStats arrivals(net::ArrivalStatsConfig{});
    file(arrivals, 100.0, 110.0, 500);
    for (int i = 0; i < 200 * 10; ++i) target.update(0.0, 0.0, arrivals, 240);
    EXPECT_DOUBLE_EQ(target.target_delay_ms(), 24.0);
}

TEST(AdaptiveLatency, NeverAboveTheCeilingAndLeavesOutTheResamplersStretch) {
    AdaptiveLatency capped(config());
    net::ArrivalStats late(net::ArrivalStatsConfig{});
    file(late, -900.0, -800.0, 500);
    for (int i = 0; i < 40; ++i) capped.update(0.0, 0.0, late, 240);
    EXPECT_DOUBLE_EQ(capped.target_delay_ms(), 200.0);

    // The resampler added 20 ms: the level is 20 ms higher for it, the margins were filed
    // without it, so the target is what it would be without any stretch.
    AdaptiveLatency plain(config()), stretched(config());
    net::ArrivalStats arrivals(net::ArrivalStatsConfig{});
    file(arrivals, -10.0, 10.0, 500);
    for (int i = 0; i < 40; ++i) {
        plain.update(5.0 * kPerMs, 0.0, arrivals, 240);
        stretched.update(25.0 * kPerMs, 20.0 * kPerMs, arrivals, 240);
    }
    EXPECT_DOUBLE_EQ(plain.target_delay_ms(), stretched.target_delay_ms());
}

TEST(AdaptiveLatency, RefusesBoundsOutOfOrder) {
    AdaptiveLatencyConfig c = config();
    c.min_latency_ms = 300.0;
    EXPECT_THROW(AdaptiveLatency{c}, std::invalid_argument);
}

}  // namespace
}  // namespace extrema::pipeline
