#pragma once
// The daemon's main thread waits here for SIGINT/SIGTERM (stop) and SIGHUP (reload). The signals
// are blocked, not handled: construct the waiter in main() before any thread exists, every
// thread then inherits the mask, and the kernel keeps a process-directed signal pending until
// wait_for() takes it with sigtimedwait(). No handler runs, so nothing async-signal-unsafe can
// happen and no audio or network thread is interrupted.
#include <chrono>
#include <optional>

namespace extrema::service {

enum class Signal {
    kStop,    // SIGINT, SIGTERM: drain, close, exit 0
    kReload,  // SIGHUP: re-read the configuration
};

const char* to_string(Signal signal) noexcept;

class SignalWaiter {
  public:
    // Blocks SIGINT, SIGTERM and SIGHUP in the calling thread and ignores SIGPIPE (a peer that
    // vanished is an error return, not a death). Throws std::system_error if the mask cannot be
    // set. The mask is left in place at destruction: a second SIGTERM during shutdown then stays
    // pending instead of killing a process that is already exiting cleanly.
    SignalWaiter();

    SignalWaiter(const SignalWaiter&) = delete;
    SignalWaiter& operator=(const SignalWaiter&) = delete;

    // The next of those signals, or nullopt after `timeout` (0: only what is already pending).
    std::optional<Signal> wait_for(std::chrono::milliseconds timeout);

    // The number of the last signal wait_for() returned (SIGTERM, ...), for the log; 0 if none.
    int last_signal_number() const noexcept { return last_signal_; }

  private:
    int last_signal_ = 0;
};

}  // namespace extrema::service
