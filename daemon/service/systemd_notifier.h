#pragma once
// Tells systemd how the daemon is doing, over the sd_notify(3) protocol: READY=1 once audio and
// the socket are up (Type=notify), STATUS= with live figures, WATCHDOG=1, RELOADING=1 on SIGHUP
// and STOPPING=1 on shutdown. Outside systemd (no NOTIFY_SOCKET) every call does nothing, so the
// daemon calls these unconditionally. Nothing here throws: a lost notification must never take
// a working link down.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace extrema::service {

class SystemdNotifier {
  public:
    // Reads NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID once; construct in the main process.
    SystemdNotifier() noexcept;

    // True when systemd (or a test) listens on NOTIFY_SOCKET.
    bool active() const noexcept { return active_; }

    // The WatchdogSec= systemd expects pets within, for this process; nullopt when the watchdog
    // is off. Pet at half of it (systemd's own recommendation), see WatchdogPacer.
    std::optional<std::chrono::microseconds> watchdog_interval() const noexcept {
        return watchdog_interval_;
    }

    // READY=1 with a STATUS=: start-up finished (also after a reload, to end RELOADING=1).
    void ready(std::string_view status) noexcept;
    // STATUS=: one line `systemctl status` shows, e.g. format_status()'s text.
    void status(std::string_view text) noexcept;
    // WATCHDOG=1: only when the pipeline made progress (see WatchdogPacer).
    void watchdog() noexcept;
    // RELOADING=1 and MONOTONIC_USEC= (the CLOCK_MONOTONIC time of the reload, which
    // Type=notify-reload requires); send ready() when the new configuration is in effect.
    void reloading() noexcept;
    // STOPPING=1: shutdown began, so systemd does not mistake the exit for a crash.
    void stopping() noexcept;

    // Sends any assignments, newline-separated ("READY=1\nSTATUS=..."). Returns false when not
    // active or when sending failed.
    bool notify(const std::string& assignments) noexcept;

  private:
    bool active_ = false;
    std::optional<std::chrono::microseconds> watchdog_interval_;
};

// A STATUS= value on one line: the protocol separates assignments by newlines, so line breaks in
// the text are turned into spaces.
std::string status_assignment(std::string_view text);

}  // namespace extrema::service
