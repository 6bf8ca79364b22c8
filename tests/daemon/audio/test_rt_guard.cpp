// The real-time guard itself: the counters must see an allocation, a lock and a sleep made inside
// a RealtimeScope (else a zero proves nothing), ignore them outside, and the ring operations and
// the pump's paced pull (the null sink's, the paced duplex's) must make none.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <thread>

#include "audio/null_sink.h"
#include "audio/paced_duplex.h"
#include "audio/rt_guard.h"
#include "audio/sample_ring.h"
#include "audio/tone_backend.h"

#if EXTREMA_RT_COUNTERS
#include "audio_test_support.h"
#include "rt_counters.h"
#endif

namespace extrema::audio {
namespace {

#if EXTREMA_RT_COUNTERS
using test::rt_counts;
using test::RtCounts;

// Nothing a real-time scope forbids happened in it.
void expect_nothing_forbidden(const RtCounts& delta) {
    EXPECT_EQ(delta.allocations, 0u);
    EXPECT_EQ(delta.frees, 0u);
    EXPECT_EQ(delta.locks, 0u);
    EXPECT_EQ(delta.syscalls, 0u);
}

// Stops the optimiser from eliding an allocation/free pair.
void* volatile g_sink;

void allocate_lock_and_sleep() {
    g_sink = new int(42);
    delete static_cast<int*>(g_sink);
    g_sink = std::malloc(100);
    std::free(g_sink);
    static std::mutex mutex;
    mutex.lock();
    mutex.unlock();
    std::this_thread::sleep_for(std::chrono::microseconds(1));
}

TEST(RtGuard, CountsInsideARealtimeScopeOnly) {
    const RtCounts before = rt_counts();
    allocate_lock_and_sleep();
    const RtCounts outside = rt_counts() - before;
    EXPECT_EQ(outside.allocations + outside.frees + outside.locks + outside.syscalls, 0u);
    {
        const RealtimeScope realtime;
        EXPECT_TRUE(in_realtime_callback());
        allocate_lock_and_sleep();
    }
    EXPECT_FALSE(in_realtime_callback());
    const RtCounts inside = rt_counts() - before;
    EXPECT_GE(inside.allocations, 2u);
    EXPECT_GE(inside.frees, 2u);
    EXPECT_GE(inside.locks, 1u);
    EXPECT_GE(inside.syscalls, 1u);
}

TEST(RtGuard, RingOperationsMakeNoAllocationLockOrSyscall) {
    SampleRing ring(256, 2);
    std::vector<float> block(96, 0.25f);
    const RtCounts before = rt_counts();
    {
        const RealtimeScope realtime;
        for (int i = 0; i < 1000; ++i) {
            ring.push(block);  // overruns once full
            ring.pop(block);
            ring.pop(block);  // underruns
            ring.push_available(block);
            ring.pop_available(block);
            (void)ring.counters();
        }
    }
    const RtCounts delta = rt_counts() - before;
    expect_nothing_forbidden(delta);
    EXPECT_GT(ring.counters().underrun_events, 0u);
}

TEST(RtGuard, NullSinkPacedPullIsRealtimeSafe) {
    SampleRing ring(48000);
    ring.push(std::vector<float>(4800, 0.5f));
    test::RingReader reader(ring);
    const RtCounts before = rt_counts();
    NullSink sink(reader, NullSinkConfig{});
    sink.start();
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // through the end: underruns
    sink.stop();
    const RtCounts delta = rt_counts() - before;
    EXPECT_GT(ring.counters().underrun_events, 0u);
    expect_nothing_forbidden(delta);
}

// The pretend duplex device's playback side, pulling a ring that runs dry like the null sink's.
TEST(RtGuard, PacedDuplexPeriodIsRealtimeSafe) {
    SampleRing capture(48000);
    SampleRing playback(48000);
    playback.push(std::vector<float>(4800, 0.5f));
    test::RingReader reader(playback);
    auto tone = std::make_shared<ToneGenerator>(ToneConfig{}, 1);
    const RtCounts before = rt_counts();
    PacedDuplex duplex(
        capture, reader, 48000, 10, [tone](std::span<float> block) { return tone->fill(block); },
        "tone");
    duplex.start();
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // through the end: underruns
    duplex.stop();
    const RtCounts delta = rt_counts() - before;
    EXPECT_GT(playback.counters().underrun_events, 0u);
    expect_nothing_forbidden(delta);
}
#else
TEST(RtGuard, UnavailableUnderSanitizers) {
    GTEST_SKIP() << "allocation and lock counting replaces malloc: not built with sanitizers";
}
#endif

}  // namespace
}  // namespace extrema::audio
