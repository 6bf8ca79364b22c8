#include "service/stats_reporter.h"

#include <algorithm>
#include <cstddef>
#include <ctime>
#include <iterator>

#include <fmt/format.h>

#include "service/json_text.h"

namespace extrema::service {
namespace {

using pipeline::LinkStats;

// A counter that went backwards (the link was rebuilt) restarts from zero.
std::uint64_t delta(std::uint64_t now, std::uint64_t previous) noexcept {
    return now >= previous ? now - previous : now;
}

double kbps(std::uint64_t bytes, double seconds) noexcept {
    return seconds > 0.0 ? static_cast<double>(bytes) * 8.0 / seconds / 1000.0 : 0.0;
}

double loss_percent(std::uint64_t received, std::uint64_t lost) noexcept {
    const std::uint64_t expected = received + lost;
    return expected > 0 ? 100.0 * static_cast<double>(lost) / static_cast<double>(expected) : 0.0;
}

net::DropReason reason_at(std::size_t index) noexcept {
    return static_cast<net::DropReason>(index);
}

std::uint64_t total_drops(const std::array<std::uint64_t, net::kDropReasonCount>& drops) {
    std::uint64_t total = 0;
    for (const std::uint64_t count : drops) total += count;
    return total;
}

// ", drops 4 (auth 3, foreign_peer 1)", or nothing when there were none.
void append_drops(std::string& out, const std::array<std::uint64_t, net::kDropReasonCount>& drops) {
    const std::uint64_t total = total_drops(drops);
    if (total == 0) return;
    fmt::format_to(std::back_inserter(out), ", drops {} (", total);
    bool first = true;
    for (std::size_t i = 0; i < drops.size(); ++i) {
        if (drops[i] == 0) continue;
        fmt::format_to(std::back_inserter(out), "{}{} {}", first ? "" : ", ",
                       net::to_string(reason_at(i)), drops[i]);
        first = false;
    }
    out += ')';
}

void append_if_nonzero(std::string& out, const char* label, std::uint64_t count) {
    if (count != 0) fmt::format_to(std::back_inserter(out), ", {} {}", label, count);
}

// "1h 02m 03s", "4m 05s", "6.7 s".
std::string format_duration(double seconds) {
    if (!(seconds >= 60.0)) return fmt::format("{:.1f} s", std::max(seconds, 0.0));
    const auto whole = static_cast<std::uint64_t>(seconds);
    const std::uint64_t h = whole / 3600;
    const std::uint64_t m = whole / 60 % 60;
    const std::uint64_t s = whole % 60;
    if (h > 0) return fmt::format("{}h {:02}m {:02}s", h, m, s);
    return fmt::format("{}m {:02}s", m, s);
}

// SI units: "812 B", "45.6 kB", "7.9 MB", "1.2 GB".
std::string format_bytes(std::uint64_t bytes) {
    const auto value = static_cast<double>(bytes);
    if (bytes < 10'000) return fmt::format("{} B", bytes);
    if (value < 1e7) return fmt::format("{:.1f} kB", value / 1e3);
    if (value < 1e10) return fmt::format("{:.1f} MB", value / 1e6);
    return fmt::format("{:.1f} GB", value / 1e9);
}

json::Object send_json(const LinkStats& now, const IntervalStats& rates) {
    const pipeline::SendStats& s = now.send;
    return {{"kbps", json::rounded(rates.tx_kbps, 3)},
            {"packets", s.packets},
            {"wire_bytes", s.wire_bytes},
            {"frames_captured", s.frames_captured},
            {"records", s.records},
            {"send_errors", s.send_errors},
            {"redundancy", s.redundancy},
            {"redundant_blocks", s.redundant_blocks},
            {"redundant_dropped", s.redundant_dropped},
            {"capture_overruns", s.capture_overruns},
            {"device_xruns", s.device_xruns},
            {"encoder_latency_ms", json::rounded(s.encoder_latency_ms, 3)}};
}

json::Object receive_json(const LinkStats& now, const IntervalStats& rates) {
    const pipeline::ReceiveStats& r = now.receive;
    json::Object drops = json::Object::object();
    for (std::size_t i = 0; i < r.drops.size(); ++i)
        drops[net::to_string(reason_at(i))] = r.drops[i];
    return {{"kbps", json::rounded(rates.rx_kbps, 3)},
            {"loss_pct", json::rounded(rates.loss_percent, 3)},
            {"locked", r.locked},
            {"datagrams", r.datagrams},
            {"wire_bytes", r.wire_bytes},
            {"packets", r.packets},
            {"lost", r.lost},
            {"late", r.late},
            {"duplicate", r.duplicate},
            {"early", r.early},
            {"handoff_overflows", r.handoff_overflows},
            {"drops_total", total_drops(r.drops)},
            {"drops", drops},
            {"concealed_samples", r.concealed_samples},
            {"played_samples", r.played_samples},
            {"output_samples", r.output_samples},
            {"device_xruns", r.device_xruns},
            {"resyncs", r.resyncs},
            {"repaired", r.repaired},
            {"output_write_errors", r.output_write_errors},
            {"jitter_ms", json::rounded(r.jitter_ms, 3)},
            {"buffer_ms", json::rounded(r.buffer_ms, 3)},
            {"drift_ppm", json::rounded(r.drift_ppm, 3)},
            {"latency_ms", json::rounded(r.latency_ms, 3)}};
}

// What RTCP told this end: compounds both ways, the round trip (-1 until known) and the peer's
// last report on our stream.
json::Object rtcp_json(const net::RtcpStats& c) {
    return {{"sr_sent", c.sr_sent},
            {"rr_sent", c.rr_sent},
            {"sr_received", c.sr_received},
            {"rr_received", c.rr_received},
            {"bye_received", c.bye_received},
            {"drops", c.drops.total()},
            {"rtt_ms", json::rounded(c.rtt_ms, 3)},
            {"remote_report", c.has_remote_report},
            {"remote_fraction_lost", json::rounded(c.remote_fraction_lost, 4)},
            {"remote_cumulative_lost", c.remote_cumulative_lost},
            {"remote_jitter_ms", json::rounded(c.remote_jitter_ms, 3)}};
}

// The sender's view from RTCP, once the peer has reported.
void append_rtcp(std::string& out, const net::RtcpStats& c) {
    if (!c.has_remote_report) return;
    fmt::format_to(std::back_inserter(out), ", peer lost {:.1f}% jitter {:.1f} ms",
                   100.0 * c.remote_fraction_lost, c.remote_jitter_ms);
    if (c.rtt_ms >= 0.0) fmt::format_to(std::back_inserter(out), ", rtt {:.1f} ms", c.rtt_ms);
}

}  // namespace

IntervalStats stats_rates(const LinkStats& now, const LinkStats& previous, double interval_s) {
    IntervalStats d;
    d.interval_s = interval_s;
    d.tx_kbps = kbps(delta(now.send.wire_bytes, previous.send.wire_bytes), interval_s);
    d.rx_kbps = kbps(delta(now.receive.wire_bytes, previous.receive.wire_bytes), interval_s);
    d.sent = delta(now.send.packets, previous.send.packets);
    d.received = delta(now.receive.packets, previous.receive.packets);
    d.lost = delta(now.receive.lost, previous.receive.lost);
    d.late = delta(now.receive.late, previous.receive.late);
    d.duplicate = delta(now.receive.duplicate, previous.receive.duplicate);
    d.early = delta(now.receive.early, previous.receive.early);
    d.handoff_overflows = delta(now.receive.handoff_overflows, previous.receive.handoff_overflows);
    for (std::size_t i = 0; i < d.drops.size(); ++i) {
        d.drops[i] = delta(now.receive.drops[i], previous.receive.drops[i]);
    }
    d.send_errors = delta(now.send.send_errors, previous.send.send_errors);
    d.overruns = delta(now.send.capture_overruns, previous.send.capture_overruns);
    d.capture_xruns = delta(now.send.device_xruns, previous.send.device_xruns);
    d.playback_xruns = delta(now.receive.device_xruns, previous.receive.device_xruns);
    d.loss_percent = loss_percent(d.received, d.lost);
    return d;
}

std::string format_stats_line(const LinkStats& now, const LinkStats& previous, double interval_s,
                              double idle_s) {
    const IntervalStats d = stats_rates(now, previous, interval_s);
    std::string out;
    auto it = std::back_inserter(out);
    if (now.sending) {
        fmt::format_to(it, "tx {:.1f} kbps {} pkts, overruns {}", d.tx_kbps, d.sent, d.overruns);
        append_if_nonzero(out, "xruns", d.capture_xruns);
        append_if_nonzero(out, "send errors", d.send_errors);
        append_rtcp(out, now.rtcp);
    }
    if (now.receiving) {
        const pipeline::ReceiveStats& r = now.receive;
        if (!out.empty()) out += " | ";
        if (idle_s > 0.0) {
            fmt::format_to(it, "rx: no sender for {:.0f} s", idle_s);
            append_drops(out, d.drops);
            return out;
        }
        fmt::format_to(it, "rx {:.1f} kbps {} pkts, lost {} ({:.1f}%), late {}, dup {}", d.rx_kbps,
                       d.received, d.lost, d.loss_percent, d.late, d.duplicate);
        append_if_nonzero(out, "early", d.early);
        append_if_nonzero(out, "handoff overflows", d.handoff_overflows);
        append_drops(out, d.drops);
        fmt::format_to(it, ", jitter {:.1f} ms, buffer {:.1f} ms", r.jitter_ms, r.buffer_ms);
        append_if_nonzero(out, "xruns", d.playback_xruns);
        fmt::format_to(it, ", drift {:+.1f} ppm, latency {:.1f} ms", r.drift_ppm, r.latency_ms);
        append_if_nonzero(out, "output write errors", r.output_write_errors);
        if (!r.locked) out += ", no sender";
    }
    if (out.empty()) out = "idle";
    return out;
}

std::string format_stats_json(const LinkStats& now, const LinkStats& previous, double interval_s,
                              std::chrono::system_clock::time_point time) {
    const IntervalStats rates = stats_rates(now, previous, interval_s);
    const json::Object record = {{"time", format_utc_time(time)},
                                 {"uptime_s", json::rounded(now.uptime_s, 3)},
                                 {"interval_s", json::rounded(interval_s, 3)},
                                 {"sending", now.sending},
                                 {"receiving", now.receiving},
                                 {"tx", send_json(now, rates)},
                                 {"rx", receive_json(now, rates)},
                                 {"rtcp", rtcp_json(now.rtcp)}};
    return json::one_line(record);
}

std::string format_status(const LinkStats& now, const LinkStats& previous, double interval_s) {
    const IntervalStats d = stats_rates(now, previous, interval_s);
    std::string out;
    auto it = std::back_inserter(out);
    if (now.sending) fmt::format_to(it, "tx {:.1f} kbps", d.tx_kbps);
    if (now.sending && now.rtcp.rtt_ms >= 0.0)
        fmt::format_to(it, ", rtt {:.0f} ms", now.rtcp.rtt_ms);
    if (now.receiving) {
        if (!out.empty()) out += "; ";
        const pipeline::ReceiveStats& r = now.receive;
        if (r.locked) {
            fmt::format_to(it, "rx {:.1f} kbps, buffer {:.0f} ms, lost {:.1f}%, latency {:.0f} ms",
                           d.rx_kbps, r.buffer_ms, d.loss_percent, r.latency_ms);
        } else {
            out += "rx waiting for a sender";
        }
        if (r.output_write_errors > 0) out += ", output file write failed";
    }
    if (out.empty()) out = "idle";
    return out;
}

std::string format_summary(const LinkStats& total, std::uint64_t idle_samples) {
    std::string out = fmt::format("summary: up {}", format_duration(total.uptime_s));
    auto it = std::back_inserter(out);
    const pipeline::SendStats& s = total.send;
    const pipeline::ReceiveStats& r = total.receive;
    if (total.sending || s.packets > 0) {
        fmt::format_to(it, "; tx {} pkts, {}, {:.1f} kbps average, overruns {} samples", s.packets,
                       format_bytes(s.wire_bytes), kbps(s.wire_bytes, total.uptime_s),
                       s.capture_overruns);
        append_if_nonzero(out, "xruns", s.device_xruns);
        append_if_nonzero(out, "send errors", s.send_errors);
    }
    if (total.receiving || r.datagrams > 0) {
        fmt::format_to(it,
                       "; rx {} pkts, {}, {:.1f} kbps average, lost {} ({:.2f}%), late {}, "
                       "dup {}, early {}",
                       r.packets, format_bytes(r.wire_bytes), kbps(r.wire_bytes, total.uptime_s),
                       r.lost, loss_percent(r.packets, r.lost), r.late, r.duplicate, r.early);
        append_drops(out, r.drops);
        const std::uint64_t idle = std::min(idle_samples, r.concealed_samples);
        fmt::format_to(it, ", concealed {} samples, idle {} samples", r.concealed_samples - idle,
                       idle);
        append_if_nonzero(out, "xruns", r.device_xruns);
        append_if_nonzero(out, "resyncs", r.resyncs);
        append_if_nonzero(out, "repaired", r.repaired);
        append_if_nonzero(out, "output write errors", r.output_write_errors);
    }
    return out;
}

std::string format_utc_time(std::chrono::system_clock::time_point time) {
    const auto ms = std::chrono::floor<std::chrono::milliseconds>(time);
    const auto seconds = std::chrono::floor<std::chrono::seconds>(ms);
    const std::time_t t = std::chrono::system_clock::to_time_t(seconds);
    std::tm utc{};
    gmtime_r(&t, &utc);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", utc.tm_year + 1900,
                       utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                       (ms - seconds).count());
}

}  // namespace extrema::service
