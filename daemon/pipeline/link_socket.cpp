#include "pipeline/link_socket.h"

#include <optional>
#include <string>

#include "net/wire_limits.h"
#include "pipeline/link_error.h"
#include "pipeline/setting_errors.h"

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
    if (sends && net.peer.empty()) {
        throw LinkError(std::string("mode '") + to_string(mode) +
                        "' needs a peer to send to (network.peer, --peer)");
    }
    const udp::endpoint local =
        for_setting("network.bind", [&] { return net::resolve_endpoint(io_, net.bind); });
    if (!net.peer.empty()) {
        peer_ = for_setting("network.peer", [&] { return net::resolve_endpoint(io_, net.peer); });
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
                throw LinkError("multicast_interface '" + net.multicast_interface +
                                "' is not an IP address");
            }
        }
        socket_ = for_setting("network.peer", [&] {
            return net::open_multicast_receiver(io_, peer_, interface_address,
                                                net.receive_buffer_bytes);
        });
    } else {
        net::BindOptions options;
        options.receive_buffer_bytes = receives ? net.receive_buffer_bytes : 0;
        socket_ =
            for_setting("network.bind", [&] { return net::bind_socket(io_, local, options); });
    }
    if (multicast && sends) {
        for_setting("network.multicast_ttl",
                    [&] { net::set_multicast_sending(socket_, net.multicast_ttl, true); });
    }
    if (receives) {
        if (!net.peer.empty() && !multicast) allowed_.push_back(peer_);
        for (const std::string& entry : net.allow) {
            allowed_.push_back(
                for_setting("network.allow", [&] { return resolve_allowed(io_, entry); }));
        }
        // Senders to a group are not known in advance: with no allow list, anyone may send.
        accept_any_ = net.accept_any_peer || (multicast && net.allow.empty());
        if (allowed_.empty() && !accept_any_) {
            throw LinkError(
                "mode 'receive' needs to know its senders: set network.peer, network.allow or "
                "network.accept_any_peer");
        }
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
