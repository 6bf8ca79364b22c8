#pragma once
// Loopback UDP ports for the daemon tests: a free one to hand to extremad, a way to hold one
// (to make it busy), and a check whether anything is still bound to one.

namespace extrema::daemon::testing {

// A port on 127.0.0.1 that was free a moment ago (the kernel's pick for port 0).
int free_udp_port();

// True when a UDP socket can bind 127.0.0.1:`port` now, i.e. nobody else holds it.
bool udp_port_is_free(int port);

// Holds 127.0.0.1:`port` (0: any free one) bound for as long as it lives.
class BoundUdpPort {
  public:
    explicit BoundUdpPort(int port = 0);
    ~BoundUdpPort();
    BoundUdpPort(const BoundUdpPort&) = delete;
    BoundUdpPort& operator=(const BoundUdpPort&) = delete;

    int port() const noexcept { return port_; }
    // Releases the port early.
    void close();

  private:
    int fd_ = -1;
    int port_ = 0;
};

}  // namespace extrema::daemon::testing
