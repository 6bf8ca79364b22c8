// extremad under a stand-in systemd: the sd_notify datagrams it sends on NOTIFY_SOCKET (READY=1,
// STATUS=, WATCHDOG=1, STOPPING=1) and when.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include "daemon_process.h"
#include "test_support.h"
#include "udp_ports.h"

namespace extrema::daemon::testing {
namespace {

using service::testing::NotifySocket;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// A duplex link talking to itself: a tone goes out, comes back in and is discarded at real-time
// pace. Audio moves all the time without any device, so the watchdog has progress to report.
std::vector<std::string> self_talking_duplex(int port) {
    return {"duplex",
            "--input",
            "tone",
            "--output",
            "null",
            "--bind",
            loopback_address(port),
            "--peer",
            loopback_address(port)};
}

// Waits for READY=1 and checks it came only once the UDP socket was bound.
void expect_ready_with_socket_bound(NotifySocket& notify, int port, DaemonProcess& daemon) {
    const std::optional<std::string> ready = notify.receive(3s);
    ASSERT_TRUE(ready) << "no READY=1\n" << describe_stderr(daemon);
    EXPECT_TRUE(ready->starts_with("READY=1\n")) << *ready;
    EXPECT_FALSE(udp_port_is_free(port)) << "READY=1 came before the socket was bound";
    EXPECT_NE(ready->find("STATUS=link up: duplex on " + loopback_address(port)), std::string::npos)
        << *ready;
}

TEST(ExtremadNotify, ReadyStatusWatchdogAndStopping) {
    NotifySocket notify;
    const int port = free_udp_port();
    DaemonProcess daemon(self_talking_duplex(port),
                         {{{"NOTIFY_SOCKET", notify_socket_path()}, {"WATCHDOG_USEC", "1000000"}},
                          /*watchdog_pid_is_child=*/true});
    expect_ready_with_socket_bound(notify, port, daemon);
    const auto ready_at = Clock::now();

    // WatchdogSec=1 s: pets come every 0.25-0.5 s while audio moves; STATUS= every 2 s.
    int pets_in_time = 0;
    bool status_seen = false;
    while (!(status_seen && pets_in_time >= 2) && Clock::now() - ready_at < 3s) {
        const std::optional<std::string> message = notify.receive(100ms);
        if (!message) continue;
        if (*message == "WATCHDOG=1" && Clock::now() - ready_at <= 1500ms) ++pets_in_time;
        if (message->starts_with("STATUS=")) status_seen = true;
        EXPECT_TRUE(*message == "WATCHDOG=1" || message->starts_with("STATUS="))
            << "unexpected notification " << *message;
    }
    EXPECT_GE(pets_in_time, 2) << "WATCHDOG=1 within 1.5 s of READY=1";
    EXPECT_TRUE(status_seen) << "no periodic STATUS=";

    daemon.send_signal(SIGTERM);
    EXPECT_EQ(next_event(notify, 2s), "STOPPING=1") << describe_stderr(daemon);
    EXPECT_EQ(daemon.wait_exit(2s), 0) << describe_stderr(daemon);
    EXPECT_TRUE(udp_port_is_free(port));
}

TEST(ExtremadNotify, NoWatchdogPetsWhenTheWatchdogIsForAnotherProcess) {
    NotifySocket notify;
    const int port = free_udp_port();
    // systemd's WATCHDOG_PID names the process the watchdog is for: here the test, not extremad.
    DaemonProcess daemon(self_talking_duplex(port), {{{"NOTIFY_SOCKET", notify_socket_path()},
                                                      {"WATCHDOG_USEC", "200000"},
                                                      {"WATCHDOG_PID", std::to_string(getpid())}}});
    expect_ready_with_socket_bound(notify, port, daemon);
    // Three watchdog intervals: a daemon that took the watchdog for its own pets at once (the
    // first pet needs no progress) and then every 50-100 ms.
    const auto quiet_until = Clock::now() + 600ms;
    while (Clock::now() < quiet_until) {
        const std::optional<std::string> message = notify.receive(100ms);
        if (message) {
            EXPECT_NE(*message, "WATCHDOG=1");
        }
    }
    daemon.send_signal(SIGTERM);
    EXPECT_EQ(next_event(notify, 2s), "STOPPING=1") << describe_stderr(daemon);
    EXPECT_EQ(daemon.wait_exit(2s), 0) << describe_stderr(daemon);
}

}  // namespace
}  // namespace extrema::daemon::testing
