// When a sending link's network thread wakes: after the block that brings what the next packet
// needs, a margin later; at once when it is in the ring already; soon again when the device is a
// little late; not by the capture at all when the device has stalled.
#include <gtest/gtest.h>

#include "pipeline/capture_wake.h"

namespace extrema::pipeline {
namespace {

using namespace std::chrono_literals;
using TimePoint = std::chrono::steady_clock::time_point;

constexpr int kRate = 48000;
const TimePoint kT0 = TimePoint(1000s);

// 480-frame blocks (10 ms at 48 kHz); the 10th came at kT0.
audio::Delivery tenth_block() {
    return audio::Delivery{4800, 480, kT0};
}

TEST(CaptureWake, WakesAMarginAfterTheBlockThatBringsTheFramesWanted) {
    // One frame more: the next block, 10 ms after the last.
    EXPECT_EQ(capture_wake(tenth_block(), 4801, kRate, kT0 + 1ms), kT0 + 10ms + kCaptureWakeMargin);
    // A whole block more: still the next one.
    EXPECT_EQ(capture_wake(tenth_block(), 5280, kRate, kT0 + 1ms), kT0 + 10ms + kCaptureWakeMargin);
    // One frame past that: the block after.
    EXPECT_EQ(capture_wake(tenth_block(), 5281, kRate, kT0 + 1ms), kT0 + 20ms + kCaptureWakeMargin);
}

TEST(CaptureWake, CountsInTheDevicesOwnPeriods) {
    // JACK's 64-frame periods (1.333 ms) and a 2 ms packet (96 frames): two periods.
    const audio::Delivery jack{6400, 64, kT0};
    EXPECT_EQ(capture_wake(jack, 6496, kRate, kT0), kT0 + 2666666ns + kCaptureWakeMargin);
}

TEST(CaptureWake, FramesAlreadyDeliveredMeanNow) {
    EXPECT_EQ(capture_wake(tenth_block(), 4800, kRate, kT0 + 3ms), kT0 + 3ms);
    EXPECT_EQ(capture_wake(tenth_block(), 100, kRate, kT0 + 3ms), kT0 + 3ms);
}

TEST(CaptureWake, ALateBlockIsLookedForAgainAMarginLater) {
    // Due at 10.3 ms; at 12 ms it still has not come: the device is slow to wake.
    EXPECT_EQ(capture_wake(tenth_block(), 4801, kRate, kT0 + 12ms),
              kT0 + 12ms + kCaptureWakeMargin);
}

TEST(CaptureWake, AStalledDeviceLeavesTheWakeUpToThePollInterval) {
    // More than two periods past due: stopped, unplugged or in an xrun.
    EXPECT_EQ(capture_wake(tenth_block(), 4801, kRate, kT0 + 31ms), TimePoint::max());
    // A delivery that says nothing usable.
    EXPECT_EQ(capture_wake(audio::Delivery{4800, 0, kT0}, 4801, kRate, kT0), TimePoint::max());
}

TEST(CaptureWake, AtTenTimesRealTimeThePeriodsPassTenTimesFasterButNotTheMargin) {
    const audio::Pace fast(10.0);
    EXPECT_EQ(capture_wake(tenth_block(), 4801, kRate, kT0, fast), kT0 + 1ms + kCaptureWakeMargin);
    EXPECT_EQ(capture_wake(tenth_block(), 5281, kRate, kT0, fast), kT0 + 2ms + kCaptureWakeMargin);
    // Stalled: more than two (fast) periods overdue.
    EXPECT_EQ(capture_wake(tenth_block(), 4801, kRate, kT0 + 4ms, fast), TimePoint::max());
}

TEST(Pace, ConvertsBetweenMediaTimeAndTheSteadyClock) {
    const audio::Pace fast(10.0);
    EXPECT_EQ(fast.wall(10ms), std::chrono::steady_clock::duration(1ms));
    EXPECT_DOUBLE_EQ(fast.media(1ms).count(), 0.01);
    EXPECT_EQ(fast.media_time(kT0, kT0 + 1s), kT0 + 10s);
    const audio::Pace real_time;
    EXPECT_TRUE(real_time.real_time());
    EXPECT_EQ(real_time.wall(10ms), std::chrono::steady_clock::duration(10ms));
    EXPECT_EQ(real_time.media_time(kT0, kT0 + 1s), kT0 + 1s);
    EXPECT_THROW(audio::Pace(0.5), std::invalid_argument);
    EXPECT_THROW(audio::Pace(audio::Pace::kMaxSpeed * 2), std::invalid_argument);
}

}  // namespace
}  // namespace extrema::pipeline
