#pragma once
// The SDP (RFC 4566) description of a configured link, for `extremad --sdp`: what a tool needs to
// follow the stream (Wireshark's RTP analysis, an RTP recorder): where the RTP goes, its payload
// type, encoding name and clock rate (RFC 3551 §3: a dynamic type is bound by a=rtpmap), the
// packet time and direction, and RTCP multiplexed on the RTP port (RFC 5761's a=rtcp-mux).
//
// The connection (c=) and port (m=) are where the stream is sent: the peer for a sender or a
// duplex link, the bound address for a receiver (0.0.0.0 when it binds every interface). Under
// SRTP the profile is RTP/SAVP; the key stays in its file (it is never printed).
#include <cstdint>
#include <string>

#include "pipeline/link_config.h"

namespace extrema::daemon {

// The encoding name of the extrema stream in a=rtpmap (docs/wire.md, "SDP"). Not registered with
// IANA, so it only has a meaning with a dynamic payload type.
inline constexpr const char* kSdpEncodingName = "extrema";

// `session_id`: the o= line's session id and version (RFC 4566 suggests an NTP timestamp).
// Throws net::NetError on an address that cannot be parsed (the config's own checks come first).
std::string session_sdp(const pipeline::LinkConfig& config, std::uint64_t session_id);

}  // namespace extrema::daemon
