#include "service/stats_reporter.h"

#include <algorithm>
#include <cstddef>
#include <ctime>
#include <iterator>
#include <type_traits>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include "service/json_text.h"

namespace extrema::service {
namespace {

using pipeline::LinkStats;
using pipeline::ReceiveStats;
using pipeline::SendStats;
using Drops = std::array<std::uint64_t, net::kDropReasonCount>;

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

std::uint64_t total_drops(const Drops& drops) {
    std::uint64_t total = 0;
    for (const std::uint64_t count : drops) total += count;
    return total;
}

// ", drops 4 (auth 3, foreign_peer 1)", or nothing when there were none.
void append_drops(std::string& out, const Drops& drops) {
    const std::uint64_t total = total_drops(drops);
    if (total == 0) return;
    fmt::format_to(std::back_inserter(out), ", drops {} (", total);
    bool first = true;
    for (std::size_t i = 0; i < drops.size(); ++i) {
        if (drops[i] == 0) continue;
        fmt::format_to(std::back_inserter(out), "{}{} {}", first ? "" : ", ",
                       net::to_string(static_cast<net::DropReason>(i)), drops[i]);
        first = false;
    }
    out += ')';
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

// ---- The description of every figure ---------------------------------------------------------

// The JSON object a figure sits in. In the texts RTCP's figures belong to the tx part (what the
// peer says about our stream); kTop is the record's head (no text part).
enum class Part { kTop, kTx, kRx, kRtcp };

using Reading = std::variant<std::uint64_t, std::int64_t, double, bool, Drops>;

// What a text renders from: the interval (counters as increases, the rest as now) and, for the
// summary, the idle samples (ReceiverIdle).
struct Frame {
    const IntervalStats& d;
    std::uint64_t idle_samples = 0;
};

enum class Show {
    kAlways,
    kNonZero,      // a problem counter: only when it happened
    kNonNegative,  // a figure that is -1 until known
    kFalse,        // a flag's words say it is off
    kLocked,       // only while a sender is locked
};

// A figure's words in one text: placed by `rank` (ascending within its part; 0 = not in this
// text), `words` is its fmt format, or `piece` renders what one format cannot say.
struct Text {
    int rank = 0;
    const char* words = nullptr;
    Show show = Show::kAlways;
    void (*piece)(std::string& out, const Reading& value, const Frame& frame) = nullptr;
};

// Where a figure's value comes from: a snapshot's field (`read`; a counter also has `subtract`,
// which turns it into the interval's increase), or the interval (`rate`).
struct Source {
    Reading (*read)(const LinkStats&) = nullptr;
    void (*subtract)(LinkStats& change, const LinkStats& previous) = nullptr;
    Reading (*rate)(const IntervalStats&) = nullptr;
};

struct Field {
    Part part;
    const char* key;  // in the JSON object of `part`
    Source source;
    int decimals;  // of a floating-point value in the JSON
    Text line;     // the periodic log line (counters: the interval's increase)
    Text status;   // systemd's STATUS=
    Text summary;  // the summary at exit (counters: totals)
};

template <typename>
struct MemberOf;
template <typename C, typename T>
struct MemberOf<T C::*> {
    using Class = C;
    using Type = T;
};

// The part of a snapshot that holds members of C (C may be a component's counters that
// ReceiveStats embeds as its base).
template <typename C, typename Stats>
auto& part_of(Stats& s) {
    if constexpr (std::is_base_of_v<C, SendStats>) {
        return s.send;
    } else if constexpr (std::is_base_of_v<C, ReceiveStats>) {
        return s.receive;
    } else if constexpr (std::is_same_v<C, net::RtcpStats>) {
        return s.rtcp;
    } else {
        static_assert(std::is_same_v<C, LinkStats>);
        return s;
    }
}

template <auto Member>
Reading read_member(const LinkStats& s) {
    using M = MemberOf<decltype(Member)>;
    return Reading{std::in_place_type<typename M::Type>, part_of<typename M::Class>(s).*Member};
}

template <auto Member>
void subtract_member(LinkStats& change, const LinkStats& previous) {
    using C = typename MemberOf<decltype(Member)>::Class;
    auto& value = part_of<C>(change).*Member;
    const auto& before = part_of<C>(previous).*Member;
    if constexpr (std::is_same_v<std::remove_cvref_t<decltype(value)>, Drops>) {
        for (std::size_t i = 0; i < value.size(); ++i) value[i] = delta(value[i], before[i]);
    } else {
        value = delta(value, before);
    }
}

// A counter: totals in the JSON, increases in the texts.
template <auto Member>
constexpr Source count() {
    return {.read = read_member<Member>, .subtract = subtract_member<Member>};
}
// A state (level, flag, estimate): as it is now, everywhere.
template <auto Member>
constexpr Source value() {
    return {.read = read_member<Member>};
}
constexpr Source of_snapshot(Reading (*read)(const LinkStats&)) {
    return {.read = read};
}
constexpr Source of_interval(Reading (*rate)(const IntervalStats&)) {
    return {.rate = rate};
}

void drops_piece(std::string& out, const Reading& value, const Frame&) {
    append_drops(out, std::get<Drops>(value));
}
void bytes_piece(std::string& out, const Reading& value, const Frame&) {
    out += ", " + format_bytes(std::get<std::uint64_t>(value));
}
// Concealment while no sender was there (ReceiverIdle) is counted as idle, not concealed.
void concealed_piece(std::string& out, const Reading& value, const Frame& frame) {
    const auto concealed = std::get<std::uint64_t>(value);
    const std::uint64_t idle = std::min(frame.idle_samples, concealed);
    fmt::format_to(std::back_inserter(out), ", concealed {} samples, idle {} samples",
                   concealed - idle, idle);
}
// The sender's view from RTCP, once the peer has reported.
void peer_report_piece(std::string& out, const Reading&, const Frame& frame) {
    const net::RtcpStats& c = frame.d.change.rtcp;
    if (!c.has_remote_report) return;
    fmt::format_to(std::back_inserter(out), ", peer lost {:.1f}% jitter {:.1f} ms",
                   100.0 * c.remote_fraction_lost, c.remote_jitter_ms);
    if (c.rtt_ms >= 0.0) fmt::format_to(std::back_inserter(out), ", rtt {:.1f} ms", c.rtt_ms);
}

using enum Part;
using enum Show;

Reading interval_seconds(const IntervalStats& d) {
    return d.interval_s;
}
Reading tx_kbps(const IntervalStats& d) {
    return d.tx_kbps;
}
Reading rx_kbps(const IntervalStats& d) {
    return d.rx_kbps;
}
Reading loss_pct(const IntervalStats& d) {
    return d.loss_percent;
}
Reading rx_drops_total(const LinkStats& s) {
    return total_drops(s.receive.drops);
}
Reading rtcp_drops_total(const LinkStats& s) {
    return s.rtcp.drops.total();
}

// Every figure the JSON record and the texts show, once, in the JSON record's order: part, JSON
// key, source, JSON decimals; then its words in the log line, STATUS= and the summary. A new
// figure is one row here (and its member in pipeline/link_stats.h).
// clang-format off
const Field kFields[] = {
    {kTop, "uptime_s", value<&LinkStats::uptime_s>(), 3, {}, {}, {}},
    {kTop, "interval_s", of_interval(interval_seconds), 3, {}, {}, {}},
    {kTop, "sending", value<&LinkStats::sending>(), 0, {}, {}, {}},
    {kTop, "receiving", value<&LinkStats::receiving>(), 0, {}, {}, {}},

    {kTx, "kbps", of_interval(tx_kbps), 3,
     {10, "{:.1f} kbps"}, {10, "{:.1f} kbps"}, {30, ", {:.1f} kbps average"}},
    {kTx, "packets", count<&SendStats::packets>(), 0,
     {20, " {} pkts"}, {}, {10, "{} pkts"}},
    {kTx, "wire_bytes", count<&SendStats::wire_bytes>(), 0,
     {}, {}, {20, nullptr, kAlways, bytes_piece}},
    {kTx, "frames_captured", count<&SendStats::frames_captured>(), 0, {}, {}, {}},
    {kTx, "records", count<&SendStats::records>(), 0, {}, {}, {}},
    {kTx, "send_errors", count<&SendStats::send_errors>(), 0,
     {50, ", send errors {}", kNonZero}, {}, {60, ", send errors {}", kNonZero}},
    {kTx, "redundancy", value<&SendStats::redundancy>(), 0, {}, {}, {}},
    {kTx, "redundant_blocks", count<&SendStats::redundant_blocks>(), 0, {}, {}, {}},
    {kTx, "redundant_dropped", count<&SendStats::redundant_dropped>(), 0, {}, {}, {}},
    {kTx, "redundant_plain", count<&SendStats::redundant_plain>(), 0, {}, {}, {}},
    {kTx, "redundant_copied", count<&SendStats::redundant_copied>(), 0, {}, {}, {}},
    {kTx, "cn_packets", count<&SendStats::cn_packets>(), 0, {}, {}, {}},
    {kTx, "dtx_samples", count<&SendStats::dtx_samples>(), 0, {}, {}, {}},
    {kTx, "capture_overruns", count<&SendStats::capture_overruns>(), 0,
     {30, ", overruns {}"}, {}, {40, ", overruns {} samples"}},
    {kTx, "device_xruns", count<&SendStats::device_xruns>(), 0,
     {40, ", xruns {}", kNonZero}, {}, {50, ", xruns {}", kNonZero}},
    {kTx, "encoder_latency_ms", value<&SendStats::encoder_latency_ms>(), 3, {}, {}, {}},

    {kRx, "kbps", of_interval(rx_kbps), 3,
     {10, "{:.1f} kbps"}, {10, "{:.1f} kbps", kLocked}, {30, ", {:.1f} kbps average"}},
    {kRx, "loss_pct", of_interval(loss_pct), 3,
     {40, " ({:.1f}%)"}, {30, ", lost {:.1f}%", kLocked}, {50, " ({:.2f}%)"}},
    {kRx, "locked", value<&ReceiveStats::locked>(), 0,
     {160, ", no sender", kFalse}, {5, "waiting for a sender", kFalse}, {}},
    {kRx, "datagrams", count<&ReceiveStats::datagrams>(), 0, {}, {}, {}},
    {kRx, "wire_bytes", count<&ReceiveStats::wire_bytes>(), 0,
     {}, {}, {20, nullptr, kAlways, bytes_piece}},
    {kRx, "packets", count<&ReceiveStats::packets>(), 0,
     {20, " {} pkts"}, {}, {10, "{} pkts"}},
    {kRx, "lost", count<&ReceiveStats::lost>(), 0,
     {30, ", lost {}"}, {}, {40, ", lost {}"}},
    {kRx, "late", count<&ReceiveStats::late>(), 0,
     {50, ", late {}"}, {}, {60, ", late {}"}},
    {kRx, "duplicate", count<&ReceiveStats::duplicate>(), 0,
     {60, ", dup {}"}, {}, {70, ", dup {}"}},
    {kRx, "early", count<&ReceiveStats::early>(), 0,
     {70, ", early {}", kNonZero}, {}, {80, ", early {}"}},
    {kRx, "handoff_overflows", count<&ReceiveStats::handoff_overflows>(), 0,
     {80, ", handoff overflows {}", kNonZero}, {}, {}},
    {kRx, "drops_total", of_snapshot(rx_drops_total), 0, {}, {}, {}},
    {kRx, "drops", count<&ReceiveStats::drops>(), 0,
     {90, nullptr, kAlways, drops_piece}, {}, {90, nullptr, kAlways, drops_piece}},
    {kRx, "concealed_samples", count<&ReceiveStats::concealed_samples>(), 0,
     {}, {}, {100, nullptr, kAlways, concealed_piece}},
    {kRx, "played_samples", count<&ReceiveStats::played_samples>(), 0, {}, {}, {}},
    {kRx, "output_samples", count<&ReceiveStats::output_samples>(), 0, {}, {}, {}},
    {kRx, "device_xruns", count<&ReceiveStats::device_xruns>(), 0,
     {120, ", xruns {}", kNonZero}, {}, {110, ", xruns {}", kNonZero}},
    {kRx, "resyncs", count<&ReceiveStats::resyncs>(), 0,
     {}, {}, {120, ", resyncs {}", kNonZero}},
    {kRx, "repaired", count<&ReceiveStats::repaired>(), 0,
     {}, {}, {125, ", repaired {}", kNonZero}},
    {kRx, "cn_packets", count<&ReceiveStats::cn_packets>(), 0, {}, {}, {}},
    {kRx, "dtx_samples", count<&ReceiveStats::dtx_samples>(), 0, {}, {}, {}},
    // A file output stops at its first failed write: a state, shown as long as it lasts.
    {kRx, "output_write_errors", value<&ReceiveStats::output_write_errors>(), 0,
     {150, ", output write errors {}", kNonZero}, {50, ", output file write failed", kNonZero},
     {130, ", output write errors {}", kNonZero}},
    {kRx, "jitter_ms", value<&ReceiveStats::jitter_ms>(), 3,
     {100, ", jitter {:.1f} ms"}, {}, {}},
    {kRx, "buffer_ms", value<&ReceiveStats::buffer_ms>(), 3,
     {110, ", buffer {:.1f} ms"}, {20, ", buffer {:.0f} ms", kLocked}, {}},
    {kRx, "drift_ppm", value<&ReceiveStats::drift_ppm>(), 3,
     {130, ", drift {:+.1f} ppm"}, {}, {}},
    {kRx, "latency_ms", value<&ReceiveStats::latency_ms>(), 3,
     {140, ", latency {:.1f} ms"}, {40, ", latency {:.0f} ms", kLocked}, {}},

    {kRtcp, "sr_sent", count<&net::RtcpStats::sr_sent>(), 0, {}, {}, {}},
    {kRtcp, "rr_sent", count<&net::RtcpStats::rr_sent>(), 0, {}, {}, {}},
    {kRtcp, "sr_received", count<&net::RtcpStats::sr_received>(), 0, {}, {}, {}},
    {kRtcp, "rr_received", count<&net::RtcpStats::rr_received>(), 0, {}, {}, {}},
    {kRtcp, "bye_received", count<&net::RtcpStats::bye_received>(), 0, {}, {}, {}},
    {kRtcp, "drops", of_snapshot(rtcp_drops_total), 0, {}, {}, {}},
    {kRtcp, "rtt_ms", value<&net::RtcpStats::rtt_ms>(), 3,
     {}, {20, ", rtt {:.0f} ms", kNonNegative}, {}},
    {kRtcp, "remote_report", value<&net::RtcpStats::has_remote_report>(), 0,
     {60, nullptr, kAlways, peer_report_piece}, {}, {}},
    {kRtcp, "remote_fraction_lost", value<&net::RtcpStats::remote_fraction_lost>(), 4, {}, {}, {}},
    {kRtcp, "remote_cumulative_lost", value<&net::RtcpStats::remote_cumulative_lost>(), 0,
     {}, {}, {}},
    {kRtcp, "remote_jitter_ms", value<&net::RtcpStats::remote_jitter_ms>(), 3, {}, {}, {}},
};
// clang-format on

// ---- Rendering --------------------------------------------------------------------------------

Reading text_value(const Field& f, const IntervalStats& d) {
    return f.source.rate != nullptr ? f.source.rate(d) : f.source.read(d.change);
}

Reading json_value(const Field& f, const LinkStats& now, const IntervalStats& d) {
    return f.source.rate != nullptr ? f.source.rate(d) : f.source.read(now);
}

double as_number(const Reading& value) {
    return std::visit(
        [](const auto& v) -> double {
            if constexpr (std::is_same_v<std::remove_cvref_t<decltype(v)>, Drops>) {
                return static_cast<double>(total_drops(v));
            } else {
                return static_cast<double>(v);
            }
        },
        value);
}

bool shown(Show show, const Reading& value, const Frame& frame) {
    switch (show) {
        case kAlways:
            return true;
        case kNonZero:
            return as_number(value) != 0.0;
        case kNonNegative:
            return as_number(value) >= 0.0;
        case kFalse:
            return as_number(value) == 0.0;
        case kLocked:
            return frame.d.change.receive.locked;
    }
    return true;
}

Part text_part(Part part) {
    return part == kRtcp ? kTx : part;
}

// The words of every figure of `part` that `text` shows, in rank order.
void render(std::string& out, Part part, Text Field::*text, const Frame& frame) {
    std::vector<const Field*> fields;
    for (const Field& f : kFields) {
        if (text_part(f.part) == part && (f.*text).rank > 0) fields.push_back(&f);
    }
    std::stable_sort(fields.begin(), fields.end(), [text](const Field* a, const Field* b) {
        return (a->*text).rank < (b->*text).rank;
    });
    for (const Field* f : fields) {
        const Text& t = f->*text;
        const Reading value = text_value(*f, frame.d);
        if (!shown(t.show, value, frame)) continue;
        if (t.piece != nullptr) {
            t.piece(out, value, frame);
            continue;
        }
        std::visit(
            [&](const auto& v) {
                if constexpr (!std::is_same_v<std::remove_cvref_t<decltype(v)>, Drops>) {
                    fmt::format_to(std::back_inserter(out), fmt::runtime(t.words), v);
                }
            },
            value);
    }
}

json::Object to_json(const Field& f, const Reading& value) {
    return std::visit(
        [&](const auto& v) -> json::Object {
            using T = std::remove_cvref_t<decltype(v)>;
            if constexpr (std::is_same_v<T, Drops>) {
                json::Object drops = json::Object::object();
                for (std::size_t i = 0; i < v.size(); ++i)
                    drops[net::to_string(static_cast<net::DropReason>(i))] = v[i];
                return drops;
            } else if constexpr (std::is_same_v<T, double>) {
                return json::rounded(v, f.decimals);
            } else {
                return v;
            }
        },
        value);
}

void add_json(json::Object& object, Part part, const LinkStats& now, const IntervalStats& d) {
    for (const Field& f : kFields) {
        if (f.part == part) object[f.key] = to_json(f, json_value(f, now, d));
    }
}

}  // namespace

IntervalStats stats_rates(const LinkStats& now, const LinkStats& previous, double interval_s) {
    IntervalStats d;
    d.interval_s = interval_s;
    d.change = now;
    for (const Field& f : kFields) {
        if (f.source.subtract != nullptr) f.source.subtract(d.change, previous);
    }
    d.tx_kbps = kbps(d.change.send.wire_bytes, interval_s);
    d.rx_kbps = kbps(d.change.receive.wire_bytes, interval_s);
    d.loss_percent = loss_percent(d.change.receive.packets, d.change.receive.lost);
    return d;
}

std::string format_stats_line(const LinkStats& now, const LinkStats& previous, double interval_s,
                              double idle_s) {
    const IntervalStats d = stats_rates(now, previous, interval_s);
    const Frame frame{d};
    std::string out;
    if (now.sending) {
        out += "tx ";
        render(out, kTx, &Field::line, frame);
    }
    if (now.receiving) {
        if (!out.empty()) out += " | ";
        if (idle_s > 0.0) {
            fmt::format_to(std::back_inserter(out), "rx: no sender for {:.0f} s", idle_s);
            append_drops(out, d.change.receive.drops);
            return out;
        }
        out += "rx ";
        render(out, kRx, &Field::line, frame);
    }
    if (out.empty()) out = "idle";
    return out;
}

json::Object stats_record(const LinkStats& now, const LinkStats& previous, double interval_s) {
    const IntervalStats d = stats_rates(now, previous, interval_s);
    json::Object record = json::Object::object();
    add_json(record, kTop, now, d);
    for (const auto& [key, part] : {std::pair{"tx", kTx}, {"rx", kRx}, {"rtcp", kRtcp}}) {
        json::Object& object = record[key] = json::Object::object();
        add_json(object, part, now, d);
    }
    return record;
}

std::string format_stats_json(const LinkStats& now, const LinkStats& previous, double interval_s,
                              std::chrono::system_clock::time_point time) {
    json::Object record = {{"time", format_utc_time(time)}};
    record.update(stats_record(now, previous, interval_s));
    return json::one_line(record);
}

std::string format_status(const LinkStats& now, const LinkStats& previous, double interval_s) {
    const IntervalStats d = stats_rates(now, previous, interval_s);
    const Frame frame{d};
    std::string out;
    if (now.sending) {
        out += "tx ";
        render(out, kTx, &Field::status, frame);
    }
    if (now.receiving) {
        if (!out.empty()) out += "; ";
        out += "rx ";
        render(out, kRx, &Field::status, frame);
    }
    if (out.empty()) out = "idle";
    return out;
}

std::string format_summary(const LinkStats& total, std::uint64_t idle_samples) {
    // The whole run as one interval: counters are totals, rates are averages.
    const IntervalStats d = stats_rates(total, LinkStats{}, total.uptime_s);
    const Frame frame{d, idle_samples};
    std::string out = "summary: up " + format_duration(total.uptime_s);
    if (total.sending || total.send.packets > 0) {
        out += "; tx ";
        render(out, kTx, &Field::summary, frame);
    }
    if (total.receiving || total.receive.datagrams > 0) {
        out += "; rx ";
        render(out, kRx, &Field::summary, frame);
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
