#pragma once
// A snapshot of one link's figures: what the stats lines, the JSON stats file, systemd's STATUS=
// and the loopback report show. Counters are totals since start; rates are computed by whoever
// compares two snapshots (service::stats_rates()). Plain data, copyable between threads.
// A component's own counters are embedded whole (the jitter buffer's, RTCP's), not copied field
// by field. How each figure is named and shown is described once, in the field table of
// service/stats_reporter.cpp: a new figure is a member here plus one row there.
#include <array>
#include <cstdint>

#include "net/drop_counters.h"
#include "net/jitter_buffer.h"
#include "net/rtcp_session.h"

namespace extrema::pipeline {

struct SendStats {
    std::uint64_t frames_captured = 0;    // frames the source delivered
    std::uint64_t records = 0;            // records encoded (anchors excluded)
    std::uint64_t packets = 0;            // RTP packets sent
    std::uint64_t wire_bytes = 0;         // UDP payload bytes sent: RTP header + payload (+ SRTP)
    std::uint64_t send_errors = 0;        // datagrams the socket refused (counted, not fatal)
    std::uint64_t unkeyed = 0;            // packets not sent: no DTLS-SRTP keys agreed yet
    std::uint64_t redundant_blocks = 0;   // earlier packets' payloads sent again (RFC 2198)
    std::uint64_t redundant_dropped = 0;  // left out: over the payload cap or the RED fields
    std::uint64_t redundant_plain = 0;    // packets sent plain: the cap had room for no block
    std::uint64_t redundant_copied = 0;   // redundancy_kbps: copies, no low-rate frame of the span
    std::uint64_t redundancy = 0;         // redundant blocks per packet now (auto: varies)
    std::uint64_t cn_packets = 0;         // RFC 3389 comfort-noise packets sent (DTX)
    std::uint64_t dtx_samples = 0;        // stream samples not sent: DTX pauses
    std::uint64_t capture_overruns = 0;   // samples the capture ring had to drop
    std::uint64_t device_xruns = 0;       // over/underflows the capture device reported
    double encoder_latency_ms = 0.0;      // audio held by the encoder (open segment), now
};

// The jitter buffer's counters (late, duplicate, early, concealed_samples, played_samples,
// resyncs, ...) are the base, so they keep their names here and are filled in one assignment.
struct ReceiveStats : net::JitterBufferCounters {
    std::uint64_t datagrams = 0;   // datagrams read from the socket, RTCP aside (see rtcp)
    std::uint64_t wire_bytes = 0;  // their bytes (RTP header + payload + SRTP)
    std::uint64_t packets = 0;     // packets that passed validation
    std::uint64_t lost = 0;        // sequence numbers never seen (RFC 3550 cumulative loss)
    // Validated packets dropped because playout had not taken the earlier ones yet (a stalled
    // audio device); 0 in a healthy link.
    std::uint64_t handoff_overflows = 0;
    std::array<std::uint64_t, net::kDropReasonCount> drops{};  // validator/SRTP drops by reason
    std::uint64_t output_samples = 0;       // samples handed to playback, silence included
    std::uint64_t device_xruns = 0;         // over/underflows the playback device reported
    std::uint64_t output_write_errors = 0;  // failed writes of a file output (it stops at one)
    double jitter_ms = 0.0;                 // RFC 3550 interarrival jitter
    double buffer_ms = 0.0;                 // audio in the jitter buffer ahead of playout
    double drift_ppm = 0.0;                 // sender clock vs ours, as corrected
    // Capture-to-playback delay estimate: packetisation + buffering on both sides + device
    // latencies as PortAudio reports them.
    double latency_ms = 0.0;
    bool locked = false;  // a sender's SSRC is locked
};

struct LinkStats {
    double uptime_s = 0.0;
    bool sending = false;
    bool receiving = false;
    std::uint64_t network_wakeups = 0;  // times the network thread woke: most of a link's CPU
    SendStats send;
    ReceiveStats receive;
    net::RtcpStats rtcp;  // what RTCP (RFC 3550 §6) told this end and what it sent
};

}  // namespace extrema::pipeline
