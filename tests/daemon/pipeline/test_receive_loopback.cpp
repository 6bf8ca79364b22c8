// The send path straight into the receive path (receive_loopback.h): no sockets, simulated time.
// Through loss, reordering and clock drift the receiver stays on the sender's timeline and its
// latency neither grows nor drains; the adaptive target keeps packets from coming late on a
// jittery network, comes back down when it calms, and settles within 40 ms end to end on a
// clean LAN. A fixed target stays where it is put.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <numeric>

#include "receive_loopback.h"

namespace extrema::pipeline::test {
namespace {

double mean_of_last(const std::vector<double>& values, std::size_t count) {
    count = std::min(count, values.size());
    return std::accumulate(values.end() - static_cast<std::ptrdiff_t>(count), values.end(), 0.0) /
           static_cast<double>(count);
}

double rms(const std::vector<float>& x, std::size_t from, std::size_t to) {
    double sum = 0.0;
    for (std::size_t i = from; i < to; ++i) sum += static_cast<double>(x[i]) * x[i];
    return std::sqrt(sum / static_cast<double>(to - from));
}

void print(const char* name, const LoopbackRun& run) {
    std::printf(
        "    %s: %llu sent, %llu accepted, %llu lost, %.2f %% late after 2 s, %llu resyncs, "
        "latency %.1f ms (target %.1f ms) at the end, drift %.1f ppm\n",
        name, static_cast<unsigned long long>(run.sent),
        static_cast<unsigned long long>(run.at_end.packets),
        static_cast<unsigned long long>(run.at_end.lost), 100.0 * late_share_after_2s(run),
        static_cast<unsigned long long>(run.at_end.resyncs), run.latency_ms.back(),
        run.target_ms.back(), run.at_end.drift_ppm);
    if (std::getenv("EXTREMA_TEST_TRACE")) {
        for (std::size_t i = 0; i < run.latency_ms.size(); ++i) {
            std::printf(
                "      %zu s: latency %.1f ms (1-s average %.2f ms), target %.1f ms, drift %.1f "
                "ppm\n",
                i + 1, run.latency_ms[i], run.mean_latency_ms[i], run.target_ms[i],
                run.stats[i].drift_ppm);
        }
    }
}

TEST(ReceiveLoopback, StaysOnTheTimelineThroughLossReorderingAndDrift) {
    SimulatedNetwork network;
    network.loss = 0.05;
    network.jitter_ms = 30.0;  // 10 ms packets: three in flight at once, so reordered
    network.drift_ppm = 150.0;
    const LoopbackRun run = run_loopback({{0.0, network}}, 90.0);
    print("5 % loss, 30 ms jitter, +150 ppm", run);

    EXPECT_EQ(run.at_end.resyncs, 0u);
    // The sequence tracker sees the loss the network injected (within the binomial's spread).
    const double lost = static_cast<double>(run.at_end.lost) / static_cast<double>(run.sent);
    EXPECT_NEAR(lost, 0.05, 0.01);
    EXPECT_LE(late_share_after_2s(run), 0.01);
    // The drift fit finds the sender's clock, and the latency holds: the last 30 s move less
    // than a few ms around their mean, the target's own steps included.
    EXPECT_NEAR(run.at_end.drift_ppm, 150.0, 25.0);
    const double settled = mean_of_last(run.latency_ms, 30);
    for (std::size_t i = run.latency_ms.size() - 30; i < run.latency_ms.size(); ++i) {
        EXPECT_NEAR(run.latency_ms[i], settled, 8.0) << "at " << i + 1 << " s";
    }
    EXPECT_LT(settled, 80.0);
    // Losses are concealed, everything else played: the output carries the bursts at their
    // level (a lost 10 ms of a 300 ms burst barely moves its RMS).
    EXPECT_GT(run.at_end.concealed_samples, 0u);
    const std::size_t lag = static_cast<std::size_t>(settled * 48.0);
    const std::size_t from = 80 * 48000;  // a burst, 80 s in (bursts start every 0.5 s)
    EXPECT_NEAR(rms(run.output, from + lag + 960, from + lag + 12000),
                rms(run.input, from + 960, from + 12000), 0.05);
}

TEST(ReceiveLoopback, AdaptiveTargetKeepsLatePacketsUnderOnePercentWith60msJitter) {
    SimulatedNetwork network;
    network.jitter_ms = 60.0;
    for (std::uint64_t seed : {1u, 2u, 3u}) {
        network.seed = seed;
        const LoopbackRun run = run_loopback({{0.0, network}}, 30.0);
        print("60 ms jitter", run);
        EXPECT_LE(late_share_after_2s(run), 0.01) << "seed " << seed;
        EXPECT_EQ(run.at_end.resyncs, 0u);
        // No more than the jitter calls for: the jitter, a packet and some margin.
        EXPECT_LT(run.latency_ms.back(), 60.0 + 10.0 + 25.0);
    }
}

TEST(ReceiveLoopback, CleanLanSettlesWithin40msEndToEnd) {
    SimulatedNetwork lan;
    lan.delay_ms = 0.3;
    lan.jitter_ms = 1.0;
    lan.drift_ppm = -40.0;
    const LoopbackRun run = run_loopback({{0.0, lan}}, 20.0);
    print("clean LAN", run);
    // The first packets may come late while the target learns the sender's spread; then none.
    EXPECT_EQ(run.at_end.late, run.at_2s.late);
    EXPECT_LE(mean_of_last(run.latency_ms, 10), 40.0);
    EXPECT_LE(*std::max_element(run.latency_ms.begin() + 2, run.latency_ms.end()), 40.0);
}

TEST(ReceiveLoopback, LatencyComesBackDownWhenTheNetworkCalms) {
    SimulatedNetwork jittery;
    jittery.jitter_ms = 60.0;
    SimulatedNetwork lan;
    lan.delay_ms = 0.3;
    lan.jitter_ms = 1.0;
    const LoopbackRun run = run_loopback({{0.0, jittery}, {15.0, lan}}, 120.0);
    print("60 ms jitter for 15 s, then a clean LAN", run);
    EXPECT_GT(run.latency_ms[14], 60.0);  // it had grown for the jitter
    EXPECT_LE(mean_of_last(run.latency_ms, 10), 40.0);
    EXPECT_EQ(run.at_end.resyncs, 0u);
}

TEST(ReceiveLoopback, FixedTargetStaysPut) {
    LinkConfig receiver = default_receiver();
    receiver.receiver.latency = "fixed";
    receiver.receiver.jitter_target_ms = 30.0;
    SimulatedNetwork network;
    network.jitter_ms = 60.0;
    const LoopbackRun run = run_loopback({{0.0, network}}, 20.0, receiver);
    print("fixed 30 ms target, 60 ms jitter", run);
    for (double target : run.target_ms) EXPECT_EQ(target, 30.0);
    // Packets later than the fixed target allows are lost to lateness, and the latency holds.
    EXPECT_GT(late_share_after_2s(run), 0.05);
    EXPECT_LT(mean_of_last(run.latency_ms, 5), 60.0);
}

}  // namespace
}  // namespace extrema::pipeline::test

