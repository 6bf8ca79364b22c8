// WatchdogPacer: pets only while the pipeline's progress counter moves, never more often than a
// quarter of the interval, and asks to be polled at half of it.
#include "service/watchdog_pacer.h"

#include <gtest/gtest.h>

namespace extrema::service {
namespace {

using namespace std::chrono_literals;
using Clock = WatchdogPacer::Clock;

TEST(WatchdogPacer, PollsAtHalfTheInterval) {
    EXPECT_EQ(WatchdogPacer(10s).period(), 5s);
}

TEST(WatchdogPacer, PetsWhileTheCounterMoves) {
    WatchdogPacer pacer(10s);
    const Clock::time_point t0{};
    EXPECT_TRUE(pacer.due(t0, 0));  // start-up is progress
    EXPECT_TRUE(pacer.due(t0 + 5s, 480));
    EXPECT_TRUE(pacer.due(t0 + 10s, 960));
}

TEST(WatchdogPacer, AStalledPipelineStopsPetting) {
    WatchdogPacer pacer(10s);
    const Clock::time_point t0{};
    EXPECT_TRUE(pacer.due(t0, 100));
    EXPECT_FALSE(pacer.due(t0 + 5s, 100));
    EXPECT_FALSE(pacer.due(t0 + 10s, 100));
    EXPECT_TRUE(pacer.due(t0 + 15s, 101));  // moving again: pets again
}

TEST(WatchdogPacer, AWakeUpSlightlyEarlyStillPets) {
    WatchdogPacer pacer(10s);
    const Clock::time_point t0{};
    EXPECT_TRUE(pacer.due(t0, 1));
    EXPECT_TRUE(pacer.due(t0 + 4999ms, 2));
}

TEST(WatchdogPacer, DoesNotFloodSystemd) {
    WatchdogPacer pacer(10s);
    const Clock::time_point t0{};
    EXPECT_TRUE(pacer.due(t0, 1));
    EXPECT_FALSE(pacer.due(t0 + 100ms, 2));
    EXPECT_FALSE(pacer.due(t0 + 2499ms, 3));
    EXPECT_TRUE(pacer.due(t0 + 2500ms, 4));
}

}  // namespace
}  // namespace extrema::service
