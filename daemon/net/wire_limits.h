#pragma once
// Hard size limits of the RTP link (docs/wire.md), shared by sender and receiver. Config values
// (packet_ms, payload caps) must stay within these; fixed buffers are sized by them.
#include <cstddef>

#include "extrema/codec/record.h"

namespace extrema::net {

// RFC 3550 fixed header.
inline constexpr std::size_t kRtpHeaderBytes = 12;

// Largest payload we ever send or accept: what fits a 1500-byte Ethernet frame unfragmented over
// IPv6 (1500 - 40 IPv6 - 8 UDP - 12 RTP). The receiver's record arrays are sized by it.
inline constexpr std::size_t kMaxPayloadBytes = 1440;
inline constexpr std::size_t kMaxRecordsPerPacket = kMaxPayloadBytes / codec::kRecordBytes;

// Room SRTP may append after a packet when protecting in place: libsrtp2's SRTP_MAX_TRAILER_LEN
// (16-byte tag + 128-byte MKI); srtp_session.cpp checks the two agree.
inline constexpr std::size_t kSrtpTrailerRoomBytes = 144;

// Receive buffer for one datagram: room for the biggest packet we accept (header, CSRCs,
// extension, payload, SRTP trailer). A larger datagram is cut to this by the socket, detected
// (net::receive_datagram) and dropped as payload_too_long.
inline constexpr std::size_t kMaxDatagramBytes = 2048;

}  // namespace extrema::net
