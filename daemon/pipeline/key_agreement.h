#pragma once
// KeyAgreement: a link's DTLS-SRTP handshake (network.dtls, RFC 5764) over the link's socket,
// keyed by the pre-shared key file. It sends its flights to the peer or, as a server, to the
// sender of the last handshake datagram; the keys each completed handshake yields go to the
// send and receive paths (the caller installs them).
#include <memory>
#include <optional>
#include <span>

#include <boost/asio/ip/udp.hpp>

#include "net/dtls_srtp.h"
#include "net/packet_validator.h"
#include "pipeline/link_config.h"
#include "pipeline/link_socket.h"

namespace extrema::pipeline {

class KeyAgreement {
  public:
    // Throws LinkError for a set-up DTLS cannot serve (no key file, a multicast peer, a client
    // without a peer), and the key file's error led by its key.
    KeyAgreement(const NetworkSettings& network, LinkSocket& socket);

    // Network thread, from here on. A client's first ClientHello.
    void start(net::Clock::time_point now);
    // A datagram in the DTLS range from `sender`, who may shake hands; the new keys if it
    // completed a handshake.
    std::optional<net::DtlsSrtpKeys> on_datagram(std::span<const std::uint8_t> datagram,
                                                 const boost::asio::ip::udp::endpoint& sender,
                                                 net::Clock::time_point now);
    // An SRTP packet from an accepted sender before any keys: a server asks it to shake hands.
    void on_srtp_without_keys(const boost::asio::ip::udp::endpoint& sender,
                              net::Clock::time_point now);
    // Retransmission timers; the new keys if a handshake completed.
    std::optional<net::DtlsSrtpKeys> on_tick(net::Clock::time_point now);

  private:
    std::unique_ptr<net::DtlsSrtp> dtls_;
    boost::asio::ip::udp::endpoint to_;
};

}  // namespace extrema::pipeline
