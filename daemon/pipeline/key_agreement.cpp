#include "pipeline/key_agreement.h"

#include "pipeline/link_error.h"
#include "pipeline/setting_errors.h"
#include "pipeline/setting_keys.h"

namespace extrema::pipeline {

KeyAgreement::KeyAgreement(const NetworkSettings& net, LinkSocket& socket) : to_(socket.peer()) {
    if (!net.peer.empty() && socket.peer().address().is_multicast()) {
        throw LinkError(std::string(keys::kDtls) + " needs a unicast peer: " + net.peer +
                        " is a multicast group (DTLS is between two ends)");
    }
    const bool client = net.dtls == "client";
    const net::SrtpKey psk =
        for_setting(keys::kSrtpKeyFile, [&] { return net::read_srtp_key_file(net.srtp_key_file); });
    dtls_ = for_setting(keys::kDtls, [&] {
        return std::make_unique<net::DtlsSrtp>(
            psk, client ? net::DtlsRole::kClient : net::DtlsRole::kServer,
            [this, &socket](std::span<const std::uint8_t> datagram) {
                (void)socket.send_to(datagram, to_);  // a lost flight is sent again on its timer
            });
    });
}

void KeyAgreement::start(net::Clock::time_point now) {
    dtls_->start(now);
}

std::optional<net::DtlsSrtpKeys> KeyAgreement::on_datagram(
    std::span<const std::uint8_t> datagram, const boost::asio::ip::udp::endpoint& sender,
    net::Clock::time_point now) {
    if (dtls_->role() == net::DtlsRole::kServer) to_ = sender;
    dtls_->on_datagram(datagram, now);
    return dtls_->take_keys();
}

void KeyAgreement::on_srtp_without_keys(const boost::asio::ip::udp::endpoint& sender,
                                        net::Clock::time_point now) {
    if (dtls_->has_keys() || dtls_->role() != net::DtlsRole::kServer) return;
    to_ = sender;
    dtls_->on_srtp_without_keys(now);
}

std::optional<net::DtlsSrtpKeys> KeyAgreement::on_tick(net::Clock::time_point now) {
    dtls_->on_tick(now);
    return dtls_->take_keys();
}

}  // namespace extrema::pipeline
