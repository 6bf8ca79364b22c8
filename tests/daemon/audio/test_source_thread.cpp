// SourceThread's scheduling: a real-time source stands for a sound card's callback, so it runs at
// SCHED_FIFO kRealTimeSourcePriority wherever this process may use that (root, RLIMIT_RTPRIO),
// and an as-fast-as-possible one stays an ordinary thread.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include <pthread.h>

#include "audio/sample_ring.h"
#include "audio/source_thread.h"

namespace extrema::audio {
namespace {

struct Scheduling {
    int policy = -1;
    int priority = -1;
};

Scheduling this_thread_scheduling() {
    Scheduling s;
    sched_param param{};
    pthread_getschedparam(pthread_self(), &s.policy, &param);
    s.priority = param.sched_priority;
    return s;
}

// Whether a thread of this process is granted SCHED_FIFO at `priority`, tried on a thread of
// its own so the test's thread keeps its policy.
bool fifo_granted(int priority) {
    bool granted = false;
    std::thread([&] {
        sched_param param{};
        param.sched_priority = priority;
        granted = pthread_setschedparam(pthread_self(), SCHED_FIFO, &param) == 0;
    }).join();
    return granted;
}

// What the fill function's thread ran at, for a source of `pacing`.
Scheduling source_scheduling(Pacing pacing) {
    SampleRing ring(4800);
    std::atomic<bool> seen{false};
    Scheduling got;
    SourceThread source(ring, 48000, kDefaultBlockMs, pacing, [&](std::span<float> block) {
        if (!seen.exchange(true)) got = this_thread_scheduling();
        std::fill(block.begin(), block.end(), 0.0f);
        return std::size_t{0};  // ends at once: one short block
    });
    source.start();
    while (!source.finished()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    source.stop();
    EXPECT_TRUE(seen.load());
    return got;
}

TEST(SourceThread, RealTimeSourceRunsAtRealTimePriorityWhenGranted) {
    const Scheduling s = source_scheduling(Pacing::kRealTime);
    if (fifo_granted(kRealTimeSourcePriority)) {
        EXPECT_EQ(s.policy, SCHED_FIFO);
        EXPECT_EQ(s.priority, kRealTimeSourcePriority);
    } else {
        std::printf("[source] NOTE: SCHED_FIFO refused here: the source stays ordinary\n");
        EXPECT_EQ(s.policy, SCHED_OTHER);
    }
}

TEST(SourceThread, AsFastAsPossibleSourceStaysOrdinary) {
    EXPECT_EQ(source_scheduling(Pacing::kAsFastAsPossible).policy, SCHED_OTHER);
}

}  // namespace
}  // namespace extrema::audio
