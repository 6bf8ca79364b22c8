// SystemdNotifier against a NOTIFY_SOCKET of our own: each call arrives as the datagram systemd
// expects; without NOTIFY_SOCKET every call is a quiet no-op.
#include "service/systemd_notifier.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <string>

#include "notify_socket.h"

namespace extrema::service {
namespace {

using testing::NotifySocket;

class WatchdogEnvironment {
  public:
    WatchdogEnvironment(const char* usec, const std::string& pid) {
        setenv("WATCHDOG_USEC", usec, 1);
        setenv("WATCHDOG_PID", pid.c_str(), 1);
    }
    ~WatchdogEnvironment() {
        unsetenv("WATCHDOG_USEC");
        unsetenv("WATCHDOG_PID");
    }
};

TEST(SystemdNotifier, SendsReadyWithStatus) {
    NotifySocket socket;
    SystemdNotifier notifier;
    ASSERT_TRUE(notifier.active());
    notifier.ready("link up");
    EXPECT_EQ(socket.receive(), "READY=1\nSTATUS=link up");
}

TEST(SystemdNotifier, ReadyWithoutStatusIsReadyAlone) {
    NotifySocket socket;
    SystemdNotifier notifier;
    notifier.ready("");
    EXPECT_EQ(socket.receive(), "READY=1");
}

TEST(SystemdNotifier, SendsStatusOnOneLine) {
    NotifySocket socket;
    SystemdNotifier notifier;
    notifier.status("rx 12.3 kbps, buffer 20 ms");
    EXPECT_EQ(socket.receive(), "STATUS=rx 12.3 kbps, buffer 20 ms");
    // A newline would start a new assignment: it must not reach the socket.
    notifier.status("two\nlines");
    EXPECT_EQ(socket.receive(), "STATUS=two lines");
}

TEST(SystemdNotifier, SendsWatchdogStoppingAndReloading) {
    NotifySocket socket;
    SystemdNotifier notifier;
    notifier.watchdog();
    EXPECT_EQ(socket.receive(), "WATCHDOG=1");
    notifier.stopping();
    EXPECT_EQ(socket.receive(), "STOPPING=1");

    timespec before{};
    clock_gettime(CLOCK_MONOTONIC, &before);
    notifier.reloading();
    const std::optional<std::string> reload = socket.receive();
    ASSERT_TRUE(reload.has_value());
    const std::string prefix = "RELOADING=1\nMONOTONIC_USEC=";
    ASSERT_EQ(reload->substr(0, prefix.size()), prefix) << *reload;
    const long long usec = std::stoll(reload->substr(prefix.size()));
    const long long before_usec = before.tv_sec * 1'000'000LL + before.tv_nsec / 1'000;
    EXPECT_GE(usec, before_usec);
    EXPECT_LT(usec, before_usec + 10'000'000LL);
}

TEST(SystemdNotifier, ReadsTheWatchdogIntervalForThisProcess) {
    NotifySocket socket;
    WatchdogEnvironment watchdog("10000000", std::to_string(getpid()));
    SystemdNotifier notifier;
    ASSERT_TRUE(notifier.watchdog_interval().has_value());
    EXPECT_EQ(*notifier.watchdog_interval(), std::chrono::seconds(10));
}

TEST(SystemdNotifier, IgnoresAWatchdogMeantForAnotherProcess) {
    NotifySocket socket;
    WatchdogEnvironment watchdog("10000000", std::to_string(getpid() + 1));
    SystemdNotifier notifier;
    EXPECT_FALSE(notifier.watchdog_interval().has_value());
}

TEST(SystemdNotifier, WithoutNotifySocketEverythingIsANoOp) {
    unsetenv("NOTIFY_SOCKET");
    unsetenv("WATCHDOG_USEC");
    SystemdNotifier notifier;
    EXPECT_FALSE(notifier.active());
    EXPECT_FALSE(notifier.watchdog_interval().has_value());
    notifier.ready("up");
    notifier.status("text");
    notifier.watchdog();
    notifier.reloading();
    notifier.stopping();
    EXPECT_FALSE(notifier.notify("READY=1"));
}

TEST(SystemdNotifier, AMissingSocketIsNotAnError) {
    setenv("NOTIFY_SOCKET", "/nonexistent/extrema-notify", 1);
    SystemdNotifier notifier;
    EXPECT_TRUE(notifier.active());
    EXPECT_FALSE(notifier.notify("STATUS=x"));
    notifier.ready("up");
    notifier.watchdog();
    notifier.stopping();
    unsetenv("NOTIFY_SOCKET");
}

}  // namespace
}  // namespace extrema::service
