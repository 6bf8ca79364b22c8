#include "test_support.h"

#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace extrema::daemon::testing {

std::string notify_socket_path() {
    const char* path = std::getenv("NOTIFY_SOCKET");
    if (path == nullptr) throw std::logic_error("no NotifySocket is alive");
    return path;
}

std::optional<std::string> next_event(service::testing::NotifySocket& socket,
                                      std::chrono::milliseconds timeout) {
    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + timeout;
    while (true) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) return std::nullopt;
        std::optional<std::string> message = socket.receive(left);
        if (!message) return std::nullopt;
        if (!message->starts_with("STATUS=") && *message != "WATCHDOG=1") return message;
    }
}

void write_text_file(const std::filesystem::path& path, const std::string& text) {
    const std::filesystem::path temporary = path.string() + ".new";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << text;
        if (!out.flush()) throw std::runtime_error("cannot write " + temporary.string());
    }
    std::filesystem::rename(temporary, path);
}

}  // namespace extrema::daemon::testing
