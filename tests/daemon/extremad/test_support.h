#pragma once
// What the extremad tests share: where the example configs and the speech sample are, loopback
// addresses, and reading systemd notifications in order.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include "notify_socket.h"

namespace extrema::daemon::testing {

inline const std::filesystem::path kExampleConfigs =
    std::filesystem::path(EXTREMA_SOURCE_DIR) / "config" / "examples";
// 1.43 s of speech, 48 kHz mono, shipped with alsa-utils.
inline const std::filesystem::path kSpeechFile = "/usr/share/sounds/alsa/Front_Center.wav";

inline std::string loopback_address(int port) {
    return "127.0.0.1:" + std::to_string(port);
}

// The path a live NotifySocket put into NOTIFY_SOCKET, to hand to the daemon explicitly.
std::string notify_socket_path();

// The next notification that is not a periodic one (a lone STATUS= or WATCHDOG=1), so a test
// can check the order of READY=1, RELOADING=1 and STOPPING=1; nullopt if none comes in time.
std::optional<std::string> next_event(service::testing::NotifySocket& socket,
                                      std::chrono::milliseconds timeout);

// Writes `text` to `path`, replacing it (as an editor saves a config file).
void write_text_file(const std::filesystem::path& path, const std::string& text);

}  // namespace extrema::daemon::testing
