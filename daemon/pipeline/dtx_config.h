#pragma once
// The DTX gate's settings (pipeline/dtx_gate.h); the link's encoder settings embed them.
#include <cstddef>

#include "extrema/codec/sample_rate.h"
#include "net/stream_defaults.h"

namespace extrema::pipeline {

struct DtxConfig {
    double sample_rate_hz = codec::kDefaultSampleRateHz;
    // VAD frame: the stream's packet_ms, so a decision covers one packet; the link sets it.
    double frame_ms = net::kDefaultPacketMs;
    // Speech still sent after the last speech frame (encoder.dtx_hangover_ms).
    double hangover_ms = 200.0;
    // Comfort-noise refresh through a pause. 250 ms: RFC 3389 leaves it to the sender; at 4
    // packets/s of 51 bytes (40 of IP/UDP/RTP headers, the level and 10 coefficients) a pause
    // costs 1.6 kbit/s, under 2 kbit/s even with an SRTP tag, and the noise follows a change
    // within a quarter of a second.
    double refresh_ms = 250.0;
    // Order of the noise's spectral model. 10: the usual narrow-band LPC order (G.711 Appendix
    // II), enough for the shape of a background hum or hiss.
    std::size_t noise_order = 10;
};

}  // namespace extrema::pipeline
