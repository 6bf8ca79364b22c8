#include "service/systemd_notifier.h"

#include <systemd/sd-daemon.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <ctime>

#include <fmt/format.h>

namespace extrema::service {
namespace {

std::uint64_t monotonic_usec() noexcept {
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return static_cast<std::uint64_t>(now.tv_sec) * 1'000'000u +
           static_cast<std::uint64_t>(now.tv_nsec) / 1'000u;
}

}  // namespace

std::string status_assignment(std::string_view text) {
    std::string line = "STATUS=";
    line.append(text);
    std::replace_if(
        line.begin(), line.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
    return line;
}

SystemdNotifier::SystemdNotifier() noexcept {
    const char* socket = std::getenv("NOTIFY_SOCKET");
    active_ = socket != nullptr && socket[0] != '\0';
    std::uint64_t usec = 0;
    // > 0 only when WATCHDOG_USEC is set and WATCHDOG_PID is unset or names this process.
    if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
        watchdog_interval_ = std::chrono::microseconds(static_cast<std::int64_t>(usec));
    }
}

bool SystemdNotifier::notify(const std::string& assignments) noexcept {
    if (!active_) return false;
    return sd_notify(0, assignments.c_str()) > 0;
}

void SystemdNotifier::ready(std::string_view status) noexcept {
    if (!active_) return;
    try {
        notify(status.empty() ? std::string("READY=1") : "READY=1\n" + status_assignment(status));
    } catch (...) {  // std::bad_alloc building the text: skip this notification
    }
}

void SystemdNotifier::status(std::string_view text) noexcept {
    if (!active_) return;
    try {
        notify(status_assignment(text));
    } catch (...) {
    }
}

void SystemdNotifier::watchdog() noexcept {
    if (active_) sd_notify(0, "WATCHDOG=1");
}

void SystemdNotifier::reloading() noexcept {
    if (!active_) return;
    try {
        notify(fmt::format("RELOADING=1\nMONOTONIC_USEC={}", monotonic_usec()));
    } catch (...) {
    }
}

void SystemdNotifier::stopping() noexcept {
    if (active_) sd_notify(0, "STOPPING=1");
}

}  // namespace extrema::service
