// UDP helpers: address parsing, resolution errors, port-in-use errors, receive buffer, and a
// multicast group heard by two receivers on one host.
#include "net/udp_socket.h"

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <string>
#include <thread>

namespace extrema::net {
namespace {

namespace asio = boost::asio;
using asio::ip::udp;

std::string error_of(auto&& action) {
    try {
        action();
    } catch (const NetError& e) {
        return e.what();
    }
    return "(no error)";
}

TEST(UdpSocket, ParsesHostPort) {
    EXPECT_EQ(parse_host_port("127.0.0.1:5004").host, "127.0.0.1");
    EXPECT_EQ(parse_host_port("127.0.0.1:5004").port, 5004);
    EXPECT_EQ(parse_host_port("[::1]:6000").host, "::1");
    EXPECT_EQ(parse_host_port("[::1]:6000").port, 6000);
    EXPECT_EQ(parse_host_port(":7000").host, "");
    EXPECT_EQ(parse_host_port("example.org:0").port, 0);
}

TEST(UdpSocket, RejectsMalformedAddresses) {
    EXPECT_THROW(parse_host_port("localhost"), NetError);
    EXPECT_THROW(parse_host_port("localhost:"), NetError);
    EXPECT_THROW(parse_host_port("localhost:65536"), NetError);
    EXPECT_THROW(parse_host_port("localhost:12ab"), NetError);
    EXPECT_THROW(parse_host_port("::1:5004"), NetError);  // IPv6 needs brackets
    EXPECT_THROW(parse_host_port("[::1]5004"), NetError);
    EXPECT_NE(error_of([] { parse_host_port("localhost:99999"); }).find("localhost:99999"),
              std::string::npos);
}

TEST(UdpSocket, ResolvesNumericAndNamedHosts) {
    asio::io_context io;
    EXPECT_EQ(resolve_endpoint(io, "127.0.0.1:5004"),
              udp::endpoint(asio::ip::make_address("127.0.0.1"), 5004));
    EXPECT_EQ(resolve_endpoint(io, "[::1]:5004"),
              udp::endpoint(asio::ip::make_address("::1"), 5004));
    const auto local = resolve_endpoint(io, "localhost:5004");
    EXPECT_TRUE(local.address().is_loopback());
    EXPECT_EQ(local.port(), 5004);
    EXPECT_TRUE(resolve_endpoint(io, ":5004").address().is_unspecified());
}

TEST(UdpSocket, UnresolvableHostNamesTheHost) {
    asio::io_context io;
    const std::string message =
        error_of([&] { resolve_endpoint(io, "no-such-host.invalid:5004"); });
    EXPECT_NE(message.find("cannot resolve host 'no-such-host.invalid'"), std::string::npos)
        << message;
}

TEST(UdpSocket, PortInUseSaysSo) {
    asio::io_context io;
    udp::socket first = bind_socket(io, udp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    const std::uint16_t port = first.local_endpoint().port();
    const std::string message = error_of(
        [&] { bind_socket(io, udp::endpoint(asio::ip::make_address("127.0.0.1"), port)); });
    EXPECT_NE(message.find("port " + std::to_string(port) + " is already in use"),
              std::string::npos)
        << message;
}

TEST(UdpSocket, RaisesReceiveBuffer) {
    asio::io_context io;
    udp::socket socket = bind_socket(io, udp::endpoint(asio::ip::make_address("127.0.0.1"), 0),
                                     {.receive_buffer_bytes = 1 << 20});
    udp::socket::receive_buffer_size size;
    socket.get_option(size);
    EXPECT_GE(size.value(), 1 << 20);  // Linux reports double what was granted
    EXPECT_GE(set_receive_buffer(socket, 256 * 1024), 256 * 1024);
}

TEST(UdpSocket, MulticastReachesSeveralReceiversOnOneHost) {
    asio::io_context io;
    // A free port: take one, release it, use it for the group.
    std::uint16_t port = 0;
    {
        udp::socket probe = bind_socket(io, udp::endpoint(asio::ip::address_v4::any(), 0));
        port = probe.local_endpoint().port();
    }
    const udp::endpoint group(asio::ip::make_address("239.255.42.17"), port);
    std::array<udp::socket, 2> receivers{udp::socket(io), udp::socket(io)};
    try {
        receivers[0] = open_multicast_receiver(io, group);
        receivers[1] = open_multicast_receiver(io, group);  // same port: SO_REUSEADDR
    } catch (const NetError& e) {
        GTEST_SKIP() << "no multicast on this host: " << e.what();
    }
    udp::socket sender = bind_socket(io, udp::endpoint(asio::ip::address_v4::any(), 0));
    set_multicast_sending(sender, /*ttl=*/0, /*loop=*/true);  // TTL 0: never leaves this host
    boost::system::error_code error;
    const std::string message = "hello group";
    sender.send_to(asio::buffer(message), group, 0, error);
    if (error) GTEST_SKIP() << "cannot send to a multicast group here: " << error.message();

    for (auto& receiver : receivers) {
        receiver.non_blocking(true);
        std::array<char, 64> buffer{};
        std::size_t got = 0;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
        while (std::chrono::steady_clock::now() < deadline) {
            udp::endpoint from;
            got = receiver.receive_from(asio::buffer(buffer), from, 0, error);
            if (error != asio::error::would_block) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        ASSERT_FALSE(error) << error.message();
        EXPECT_EQ(std::string(buffer.data(), got), message);
    }
    EXPECT_THROW(
        open_multicast_receiver(io, udp::endpoint(asio::ip::make_address("192.0.2.1"), port)),
        NetError);
}

}  // namespace
}  // namespace extrema::net
