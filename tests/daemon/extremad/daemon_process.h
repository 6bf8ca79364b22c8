#pragma once
// The real extremad, run as a child process the way systemd or a user runs it: chosen arguments
// and environment, stdout and stderr captured to files, signals sent to its pid, and every wait
// bounded by a deadline (a child that overstays is killed with SIGKILL, never left behind).
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "temp_dir.h"

namespace extrema::daemon::testing {

using extrema::test::TempDir;

struct DaemonEnvironment {
    // Set in the child over the test's own environment, from which the systemd variables
    // (NOTIFY_SOCKET, WATCHDOG_*, JOURNAL_STREAM, INVOCATION_ID, LISTEN_*) are always removed.
    std::map<std::string, std::string> variables;
    // Also set WATCHDOG_PID to the child's own pid, as systemd does.
    bool watchdog_pid_is_child = false;
};

// wait_exit()'s answer when the daemon was still running at the deadline (and was killed).
inline constexpr int kTimedOut = -1;

class DaemonProcess {
  public:
    // Starts EXTREMAD_PATH with `args`; throws std::system_error if it cannot be spawned.
    explicit DaemonProcess(const std::vector<std::string>& args,
                           const DaemonEnvironment& environment = {});
    // Kills (SIGKILL) and reaps the child if it is still running.
    ~DaemonProcess();
    DaemonProcess(const DaemonProcess&) = delete;
    DaemonProcess& operator=(const DaemonProcess&) = delete;

    pid_t pid() const noexcept { return pid_; }
    void send_signal(int signal_number) const;

    // The exit code; 128 + N if signal N killed it; kTimedOut if it had not exited within
    // `timeout`, in which case it is killed with SIGKILL and reaped before returning.
    int wait_exit(std::chrono::milliseconds timeout);
    // True until the child has exited (reaps it when it has).
    bool running();

    std::string stderr_text() const;
    std::string stdout_text() const;

    // Waits until stderr has a line containing `needle` after everything earlier calls matched,
    // and returns that line; nullopt if none came within `timeout` or the child exited first.
    // Successive calls therefore see successive lines, in order.
    std::optional<std::string> await_stderr(std::string_view needle,
                                            std::chrono::milliseconds timeout);

  private:
    bool reap(bool block);

    TempDir dir_{"extremad-test"};
    pid_t pid_ = -1;
    std::optional<int> status_;  // the wait status once reaped
    std::size_t stderr_cursor_ = 0;
};

// Text for a failed assertion: the command's stderr, indented.
std::string describe_stderr(const DaemonProcess& daemon);

}  // namespace extrema::daemon::testing
