#include "pipeline/link_socket.h"

#include <optional>
#include <string>

#include "net/wire_limits.h"
#include "pipeline/link_error.h"
#include "pipeline/setting_errors.h"
#include "pipeline/setting_keys.h"

namespace extrema::pipeline {
namespace {

namespace asio = boost::asio;
using asio::ip::udp;

udp::endpoint resolve_allowed(asio::io_context& io, const std::string& text) {
    bool has_port = true;
    try {
        (void)net::parse_host_port(text);
    } catch (const net::NetError&) {
        has_port = false;
    }
    if (has_port) return net::resolve_endpoint(io, text);
    // No port given: any port of that host (NAT rewrites ports).
    const bool v6 = text.find(':') != std::string::npos;
    return net::resolve_endpoint(io, v6 ? "[" + text + "]:0" : text + ":0");
}

}  // namespace

LinkSocket::LinkSocket(LinkMode mode, const NetworkSettings& network)
    : socket_(io_), buffer_(net::kMaxDatagramBytes) {
    open(mode, network);
}

void LinkSocket::open(LinkMode mode, const NetworkSettings& net) {
    const bool sends = mode != LinkMode::kReceive;
    const bool receives = mode != LinkMode::kSend;
    const udp::endpoint local =
        for_setting(keys::kBind, [&] { return net::resolve_endpoint(io_, net.bind); });
    if (!net.peer.empty()) {
        peer_ = for_setting(keys::kPeer, [&] { return net::resolve_endpoint(io_, net.peer); });
    }
    const bool multicast = !net.peer.empty() && peer_.address().is_multicast();
    if (multicast && mode == LinkMode::kDuplex) {
        throw LinkError("duplex needs a unicast peer: " + net.peer + " is a multicast group");
    }
    if (!net.peer.empty() && !multicast && peer_.protocol() != local.protocol()) {
        throw LinkError("peer " + net.peer + " and bind address " + net.bind +
                        " are of different IP versions");
    }
    if (multicast && receives) {
        std::optional<asio::ip::address> interface_address;
        if (!net.multicast_interface.empty()) {
            boost::system::error_code error;
            interface_address = asio::ip::make_address(net.multicast_interface, error);
            if (error) {
                throw LinkError(std::string(keys::name_in_section(keys::kMulticastInterface)) +
                                " '" + net.multicast_interface + "' is not an IP address");
            }
        }
        socket_ = for_setting(keys::kPeer, [&] {
            return net::open_multicast_receiver(io_, peer_, interface_address,
                                                net.receive_buffer_bytes);
        });
    } else {
        net::BindOptions options;
        options.receive_buffer_bytes = receives ? net.receive_buffer_bytes : 0;
        socket_ = for_setting(keys::kBind, [&] { return net::bind_socket(io_, local, options); });
    }
    if (multicast && sends) {
        for_setting(keys::kMulticastTtl,
                    [&] { net::set_multicast_sending(socket_, net.multicast_ttl, true); });
    }
    if (receives) {
        if (!net.peer.empty() && !multicast) allowed_.push_back(peer_);
        for (const std::string& entry : net.allow) {
            allowed_.push_back(
                for_setting(keys::kAllow, [&] { return resolve_allowed(io_, entry); }));
        }
        // Senders to a group are not known in advance: with no allow list, anyone may send.
        accept_any_ = net.accept_any_peer || (multicast && net.allow.empty());
    }
    socket_.non_blocking(true);  // see the header
    local_ = socket_.local_endpoint();
}

bool LinkSocket::send_to(std::span<const std::uint8_t> bytes, const udp::endpoint& to) noexcept {
    boost::system::error_code error;
    const std::size_t sent =
        socket_.send_to(asio::buffer(bytes.data(), bytes.size()), to, 0, error);
    return !error && sent == bytes.size();
}

bool LinkSocket::nothing_waiting(const boost::system::error_code& error) noexcept {
    return error == asio::error::would_block || error == asio::error::try_again;
}

void LinkSocket::close() noexcept {
    boost::system::error_code ignored;
    socket_.close(ignored);
}

}  // namespace extrema::pipeline
