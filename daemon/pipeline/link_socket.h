#pragma once
// LinkSocket: a link's one UDP socket (SPEC §5, §6). Construction resolves and checks the
// network settings for the mode, binds (or joins the multicast group), and builds the allow
// list of senders a receiver accepts. The socket is non-blocking: a full send buffer must never
// block the thread that also reads it and keeps the wake-ups, so a datagram that cannot leave is
// dropped and counted by the caller, and reading stops when nothing waits.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>

#include "net/udp_socket.h"
#include "pipeline/link_config.h"

namespace extrema::pipeline {

// At most this many datagrams are read per wake-up: a flood waits in the socket (the kernel drops
// what its buffer cannot hold) instead of delaying the wake-up's sending. 512 is over 100 times a
// link's packets per wake-up.
inline constexpr std::size_t kMaxDatagramsPerWake = 512;

class LinkSocket {
  public:
    // The settings meet the rules between them (pipeline/link_rules.h; Link checks). Throws
    // LinkError for what only resolving the addresses shows (a multicast duplex, mixed IP
    // versions) and net::NetError led by the key at fault (port in use, unresolvable host).
    LinkSocket(LinkMode mode, const NetworkSettings& network);

    // Where a sending link sends; unset without network.peer.
    const boost::asio::ip::udp::endpoint& peer() const noexcept { return peer_; }
    const boost::asio::ip::udp::endpoint& local_endpoint() const noexcept { return local_; }
    // The senders a receiving link accepts, or anyone when accept_any().
    const std::vector<boost::asio::ip::udp::endpoint>& allowed() const noexcept { return allowed_; }
    bool accept_any() const noexcept { return accept_any_; }

    // To the peer; false when the datagram did not leave whole.
    bool send(std::span<const std::uint8_t> bytes) noexcept { return send_to(bytes, peer_); }
    bool send_to(std::span<const std::uint8_t> bytes,
                 const boost::asio::ip::udp::endpoint& to) noexcept;

    // Hands the datagrams waiting now, at most kMaxDatagramsPerWake, to
    // `on_datagram(bytes, wire_bytes, sender)`; never blocks. `wire_bytes` is the datagram's real
    // size: more than bytes.size() when the buffer cut it.
    template <typename OnDatagram>
    void receive_waiting(OnDatagram&& on_datagram) {
        for (std::size_t i = 0; i < kMaxDatagramsPerWake; ++i) {
            boost::system::error_code error;
            const net::ReceivedDatagram got =
                net::receive_datagram(socket_, buffer_, sender_, error);
            if (nothing_waiting(error)) return;
            // Other errors (an ICMP "port unreachable" reported on a later read) change nothing:
            // read on.
            if (error) continue;
            on_datagram(std::span<std::uint8_t>(buffer_.data(), got.bytes), got.wire_bytes,
                        static_cast<const boost::asio::ip::udp::endpoint&>(sender_));
        }
    }

    void close() noexcept;

  private:
    static bool nothing_waiting(const boost::system::error_code& error) noexcept;
    void open(LinkMode mode, const NetworkSettings& network);

    boost::asio::io_context io_;
    boost::asio::ip::udp::socket socket_;
    boost::asio::ip::udp::endpoint local_;
    boost::asio::ip::udp::endpoint peer_;
    std::vector<boost::asio::ip::udp::endpoint> allowed_;
    bool accept_any_ = false;
    std::vector<std::uint8_t> buffer_;
    boost::asio::ip::udp::endpoint sender_;
};

}  // namespace extrema::pipeline
