#include "service/signal_waiter.h"

#include <pthread.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <ctime>
#include <system_error>

namespace extrema::service {
namespace {

sigset_t waited_signals() noexcept {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    return set;
}

timespec to_timespec(std::chrono::nanoseconds duration) noexcept {
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(duration);
    timespec result{};
    result.tv_sec = static_cast<time_t>(seconds.count());
    result.tv_nsec = static_cast<long>((duration - seconds).count());
    return result;
}

}  // namespace

const char* to_string(Signal signal) noexcept {
    switch (signal) {
        case Signal::kStop:
            return "stop";
        case Signal::kReload:
            return "reload";
    }
    return "?";
}

SignalWaiter::SignalWaiter() {
    const sigset_t set = waited_signals();
    // pthread_sigmask, not sigprocmask: the latter is unspecified in a multi-threaded process.
    if (const int error = pthread_sigmask(SIG_BLOCK, &set, nullptr); error != 0) {
        throw std::system_error(error, std::generic_category(),
                                "cannot block SIGINT/SIGTERM/SIGHUP");
    }
    if (std::signal(SIGPIPE, SIG_IGN) == SIG_ERR) {
        throw std::system_error(errno, std::generic_category(), "cannot ignore SIGPIPE");
    }
}

std::optional<Signal> SignalWaiter::wait_for(std::chrono::milliseconds timeout) {
    const sigset_t set = waited_signals();
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const auto left =
            std::max(std::chrono::nanoseconds::zero(), deadline - std::chrono::steady_clock::now());
        const timespec wait = to_timespec(left);
        const int number = sigtimedwait(&set, nullptr, &wait);
        if (number > 0) {
            last_signal_ = number;
            return number == SIGHUP ? Signal::kReload : Signal::kStop;
        }
        // EINTR: a handled signal outside the set (a library's SIGCHLD, a profiler) interrupted
        // the wait; wait for the rest of the time.
        if (errno == EINTR && left > std::chrono::nanoseconds::zero()) continue;
        return std::nullopt;  // EAGAIN: timed out
    }
}

}  // namespace extrema::service