namespace extrema::pipeline::test {
namespace {

// Speech over a room: a -50 dBFS background noise throughout, 400 ms voiced bursts every 1.5 s
// from 2 s on, so the pauses (1.1 s) are far longer than the 200 ms hangover.
constexpr double kDtxBurstPeriodS = 1.5;
constexpr double kDtxBurstS = 0.4;
constexpr double kDtxNoiseRms = 0.00316;  // -50 dBFS

float room_talk(std::uint64_t n) {
    std::uint64_t h = (n + 1) * 0x9E3779B97F4A7C15ULL;  // a stateless hash: the same noise always
    h ^= h >> 31;
    h *= 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 29;
    const double u = static_cast<double>(h >> 11) / 9007199254740992.0 * 2.0 - 1.0;
    double x = kDtxNoiseRms * std::sqrt(3.0) * u;
    const double t = static_cast<double>(n) / 48000.0;
    if (t >= 2.0 && std::fmod(t - 2.0, kDtxBurstPeriodS) < kDtxBurstS) {
        const double w = 2.0 * 3.14159265358979 * 180.0 * t;
        x += 0.3 * std::sin(w) + 0.1 * std::sin(2.0 * w) + 0.05 * std::sin(3.0 * w);
    }
    return static_cast<float>(x);
}

std::size_t onset_after(const std::vector<float>& x, std::size_t from) {
    for (std::size_t i = from; i < x.size(); ++i) {
        if (std::abs(x[i]) > 0.1f) return i;
    }
    return x.size();
}

// The daemon's sender with DTX on (default_sender() turns it off).
LinkConfig dtx_sender() {
    LinkConfig sender = default_sender();
    sender.encoder.dtx = true;
    return sender;
}

// A LAN with a little jitter, for the DTX runs.
SimulatedNetwork quiet_lan() {
    SimulatedNetwork lan;
    lan.delay_ms = 0.3;
    lan.jitter_ms = 2.0;
    return lan;
}

// DTX end to end: the sender sends comfort noise through the pauses, the receiver plays it at
// the sender's level, counts none of it as loss or concealment, keeps every burst on the
// sender's timeline to the sample, and its latency holds through the gaps.
TEST(ReceiveLoopback, DtxPausesPlayComfortNoiseOnTheSendersTimeline) {
    const LinkConfig sender = dtx_sender();
    const SimulatedNetwork lan = quiet_lan();
    // A fixed target on a shared clock: nothing resamples, so the output is the timeline itself.
    LinkConfig receiver = default_receiver();
    receiver.receiver.latency = "fixed";
    receiver.receiver.drift_correction = false;
    const LoopbackRun run = run_loopback({{0.0, lan}}, 20.0, receiver, 240, sender, room_talk);
    print("DTX, clean LAN", run);

    EXPECT_GT(run.sender.cn_packets, 20u);
    EXPECT_GT(run.sender.dtx_samples, 8u * 48000u);  // most of the pauses were not sent
    EXPECT_LT(run.sent, 2000u);                      // not 100 packets a second
    EXPECT_EQ(run.at_end.lost, 0u);
    EXPECT_EQ(run.at_end.late, 0u);
    EXPECT_EQ(run.at_end.resyncs, 0u);
    EXPECT_GT(run.at_end.dtx_samples, 8u * 48000u);
    EXPECT_EQ(run.at_end.cn_packets, run.sender.cn_packets);
    // Only the tail after the sender stops is concealed.
    EXPECT_LT(run.at_end.concealed_samples, 48000u / 10);

    // Every burst onset lands at the same lag behind its capture: the timeline is exact.
    std::vector<std::ptrdiff_t> lags;
    for (double t = 2.0; t + kDtxBurstPeriodS < 19.5; t += kDtxBurstPeriodS) {
        const auto at = static_cast<std::size_t>(t * 48000.0);
        const std::size_t in = onset_after(run.input, at);
        const std::size_t out = onset_after(run.output, in);
        ASSERT_LT(out, run.output.size());
        lags.push_back(static_cast<std::ptrdiff_t>(out) - static_cast<std::ptrdiff_t>(in));
    }
    ASSERT_GE(lags.size(), 10u);
    for (std::size_t k = 1; k < lags.size(); ++k) {
        EXPECT_NEAR(static_cast<double>(lags[k]), static_cast<double>(lags[0]), 2.0)
            << "burst " << k;
    }
    // The latency does not move through the gaps.
    for (std::size_t i = 3; i < run.latency_ms.size(); ++i) {
        EXPECT_NEAR(run.latency_ms[i], run.latency_ms[2], 0.1) << "at " << i + 1 << " s";
    }
    // The pauses play the room at its level (well inside a pause: after the hangover).
    const auto lag = static_cast<std::size_t>(lags[0]);
    const std::size_t from = static_cast<std::size_t>((2.0 + 3 * kDtxBurstPeriodS + 0.8) * 48000);
    double sum = 0.0;
    for (std::size_t i = from + lag; i < from + lag + 12000; ++i)
        sum += double(run.output[i]) * run.output[i];
    EXPECT_NEAR(10.0 * std::log10(sum / 12000.0), -50.0, 3.0);
}

// The daemon's receiver (adaptive target, drift correction) through the same DTX pauses: the
// drift fit holds through each gap instead of reading the drained buffer as a slow sender.
TEST(ReceiveLoopback, DtxPausesDoNotFoolTheDriftFit) {
    const LinkConfig sender = dtx_sender();
    const SimulatedNetwork lan = quiet_lan();
    const LoopbackRun run =
        run_loopback({{0.0, lan}}, 30.0, default_receiver(), 240, sender, room_talk);
    print("DTX, clean LAN, adaptive", run);
    EXPECT_GT(run.at_end.dtx_samples, 10u * 48000u);
    EXPECT_EQ(run.at_end.resyncs, 0u);
    // The first packets may come late while the target learns the sender's spread; then none.
    EXPECT_EQ(run.at_end.late, run.at_2s.late);
    EXPECT_NEAR(run.at_end.drift_ppm, 0.0, 20.0);  // one clock: no drift to find
    EXPECT_LT(mean_of_last(run.latency_ms, 5), 40.0);
}

}  // namespace
}  // namespace extrema::pipeline::test

