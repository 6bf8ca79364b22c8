#pragma once
// The words and numbers made from LinkStats snapshots: the periodic stats line in the log, the
// JSON stats record, systemd's STATUS= text and the summary at exit. Pure functions of their
// arguments (the caller takes the snapshots and the clock), so every figure is testable. All four
// are rendered from one table that describes each figure once (stats_reporter.cpp): its JSON
// key, whether it is a counter, and its words and place in each text.
//
// Bit rates are "wire" rates: every byte of the UDP payload, i.e. RTP header + codec payload
// (+ SRTP tag), times 8 over the interval; the IP and UDP headers below are not included.
#include <chrono>
#include <cstdint>
#include <string>

#include "pipeline/link_stats.h"
#include "service/json_text.h"

namespace extrema::service {

// What happened between two snapshots: `change` is the later snapshot with each of its counters
// (the fields the stats table marks as counts) replaced by its increase (a counter that went
// backwards, e.g. after a restart of the link, counts from zero); its other figures (jitter,
// buffer, locked, ...) are as they are now.
struct IntervalStats {
    double interval_s = 0.0;
    pipeline::LinkStats change;
    double tx_kbps = 0.0;  // change.send.wire_bytes * 8 / interval / 1000
    double rx_kbps = 0.0;  // change.receive.wire_bytes * 8 / interval / 1000
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

// The JSON stats record without its time: every total of `now` with every drop reason by name
// (a fixed schema, zeros included), and the interval's kbps and loss; top-level figures, then
// "tx", "rx" and "rtcp" objects. What `extrema loopback --json` reports of each link, too.
json::Object stats_record(const pipeline::LinkStats& now, const pipeline::LinkStats& previous,
                          double interval_s);

// One JSON object on one line (no newline): the time, then stats_record.
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
