// The stats texts from two LinkStats snapshots: wire kbps from bytes and interval, interval
// counts, drop reasons by name (non-zero only), the JSON record (valid, fixed schema), systemd's
// STATUS= and the exit summary.
#include "service/receiver_idle.h"
#include "service/stats_reporter.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "service/json_text.h"

namespace extrema::service {
namespace {

using net::DropReason;
using pipeline::LinkStats;

void set_drops(LinkStats& stats, DropReason reason, std::uint64_t count) {
    stats.receive.drops[static_cast<std::size_t>(reason)] = count;
}

// A duplex link 10 s after start.
LinkStats before() {
    LinkStats s;
    s.uptime_s = 10.0;
    s.sending = true;
    s.receiving = true;
    s.send.packets = 1000;
    s.send.wire_bytes = 100'010;
    s.receive.datagrams = 995;
    s.receive.packets = 990;
    s.receive.wire_bytes = 99'000;
    s.receive.lost = 5;
    s.receive.late = 1;
    set_drops(s, DropReason::kAuth, 2);
    s.receive.locked = true;
    return s;
}

// The same link 5 s later: 8250 bytes sent (13.2 kbps), 8188 received (13.1 kbps), 500
// packets expected of which 2 lost (0.4 %), 3 more auth drops and 1 foreign peer.
LinkStats after() {
    LinkStats s = before();
    s.uptime_s = 15.0;
    s.send.packets = 1500;
    s.send.wire_bytes = 108'260;
    s.send.frames_captured = 720'000;
    s.send.records = 9000;
    s.send.encoder_latency_ms = 2.5;
    s.receive.datagrams = 1497;
    s.receive.packets = 1488;
    s.receive.wire_bytes = 107'188;
    s.receive.lost = 7;
    set_drops(s, DropReason::kAuth, 5);
    set_drops(s, DropReason::kForeignPeer, 1);
    s.receive.played_samples = 714'000;
    s.receive.output_samples = 715'200;
    s.receive.concealed_samples = 960;
    s.receive.jitter_ms = 1.23;
    s.receive.buffer_ms = 20.0;
    s.receive.drift_ppm = 3.14;
    s.receive.latency_ms = 31.04;
    return s;
}

TEST(StatsRates, WireKbpsIsBytesTimesEightOverTheInterval) {
    const IntervalStats d = stats_rates(after(), before(), 5.0);
    EXPECT_DOUBLE_EQ(d.tx_kbps, 8250.0 * 8.0 / 5.0 / 1000.0);
    EXPECT_DOUBLE_EQ(d.tx_kbps, 13.2);
    EXPECT_DOUBLE_EQ(d.rx_kbps, 8188.0 * 8.0 / 5.0 / 1000.0);
    // Twice the time for the same bytes is half the rate.
    EXPECT_DOUBLE_EQ(stats_rates(after(), before(), 10.0).tx_kbps, 6.6);
}

TEST(StatsRates, CountsAreDifferences) {
    const IntervalStats d = stats_rates(after(), before(), 5.0);
    EXPECT_EQ(d.change.send.packets, 500u);
    EXPECT_EQ(d.change.receive.packets, 498u);
    EXPECT_EQ(d.change.receive.lost, 2u);
    EXPECT_EQ(d.change.receive.late, 0u);
    EXPECT_EQ(d.change.receive.drops[static_cast<std::size_t>(DropReason::kAuth)], 3u);
    EXPECT_EQ(d.change.receive.drops[static_cast<std::size_t>(DropReason::kForeignPeer)], 1u);
    EXPECT_DOUBLE_EQ(d.loss_percent, 100.0 * 2.0 / 500.0);
}

TEST(StatsRates, NoIntervalAndCountersGoingBackwardsAreSafe) {
    const IntervalStats zero = stats_rates(after(), before(), 0.0);
    EXPECT_EQ(zero.tx_kbps, 0.0);
    EXPECT_EQ(zero.rx_kbps, 0.0);
    // The link was rebuilt: its counters restarted, so they count from zero.
    const IntervalStats restarted = stats_rates(before(), after(), 5.0);
    EXPECT_EQ(restarted.change.send.packets, 1000u);
    EXPECT_DOUBLE_EQ(restarted.tx_kbps, 100'010.0 * 8.0 / 5.0 / 1000.0);
    EXPECT_EQ(stats_rates(LinkStats{}, LinkStats{}, 5.0).loss_percent, 0.0);
}

TEST(StatsLine, DuplexShowsBothDirectionsAndNamesTheDrops) {
    EXPECT_EQ(format_stats_line(after(), before(), 5.0),
              "tx 13.2 kbps 500 pkts, overruns 0 | rx 13.1 kbps 498 pkts, lost 2 (0.4%), late 0, "
              "dup 0, drops 4 (foreign_peer 1, auth 3), jitter 1.2 ms, buffer 20.0 ms, "
              "drift +3.1 ppm, latency 31.0 ms");
}

TEST(StatsLine, ListsOnlyNonZeroDropsAndProblems) {
    LinkStats now = after();
    LinkStats previous = before();
    set_drops(previous, DropReason::kForeignPeer, 1);  // no new foreign-peer drops
    set_drops(now, DropReason::kPayloadType, 7);
    now.receive.early = 3;
    now.receive.device_xruns = 2;
    now.send.send_errors = 4;
    now.receive.drift_ppm = -12.0;
    const std::string line = format_stats_line(now, previous, 5.0);
    EXPECT_NE(line.find("drops 10 (auth 3, payload_type 7)"), std::string::npos) << line;
    EXPECT_EQ(line.find("foreign_peer"), std::string::npos) << line;
    EXPECT_NE(line.find(", send errors 4"), std::string::npos) << line;
    EXPECT_NE(line.find(", early 3"), std::string::npos) << line;
    EXPECT_NE(line.find("buffer 20.0 ms, xruns 2"), std::string::npos) << line;
    EXPECT_NE(line.find("drift -12.0 ppm"), std::string::npos) << line;

    const std::string quiet = format_stats_line(before(), before(), 5.0);
    EXPECT_EQ(quiet.find("drops"), std::string::npos) << quiet;
    EXPECT_EQ(quiet.find("xruns"), std::string::npos) << quiet;
    EXPECT_EQ(quiet.find("errors"), std::string::npos) << quiet;
}

TEST(StatsLine, ShowsOnlyTheDirectionsInUse) {
    LinkStats sender = after();
    sender.receiving = false;
    EXPECT_EQ(format_stats_line(sender, before(), 5.0), "tx 13.2 kbps 500 pkts, overruns 0");

    LinkStats receiver = after();
    receiver.sending = false;
    receiver.receive.locked = false;
    const std::string line = format_stats_line(receiver, before(), 5.0);
    EXPECT_EQ(line.rfind("rx 13.1 kbps", 0), 0u) << line;
    EXPECT_TRUE(line.ends_with(", no sender")) << line;

    EXPECT_EQ(format_stats_line(LinkStats{}, LinkStats{}, 5.0), "idle");
}

TEST(StatsJson, IsOneValidObjectWithEveryTotal) {
    const auto time = std::chrono::sys_days{std::chrono::year{2024} / 5 / 1} +
                      std::chrono::hours{12} + std::chrono::milliseconds{123};
    const std::string record = format_stats_json(after(), before(), 5.0, time);
    EXPECT_EQ(record.find('\n'), std::string::npos);
    // Compared as parsed JSON: the same keys in the same order with the same values.
    EXPECT_EQ(
        json::Object::parse(record),
        json::Object::parse(
            R"({"time":"2024-05-01T12:00:00.123Z","uptime_s":15.000,"interval_s":5.000,)"
            R"("sending":true,"receiving":true,)"
            R"("tx":{"kbps":13.200,"packets":1500,"wire_bytes":108260,"frames_captured":720000,)"
            R"("records":9000,"send_errors":0,"redundancy":0,"redundant_blocks":0,)"
            R"("redundant_dropped":0,"redundant_plain":0,"redundant_copied":0,"cn_packets":0,)"
            R"("dtx_samples":0,)"
            R"("capture_overruns":0,"device_xruns":0,)"
            R"("encoder_latency_ms":2.500},)"
            R"("rx":{"kbps":13.101,"loss_pct":0.400,"locked":true,"datagrams":1497,)"
            R"("wire_bytes":107188,"packets":1488,"lost":7,"late":1,"duplicate":0,"early":0,)"
            R"("handoff_overflows":0,)"
            R"("drops_total":6,"drops":{"foreign_peer":1,"auth":5,"replay":0,"srtp_error":0,)"
            R"("truncated_header":0,"bad_version":0,"bad_csrc":0,"bad_extension":0,)"
            R"("bad_padding":0,"payload_type":0,"foreign_ssrc":0,"empty_payload":0,)"
            R"("partial_record":0,"payload_too_long":0,"misplaced_anchor":0,"no_samples":0,)"
            R"("sample_cap":0,"bad_redundancy":0,"bad_comfort_noise":0},)"
            R"("concealed_samples":960,)"
            R"("played_samples":714000,"output_samples":715200,"device_xruns":0,"resyncs":0,)"
            R"("repaired":0,"cn_packets":0,"dtx_samples":0,)"
            R"("output_write_errors":0,)"
            R"("jitter_ms":1.230,"buffer_ms":20.000,"drift_ppm":3.140,"latency_ms":31.040},)"
            R"("rtcp":{"sr_sent":0,"rr_sent":0,"sr_received":0,"rr_received":0,)"
            R"("bye_received":0,"drops":0,"rtt_ms":-1.000,"remote_report":false,)"
            R"("remote_fraction_lost":0.0000,"remote_cumulative_lost":0,)"
            R"("remote_jitter_ms":0.000}})"))
        << record;
}

TEST(StatsLine, ShowsWhatRtcpToldTheSender) {
    LinkStats sender = after();
    sender.receiving = false;
    sender.rtcp.has_remote_report = true;
    sender.rtcp.remote_fraction_lost = 0.125;
    sender.rtcp.remote_jitter_ms = 2.5;
    EXPECT_EQ(format_stats_line(sender, before(), 5.0),
              "tx 13.2 kbps 500 pkts, overruns 0, peer lost 12.5% jitter 2.5 ms");
    sender.rtcp.rtt_ms = 0.84;
    EXPECT_EQ(format_stats_line(sender, before(), 5.0),
              "tx 13.2 kbps 500 pkts, overruns 0, peer lost 12.5% jitter 2.5 ms, rtt 0.8 ms");
    EXPECT_EQ(format_status(sender, before(), 5.0), "tx 13.2 kbps, rtt 1 ms");
    sender.rtcp.remote_cumulative_lost = -2;  // duplicates (RFC 3550 §6.4.1)
    EXPECT_NE(format_stats_json(sender, before(), 5.0, std::chrono::system_clock::now())
                  .find(R"("remote_cumulative_lost":-2,)"),
              std::string::npos);
}

TEST(StatsJson, FormatsUtcTime) {
    using namespace std::chrono;
    EXPECT_EQ(format_utc_time(system_clock::time_point{}), "1970-01-01T00:00:00.000Z");
    EXPECT_EQ(format_utc_time(sys_days{year{2031} / 12 / 31} + hours{23} + minutes{59} +
                              seconds{59} + microseconds{999'999}),
              "2031-12-31T23:59:59.999Z");
}

TEST(Status, IsShortAndLive) {
    EXPECT_EQ(format_status(after(), before(), 5.0),
              "tx 13.2 kbps; rx 13.1 kbps, buffer 20 ms, lost 0.4%, latency 31 ms");
    LinkStats sender = after();
    sender.receiving = false;
    EXPECT_EQ(format_status(sender, before(), 5.0), "tx 13.2 kbps");
    LinkStats waiting = after();
    waiting.sending = false;
    waiting.receive.locked = false;
    EXPECT_EQ(format_status(waiting, before(), 5.0), "rx waiting for a sender");
    EXPECT_EQ(format_status(LinkStats{}, LinkStats{}, 5.0), "idle");
}

TEST(Status, StatsAndSummaryNameAFailedOutputFile) {
    LinkStats failed = after();
    failed.receive.output_write_errors = 1;
    EXPECT_EQ(format_status(failed, before(), 5.0),
              "tx 13.2 kbps; rx 13.1 kbps, buffer 20 ms, lost 0.4%, latency 31 ms, output file "
              "write failed");
    EXPECT_NE(format_stats_line(failed, before(), 5.0).find("output write errors 1"),
              std::string::npos);
    EXPECT_NE(format_summary(failed).find("output write errors 1"), std::string::npos);
    EXPECT_EQ(json::Object::parse(
                  format_stats_json(failed, before(), 5.0, std::chrono::system_clock::now()))
                  .at("rx")
                  .at("output_write_errors"),
              1);
}

TEST(Summary, GivesTheTotals) {
    EXPECT_EQ(format_summary(after()),
              "summary: up 15.0 s; tx 1500 pkts, 108.3 kB, 57.7 kbps average, overruns 0 "
              "samples; rx 1488 pkts, 107.2 kB, 57.2 kbps average, lost 7 (0.47%), late 1, "
              "dup 0, early 0, drops 6 (foreign_peer 1, auth 5), concealed 960 samples, "
              "idle 0 samples");
    LinkStats day = after();
    day.uptime_s = 90'061.0;  // 25 h 1 min 1 s
    day.receiving = false;
    day.receive = {};
    day.send.wire_bytes = 148'500'000;
    EXPECT_EQ(format_summary(day),
              "summary: up 25h 01m 01s; tx 1500 pkts, 148.5 MB, 13.2 kbps average, overruns 0 "
              "samples");
    EXPECT_EQ(format_summary(LinkStats{}), "summary: up 0.0 s");
}

TEST(Summary, CountsTheTimeWithoutASenderAsIdleNotConcealed) {
    EXPECT_NE(format_summary(after(), 900).find("concealed 60 samples, idle 900 samples"),
              std::string::npos);
    EXPECT_NE(format_summary(after(), 5000).find("concealed 0 samples, idle 960 samples"),
              std::string::npos);
}

TEST(ReceiverIdleTest, CountsSecondsAndConcealmentSinceTheLastPacket) {
    ReceiverIdle idle;
    LinkStats a = after();
    idle.update(a, before(), 5.0);  // packets arrived
    EXPECT_EQ(idle.idle_s(), 0.0);
    LinkStats b = a;  // the sender stopped: no packet, the buffer conceals
    b.receive.concealed_samples += 240'000;
    idle.update(b, a, 5.0);
    LinkStats c = b;
    c.receive.concealed_samples += 240'000;
    idle.update(c, b, 5.0);
    EXPECT_EQ(idle.idle_s(), 10.0);
    EXPECT_EQ(idle.idle_samples(), 480'000u);
    const std::string line = format_stats_line(c, b, 5.0, idle.idle_s());
    EXPECT_NE(line.find("rx: no sender for 10 s"), std::string::npos) << line;
    EXPECT_EQ(line.find("latency"), std::string::npos) << line;
    LinkStats d = c;  // it came back
    d.receive.packets += 500;
    idle.update(d, c, 5.0);
    EXPECT_EQ(idle.idle_s(), 0.0);
    EXPECT_EQ(idle.idle_samples(), 480'000u);
}

}  // namespace
}  // namespace extrema::service
