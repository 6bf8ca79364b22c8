#pragma once
// A stand-in for systemd's notification socket: an AF_UNIX datagram socket in a private temp
// directory, named in NOTIFY_SOCKET for as long as the object lives.
#include <chrono>
#include <optional>
#include <string>

#include "temp_dir.h"

namespace extrema::service::testing {

class NotifySocket {
  public:
    NotifySocket();
    ~NotifySocket();
    NotifySocket(const NotifySocket&) = delete;
    NotifySocket& operator=(const NotifySocket&) = delete;

    // The next datagram's text, or nullopt if none arrives within `timeout`.
    std::optional<std::string> receive(
        std::chrono::milliseconds timeout = std::chrono::milliseconds(1000));

  private:
    extrema::test::TempDir dir_{"extrema-notify"};
    std::string path_;
    int fd_ = -1;
};

}  // namespace extrema::service::testing
