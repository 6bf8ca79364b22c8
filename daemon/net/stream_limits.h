#pragma once
// What a receiver accepts of one sender's stream (receiver.max_packet_ms, receiver.ssrc_timeout_ms:
// their docs give the defaults' reasons). The packet validator holds them; the link's receiver
// settings embed them.

namespace extrema::net {

struct StreamLimits {
    // Most audio one packet may produce: without a cap a hostile packet could make the receiver
    // play hours of silence from one u32 length.
    double max_packet_ms = 200.0;
    // After this long without a packet from the locked SSRC another sender may take over.
    double ssrc_timeout_ms = 1000.0;
};

}  // namespace extrema::net
