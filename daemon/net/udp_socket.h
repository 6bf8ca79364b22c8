#pragma once
// Boost.Asio UDP endpoint helpers: parse and resolve "host:port", bind with clear errors, set up
// multicast for senders and receivers, raise the receive buffer. Every failure throws NetError
// with a message a user can act on (it names the host or the port).
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>

namespace extrema::net {

class NetError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct HostPort {
    std::string host;  // name or address, IPv6 without brackets; empty = any address
    std::uint16_t port = 0;
};

// Splits "host:port", "[v6addr]:port" or ":port". Throws NetError on a missing or bad port.
HostPort parse_host_port(std::string_view text);

// Resolves "host:port" to one endpoint (the first the resolver returns; numeric addresses are
// not looked up). An empty host means the IPv4 wildcard. Throws NetError naming the host.
boost::asio::ip::udp::endpoint resolve_endpoint(boost::asio::io_context& io, std::string_view text);

struct BindOptions {
    // SO_REUSEADDR: lets several receivers on one host bind the same multicast port. Off for
    // unicast, so a second daemon on the same port fails loudly instead of stealing packets.
    bool reuse_address = false;
    // SO_RCVBUF in bytes; 0 keeps the system default. See set_receive_buffer().
    int receive_buffer_bytes = 0;
};

// Opens and binds a UDP socket. A port already taken throws NetError("port N is already in
// use ..."); other failures name the address.
boost::asio::ip::udp::socket bind_socket(boost::asio::io_context& io,
                                         const boost::asio::ip::udp::endpoint& local,
                                         const BindOptions& options = {});

// A receiver for a multicast group: binds the group address and port with SO_REUSEADDR (so
// several receivers on one host share it) and joins the group, optionally on the interface
// with the given address.
boost::asio::ip::udp::socket open_multicast_receiver(
    boost::asio::io_context& io, const boost::asio::ip::udp::endpoint& group,
    const std::optional<boost::asio::ip::address>& interface_address = std::nullopt,
    int receive_buffer_bytes = 0);

// Sender side of multicast: hop limit (TTL) and whether this host's own receivers hear it.
// TTL 1 keeps the stream on the local link unless asked otherwise; loop on so receivers on the
// sending host work (tests, monitoring).
void set_multicast_sending(boost::asio::ip::udp::socket& socket, int ttl = 1, bool loop = true);

// Raises SO_RCVBUF so a burst (a stall, then many packets at once) is not dropped by the kernel.
// Linux caps it at net.core.rmem_max (and reports double the value); returns what it reports.
int set_receive_buffer(boost::asio::ip::udp::socket& socket, int bytes);

// One datagram read from a non-blocking socket. `bytes` of it are in the buffer; `wire_bytes` is
// its real size, larger when the buffer was too small and the kernel cut it (MSG_TRUNC): a cut
// datagram must be dropped, not parsed as if its first bytes were all of it.
struct ReceivedDatagram {
    std::size_t bytes = 0;
    std::size_t wire_bytes = 0;
    bool truncated() const noexcept { return wire_bytes > bytes; }
};

// Reads one datagram into `buffer` (recvmsg with MSG_TRUNC) and its source into `sender`.
// Nothing waiting sets `error` to would_block; other errors are the socket's.
ReceivedDatagram receive_datagram(boost::asio::ip::udp::socket& socket,
                                  std::span<std::uint8_t> buffer,
                                  boost::asio::ip::udp::endpoint& sender,
                                  boost::system::error_code& error) noexcept;

}  // namespace extrema::net
