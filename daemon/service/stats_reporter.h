#pragma once
// The words and numbers made from LinkStats snapshots: the periodic stats line in the log, the
// JSON stats record, systemd's STATUS= text and the summary at exit. Pure functions of their
// arguments (the caller takes the snapshots and the clock), so every figure is testable.
//
// Bit rates are "wire" rates: every byte of the UDP payload, i.e. RTP header + codec payload
// (+ SRTP tag), times 8 over the interval; the IP and UDP headers below are not included.
#include <array>
#include <chrono>
#include <cstdint>
#include <string>

#include "net/drop_counters.h"
#include "pipeline/link_stats.h"

namespace extrema::service {

// What happened between two snapshots. Counters are differences (a counter that went backwards,
// e.g. after a restart of the link, counts from zero).
struct IntervalStats {
    double interval_s = 0.0;
    double tx_kbps = 0.0;        // send.wire_bytes * 8 / interval / 1000
    double rx_kbps = 0.0;        // receive.wire_bytes * 8 / interval / 1000
    std::uint64_t sent = 0;      // RTP packets sent
    std::uint64_t received = 0;  // packets that passed validation
    std::uint64_t lost = 0;
    std::uint64_t late = 0;
    std::uint64_t duplicate = 0;
    std::uint64_t early = 0;
    std::uint64_t handoff_overflows = 0;  // validated packets playout had no room for
    std::array<std::uint64_t, net::kDropReasonCount> drops{};
    std::uint64_t send_errors = 0;
    std::uint64_t overruns = 0;        // capture samples dropped
    std::uint64_t capture_xruns = 0;   // as the capture device reported them
    std::uint64_t playback_xruns = 0;  // as the playback device reported them
    // lost / (received + lost) in percent: the share of expected packets that never came; 0
    // when none were expected.
    double loss_percent = 0.0;
};

// `interval_s` is the time between the snapshots; 0 or less gives zero rates.
IntervalStats stats_rates(const pipeline::LinkStats& now, const pipeline::LinkStats& previous,
                          double interval_s);

// One human line for the log, e.g.
//   tx 13.2 kbps 500 pkts, overruns 0 | rx 13.1 kbps 498 pkts, lost 2 (0.4%), late 0, dup 0,
//   drops 4 (foreign_peer 1, auth 3), jitter 1.2 ms, buffer 20.0 ms, drift +3.1 ppm,
//   latency 31.0 ms
// Counts are for the interval (the JSON record and the summary carry totals). The tx part only
// when sending, the rx part only when receiving; drops, early packets, send errors and device
// xruns only when non-zero. Overruns count samples.
// With `idle_s` > 0 (ReceiverIdle: no packet for that long) the rx part is only
// "rx: no sender for N s" (and drops, if any), not the stale buffer and latency figures.
std::string format_stats_line(const pipeline::LinkStats& now, const pipeline::LinkStats& previous,
                              double interval_s, double idle_s = 0.0);

// One JSON object on one line (no newline): the time, every total of `now` with every drop
// reason by name (a fixed schema, zeros included), and the interval's kbps and loss.
std::string format_stats_json(const pipeline::LinkStats& now, const pipeline::LinkStats& previous,
                              double interval_s, std::chrono::system_clock::time_point time);

// A short text for systemd's STATUS=, e.g. "rx 12.3 kbps, buffer 20 ms, lost 0.1%, latency 31
// ms"; "tx 12.4 kbps" when sending; both joined by "; " in duplex.
std::string format_status(const pipeline::LinkStats& now, const pipeline::LinkStats& previous,
                          double interval_s);

// The totals at exit, one line: uptime, packets and bytes each way with the average rate,
// losses, drops by reason, concealment and overruns. `idle_samples` (ReceiverIdle) of
// the concealed samples were played while no sender was there: counted as idle, not concealed.
std::string format_summary(const pipeline::LinkStats& total, std::uint64_t idle_samples = 0);

// "2024-05-01T12:00:00.123Z": UTC, millisecond resolution.
std::string format_utc_time(std::chrono::system_clock::time_point time);

}  // namespace extrema::service
