// SignalWaiter: signals raised at the process (kill) or at the main thread (pthread_kill), from
// this thread or another, come out of wait_for() as kStop/kReload; nothing kills the process.
#include "service/signal_waiter.h"

#include <gtest/gtest.h>
#include <pthread.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <thread>

namespace extrema::service {
namespace {

using namespace std::chrono_literals;

TEST(SignalWaiter, TimesOutWithNothing) {
    SignalWaiter waiter;
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(waiter.wait_for(50ms), std::nullopt);
    EXPECT_GE(std::chrono::steady_clock::now() - start, 45ms);
    EXPECT_EQ(waiter.last_signal_number(), 0);
}

TEST(SignalWaiter, SighupIsReload) {
    SignalWaiter waiter;
    ASSERT_EQ(kill(getpid(), SIGHUP), 0);
    EXPECT_EQ(waiter.wait_for(1s), Signal::kReload);
    EXPECT_EQ(waiter.last_signal_number(), SIGHUP);
}

TEST(SignalWaiter, SigtermAndSigintAreStop) {
    SignalWaiter waiter;
    ASSERT_EQ(kill(getpid(), SIGTERM), 0);
    EXPECT_EQ(waiter.wait_for(1s), Signal::kStop);
    EXPECT_EQ(waiter.last_signal_number(), SIGTERM);
    ASSERT_EQ(kill(getpid(), SIGINT), 0);
    EXPECT_EQ(waiter.wait_for(1s), Signal::kStop);
    EXPECT_EQ(waiter.last_signal_number(), SIGINT);
}

TEST(SignalWaiter, APendingSignalIsTakenWithoutWaiting) {
    SignalWaiter waiter;
    ASSERT_EQ(kill(getpid(), SIGHUP), 0);
    EXPECT_EQ(waiter.wait_for(0ms), Signal::kReload);
    EXPECT_EQ(waiter.wait_for(0ms), std::nullopt);
}

TEST(SignalWaiter, ThreadsStartedAfterwardsInheritTheMask) {
    SignalWaiter waiter;
    bool blocked = false;
    std::thread([&] {
        sigset_t current;
        pthread_sigmask(SIG_BLOCK, nullptr, &current);
        blocked = sigismember(&current, SIGTERM) == 1 && sigismember(&current, SIGINT) == 1 &&
                  sigismember(&current, SIGHUP) == 1;
    }).join();
    EXPECT_TRUE(blocked);
}

TEST(SignalWaiter, ASignalSentWhileAnotherThreadRunsReachesTheWaiter) {
    SignalWaiter waiter;
    // The worker, like an audio or network thread, blocks the signals too, so the kernel keeps
    // the process-directed SIGTERM pending until the main thread takes it.
    std::thread worker([] {
        std::this_thread::sleep_for(50ms);
        kill(getpid(), SIGTERM);
    });
    EXPECT_EQ(waiter.wait_for(5s), Signal::kStop);
    worker.join();
}

TEST(SignalWaiter, ASignalAimedAtTheMainThreadReachesTheWaiter) {
    SignalWaiter waiter;
    const pthread_t main_thread = pthread_self();
    std::thread worker([main_thread] {
        std::this_thread::sleep_for(50ms);
        pthread_kill(main_thread, SIGHUP);
    });
    EXPECT_EQ(waiter.wait_for(5s), Signal::kReload);
    worker.join();
}

TEST(SignalWaiter, SigpipeIsIgnored) {
    SignalWaiter waiter;
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    close(fds[0]);
    const char byte = 'x';
    // Writing to a pipe nobody reads raises SIGPIPE, which would kill the process by default.
    EXPECT_EQ(write(fds[1], &byte, 1), -1);
    EXPECT_EQ(errno, EPIPE);
    close(fds[1]);
}

TEST(SignalWaiter, NamesTheSignals) {
    EXPECT_STREQ(to_string(Signal::kStop), "stop");
    EXPECT_STREQ(to_string(Signal::kReload), "reload");
}

}  // namespace
}  // namespace extrema::service
