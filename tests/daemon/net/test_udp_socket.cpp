// UDP helpers: address parsing, resolution errors, port-in-use errors, receive buffer, and a
// multicast group heard by two receivers on one host.
#include "net/udp_socket.h"

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "net/wire_limits.h"

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

// Reads the next datagram, waiting up to 2 s for it.
ReceivedDatagram wait_for_datagram(udp::socket& socket, std::span<std::uint8_t> buffer,
                                   udp::endpoint& from) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    boost::system::error_code error;
    while (std::chrono::steady_clock::now() < deadline) {
        const ReceivedDatagram got = receive_datagram(socket, buffer, from, error);
        if (!error) return got;
        EXPECT_EQ(error, asio::error::would_block) << error.message();
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ADD_FAILURE() << "no datagram within 2 s";
    return {};
}

TEST(UdpSocket, ReceiveDatagramReportsTheRealSizeOfACutDatagram) {
    asio::io_context io;
    const udp::endpoint loopback(asio::ip::address_v4::loopback(), 0);
    udp::socket receiver = bind_socket(io, loopback);
    udp::socket sender = bind_socket(io, loopback);
    std::vector<std::uint8_t> big(65000, 0x5a);
    sender.send_to(asio::buffer(big), receiver.local_endpoint());
    sender.send_to(asio::buffer(big.data(), 100), receiver.local_endpoint());

    std::vector<std::uint8_t> buffer(kMaxDatagramBytes);
    udp::endpoint from;
    const ReceivedDatagram cut = wait_for_datagram(receiver, buffer, from);
    EXPECT_EQ(cut.bytes, kMaxDatagramBytes);
    EXPECT_EQ(cut.wire_bytes, big.size());
    EXPECT_TRUE(cut.truncated());
    EXPECT_EQ(from, sender.local_endpoint());

    const ReceivedDatagram whole = wait_for_datagram(receiver, buffer, from);
    EXPECT_EQ(whole.bytes, 100u);
    EXPECT_EQ(whole.wire_bytes, 100u);
    EXPECT_FALSE(whole.truncated());

    boost::system::error_code error;
    (void)receive_datagram(receiver, buffer, from, error);
    EXPECT_EQ(error, asio::error::would_block);
}

}  // namespace
}  // namespace extrema::net
