#include "udp_ports.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <system_error>

namespace extrema::daemon::testing {
namespace {

sockaddr_in loopback(int port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
}

// A bound socket, or -1 with errno set.
int bind_udp(int port) {
    const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    const sockaddr_in address = loopback(port);
    if (bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
        const int error = errno;
        ::close(fd);
        errno = error;
        return -1;
    }
    return fd;
}

}  // namespace

BoundUdpPort::BoundUdpPort(int port) : fd_(bind_udp(port)) {
    if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "bind 127.0.0.1");
    sockaddr_in address{};
    socklen_t size = sizeof(address);
    if (getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
        const int error = errno;
        close();
        throw std::system_error(error, std::generic_category(), "getsockname");
    }
    port_ = ntohs(address.sin_port);
}

BoundUdpPort::~BoundUdpPort() {
    close();
}

void BoundUdpPort::close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

int free_udp_port() {
    return BoundUdpPort().port();
}

bool udp_port_is_free(int port) {
    const int fd = bind_udp(port);
    if (fd < 0) return false;
    ::close(fd);
    return true;
}

}  // namespace extrema::daemon::testing
