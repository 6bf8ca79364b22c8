#include "session_sdp.h"

#include <fmt/core.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <vector>

#include <boost/asio/ip/address.hpp>

#include "extrema/codec/curve_bank.h"
#include "net/udp_socket.h"
#include "pipeline/send_path.h"

namespace extrema::daemon {
namespace {

// RFC 4566 §5.7: "IN IP4 addr", "IN IP6 addr"; a name goes as it is, under IP4 (§5.7 allows a
// fully qualified domain name).
std::string connection_address(const std::string& host) {
    if (host.empty()) return "IN IP4 0.0.0.0";
    boost::system::error_code error;
    const auto address = boost::asio::ip::make_address(host, error);
    if (!error && address.is_v6()) return "IN IP6 " + host;
    return "IN IP4 " + host;
}

const char* direction(pipeline::LinkMode mode) {
    switch (mode) {
        case pipeline::LinkMode::kSend:
            return "sendonly";
        case pipeline::LinkMode::kReceive:
            return "recvonly";
        case pipeline::LinkMode::kDuplex:
            break;
    }
    return "sendrecv";
}

}  // namespace

std::string session_sdp(const pipeline::LinkConfig& config, std::uint64_t session_id) {
    const bool sends_to_peer = config.mode != pipeline::LinkMode::kReceive;
    const net::HostPort media =
        net::parse_host_port(sends_to_peer ? config.network.peer : config.network.bind);
    const net::HostPort local = net::parse_host_port(config.network.bind);
    const bool secure = !config.network.srtp_key_file.empty() || config.network.dtls != "off";
    const auto& network = config.network;
    // What this end sends (its bank's records, RED when it may send redundancy), then what it
    // takes besides (both banks' records, RED unless its type is the records').
    std::vector<int> formats;
    const auto add = [&formats](int pt) {
        if (std::find(formats.begin(), formats.end(), pt) == formats.end()) formats.push_back(pt);
    };
    const int sent = pipeline::records_payload_type(config);
    const bool receives = config.mode != pipeline::LinkMode::kSend;
    const bool sends_red = network.redundancy_auto || network.redundancy > 0;
    const bool takes_red = receives && network.red_payload_type != network.payload_type;
    if (sends_to_peer) add(sent);
    if (sends_to_peer && sends_red) add(network.red_payload_type);
    if (receives) {
        add(network.payload_type);
        add(network.swing_payload_type);
    }
    if (takes_red) add(network.red_payload_type);
    std::string sdp;
    // RFC 4566 §5: the lines in this order, each ended by CRLF.
    sdp += "v=0\r\n";
    sdp += fmt::format("o=- {0} {0} {1}\r\n", session_id, connection_address(local.host));
    sdp += "s=extremad\r\n";
    sdp += fmt::format("c={}\r\n", connection_address(media.host));
    sdp += "t=0 0\r\n";
    sdp += fmt::format("m=audio {} {} {}\r\n", media.port, secure ? "RTP/SAVP" : "RTP/AVP",
                       fmt::join(formats, " "));
    for (const int pt : formats) {
        if (pt == network.red_payload_type && pt != network.payload_type) {
            sdp += fmt::format("a=rtpmap:{} red/{}\r\n", pt, config.audio.rate_hz);
            // RFC 2198 §5: the primary's type, then the blocks' (copies of the primary's).
            const int primary = sends_to_peer ? sent : network.payload_type;
            sdp += fmt::format("a=fmtp:{} {}/{}\r\n", pt, primary, primary);
            continue;
        }
        const bool swing = pt == network.swing_payload_type;
        sdp += fmt::format("a=rtpmap:{} {}/{}\r\n", pt, kSdpEncodingName, config.audio.rate_hz);
        sdp +=
            fmt::format("a=fmtp:{} bank={}\r\n", pt,
                        static_cast<int>(swing ? codec::BankId::kSwing : codec::BankId::kStandard));
    }
    sdp += fmt::format("a=ptime:{:g}\r\n", config.network.packet_ms);
    sdp += "a=rtcp-mux\r\n";
    sdp += fmt::format("a={}\r\n", direction(config.mode));
    return sdp;
}

}  // namespace extrema::daemon
