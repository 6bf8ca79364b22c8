#include "net/udp_socket.h"

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <charconv>

#include <boost/asio/ip/multicast.hpp>

namespace extrema::net {
namespace {

namespace asio = boost::asio;
using asio::ip::udp;

std::string quoted(std::string_view text) {
    return "'" + std::string(text) + "'";
}

}  // namespace

HostPort parse_host_port(std::string_view text) {
    std::string_view host;
    std::string_view port;
    if (!text.empty() && text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
            throw NetError("bad address " + quoted(text) + ": expected [IPv6]:port");
        }
        host = text.substr(1, close - 1);
        port = text.substr(close + 2);
    } else {
        const auto colon = text.rfind(':');
        if (colon == std::string_view::npos) {
            throw NetError("bad address " + quoted(text) + ": expected host:port");
        }
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
        if (host.find(':') != std::string_view::npos) {
            throw NetError("bad address " + quoted(text) + ": write IPv6 addresses as [addr]:port");
        }
    }
    unsigned value = 0;
    const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (port.empty() || error != std::errc{} || end != port.data() + port.size() || value > 65535) {
        throw NetError("bad port in " + quoted(text) + ": expected a number 0..65535");
    }
    return {std::string(host), static_cast<std::uint16_t>(value)};
}

udp::endpoint resolve_endpoint(asio::io_context& io, std::string_view text) {
    const HostPort hp = parse_host_port(text);
    if (hp.host.empty()) return {asio::ip::address_v4::any(), hp.port};
    boost::system::error_code error;
    if (const auto address = asio::ip::make_address(hp.host, error); !error) {
        return {address, hp.port};
    }
    udp::resolver resolver(io);
    const auto results =
        resolver.resolve(hp.host, std::to_string(hp.port), udp::resolver::numeric_service, error);
    if (error || results.empty()) {
        throw NetError("cannot resolve host " + quoted(hp.host) + ": " +
                       (error ? error.message() : std::string("no address found")));
    }
    return results.begin()->endpoint();
}

udp::socket bind_socket(asio::io_context& io, const udp::endpoint& local,
                        const BindOptions& options) {
    udp::socket socket(io);
    boost::system::error_code error;
    socket.open(local.protocol(), error);
    if (error) throw NetError("cannot open a UDP socket: " + error.message());
    if (options.reuse_address) {
        socket.set_option(udp::socket::reuse_address(true), error);
        if (error) throw NetError("cannot set SO_REUSEADDR: " + error.message());
    }
    if (options.receive_buffer_bytes > 0) set_receive_buffer(socket, options.receive_buffer_bytes);
    socket.bind(local, error);
    if (error == asio::error::address_in_use) {
        throw NetError("port " + std::to_string(local.port()) + " is already in use (binding " +
                       local.address().to_string() + ":" + std::to_string(local.port()) + ")");
    }
    if (error) {
        throw NetError("cannot bind " + local.address().to_string() + ":" +
                       std::to_string(local.port()) + ": " + error.message());
    }
    return socket;
}

udp::socket open_multicast_receiver(asio::io_context& io, const udp::endpoint& group,
                                    const std::optional<asio::ip::address>& interface_address,
                                    int receive_buffer_bytes) {
    if (!group.address().is_multicast()) {
        throw NetError(group.address().to_string() + " is not a multicast address");
    }
    // Bind the group address itself (Linux, BSD): the socket then gets only this group's
    // datagrams, not unicast to the port nor other groups joined on the host (a wildcard bind
    // would, since Linux delivers every joined group to it: IP_MULTICAST_ALL).
    const udp::endpoint local = group;
    udp::socket socket = bind_socket(
        io, local, {.reuse_address = true, .receive_buffer_bytes = receive_buffer_bytes});
    boost::system::error_code error;
    if (interface_address && interface_address->is_v4() && group.address().is_v4()) {
        socket.set_option(
            asio::ip::multicast::join_group(group.address().to_v4(), interface_address->to_v4()),
            error);
    } else {
        socket.set_option(asio::ip::multicast::join_group(group.address()), error);
    }
    if (error) {
        throw NetError("cannot join multicast group " + group.address().to_string() + ": " +
                       error.message());
    }
    return socket;
}

void set_multicast_sending(udp::socket& socket, int ttl, bool loop) {
    boost::system::error_code error;
    socket.set_option(asio::ip::multicast::hops(ttl), error);
    if (!error) socket.set_option(asio::ip::multicast::enable_loopback(loop), error);
    if (error) throw NetError("cannot set multicast options: " + error.message());
}

int set_receive_buffer(udp::socket& socket, int bytes) {
    boost::system::error_code error;
    socket.set_option(udp::socket::receive_buffer_size(bytes), error);
    if (error)
        throw NetError("cannot set the receive buffer to " + std::to_string(bytes) +
                       " bytes: " + error.message());
    udp::socket::receive_buffer_size actual;
    socket.get_option(actual);
    return actual.value();
}

ReceivedDatagram receive_datagram(udp::socket& socket, std::span<std::uint8_t> buffer,
                                  udp::endpoint& sender,
                                  boost::system::error_code& error) noexcept {
    error.clear();
    iovec io{buffer.data(), buffer.size()};
    msghdr message{};
    message.msg_name = sender.data();
    message.msg_namelen = static_cast<socklen_t>(sender.capacity());
    message.msg_iov = &io;
    message.msg_iovlen = 1;
    // MSG_TRUNC in the flags makes Linux return the datagram's real length, not what was copied;
    // MSG_TRUNC in msg_flags says it was cut (other systems set only that).
    const ssize_t got = ::recvmsg(socket.native_handle(), &message, MSG_DONTWAIT | MSG_TRUNC);
    if (got < 0) {
        error = boost::system::error_code(errno, boost::system::system_category());
        return {};
    }
    sender.resize(message.msg_namelen);
    ReceivedDatagram datagram;
    datagram.wire_bytes = static_cast<std::size_t>(got);
    datagram.bytes = std::min(datagram.wire_bytes, buffer.size());
    if ((message.msg_flags & MSG_TRUNC) != 0 && datagram.wire_bytes <= buffer.size()) {
        datagram.wire_bytes = buffer.size() + 1;  // cut, real size unknown: at least one more
    }
    return datagram;
}

}  // namespace extrema::net