namespace extrema::pipeline::test {
namespace {

// The drift soak of the loopback harness (test_loopback_soak), in simulated time: a fixed 60 ms
// target, the file sink's 2-ms fills, the receiving link's network tick, ten minutes with the
// sender's clock 300 ppm fast or slow. Every 1-s average of the latency stays within 5 ms of the
// first whole second's, and nothing is concealed.
void expect_drift_soak_held(double ppm) {
    LinkConfig receiver = default_receiver();
    receiver.receiver.latency = "fixed";
    receiver.receiver.jitter_target_ms = 60.0;
    SimulatedNetwork network;
    network.delay_ms = 0.1;
    network.jitter_ms = 1.0;
    network.drift_ppm = ppm;
    network.tick_ms = 5.0;  // 20-ms packets: network_loop.h's tick_for
    const LoopbackRun run = run_loopback({{0.0, network}}, 600.0, receiver, 96);
    print(ppm > 0 ? "+300 ppm, fixed 60 ms target" : "-300 ppm, fixed 60 ms target", run);
    // The first second holds the start of playout.
    const double first = run.mean_latency_ms[1];
    const auto [lo, hi] =
        std::minmax_element(run.mean_latency_ms.begin() + 1, run.mean_latency_ms.end());
    std::printf("    1-s averages: first %.2f ms, %.2f to %.2f ms\n", first, *lo, *hi);
    EXPECT_LE(*hi - first, 5.0) << ppm << " ppm";
    EXPECT_LE(first - *lo, 5.0) << ppm << " ppm";
    EXPECT_EQ(run.at_end.concealed_samples, 0u) << ppm << " ppm";
    EXPECT_EQ(run.at_end.resyncs, 0u) << ppm << " ppm";
    EXPECT_NEAR(run.at_end.drift_ppm, ppm, 20.0);
}

TEST(ReceiveLoopback, FixedTargetHoldsTenMinutesAt300PpmFast) {
    expect_drift_soak_held(300.0);
}
TEST(ReceiveLoopback, FixedTargetHoldsTenMinutesAt300PpmSlow) {
    expect_drift_soak_held(-300.0);
}

}  // namespace
}  // namespace extrema::pipeline::test
