// Soak (ctest -L soak, not in the default run). Drift: ten minutes of speech in real time with
// the sender's clock 300 ppm fast and, beside it, another run 300 ppm slow: the receiver's drift
// correction keeps the end-to-end latency within 5 ms of where it started and nothing underruns
// (EXTREMA_DRIFT_SOAK_SECONDS shortens it). Memory: an hour of speech through the loopback harness
// with 5 % loss, at kSoakSpeed times real time, so it takes minutes; EXTREMA_SOAK_SECONDS
// shortens it. Checks: resident memory stays flat while the link streams, the output is on the
// sender's timeline at the start and at the end and reaches the input's end, and the link never
// resyncs (random loss alone gives it no reason to, nor does the late backlog of a stall). A
// resync right after a host stall the harness measured makes the run inconclusive (skipped);
// one without fails.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "audio/sound_file.h"
#include "loopback_run.h"
#include "temp_dir.h"

namespace extrema::cli {
namespace {

// The eight ALSA speech prompts, one after another, repeated to `seconds` at 48 kHz.
std::filesystem::path long_speech(const test::TempDir& dir, double seconds) {
    std::vector<float> prompts;
    for (const char* name : {"Front_Center", "Front_Left", "Front_Right", "Rear_Center",
                             "Rear_Left", "Rear_Right", "Side_Left", "Side_Right"}) {
        const audio::SoundData d =
            audio::read_sound_file(std::string("/usr/share/sounds/alsa/") + name + ".wav");
        EXPECT_EQ(d.info.rate_hz, 48000);
        EXPECT_EQ(d.info.channels, 1);
        prompts.insert(prompts.end(), d.samples.begin(), d.samples.end());
    }
    const auto total = static_cast<std::uint64_t>(seconds * 48000.0);
    const auto path = dir / "speech.wav";
    audio::SoundFileWriter writer(path, 48000, 1);
    for (std::uint64_t done = 0; done < total;) {
        const auto n =
            static_cast<std::size_t>(std::min<std::uint64_t>(prompts.size(), total - done));
        writer.write(std::span<const float>(prompts.data(), n));
        done += n;
    }
    writer.commit();
    return path;
}

// 10 x: the hour streams in 6 minutes, and the comparison with the offline decode follows, within
// the 10 minutes a soak may take on two shared cores (docs/loopback.md).
constexpr double kSoakSpeed = 10.0;

// Whether the harness's probes measured, shortly before `resync`, a stall of the host longer
// than the jitter target allows for (kHostAllowanceMs of the steady clock): the receiver may
// then meet, at once, more audio than it buffers for, which a real-time run would meet only after
// a stall kSoakSpeed times as long. Shortly: within kStallToResyncSeconds of audio, the time the
// backlog of such a stall takes to reach the receiver and be counted.
constexpr double kStallToResyncSeconds = 3.0;

bool follows_host_stall(const ResyncEvent& resync, const HostStalls& stalls) {
    return std::any_of(stalls.longest.begin(), stalls.longest.end(), [&](const HostStall& s) {
        return s.late_ms > kHostAllowanceMs && s.at_s <= resync.at_s &&
               s.at_s >= resync.at_s - kStallToResyncSeconds;
    });
}

std::uint64_t resident_kib() {
    std::ifstream status("/proc/self/status");
    std::string key;
    while (status >> key) {
        if (key == "VmRSS:") {
            std::uint64_t kib = 0;
            status >> kib;
            return kib;
        }
        status.ignore(1 << 12, '\n');
    }
    return 0;
}

TEST(LoopbackSoak, AnHourWithFivePercentLossStaysFlatAndOnTheTimeline) {
    const char* env = std::getenv("EXTREMA_SOAK_SECONDS");
    const double seconds = env != nullptr ? std::stod(env) : 3600.0;
    test::TempDir dir;
    LoopbackOptions options;
    options.input = long_speech(dir, seconds);
    options.output = dir / "out.wav";
    options.impairment.loss_percent = 5.0;
    options.impairment.seed = 11;
    options.pace = audio::Pace(kSoakSpeed);

    // Resident memory every second.
    std::atomic<bool> done{false};
    std::vector<std::uint64_t> samples_kib;
    std::thread sampler([&] {
        while (!done.load()) {
            samples_kib.push_back(resident_kib());
            std::this_thread::sleep_for(std::chrono::seconds(1));
        }
    });
    LoopbackReport report;
    try {
        report = run_loopback(options);
    } catch (...) {
        done = true;
        sampler.join();
        throw;
    }
    done = true;
    sampler.join();

    // The link streams for the first seconds / kSoakSpeed of the run (one sample a second), the
    // comparison with the offline decode (its fixed windows, whatever the length) follows: from a
    // tenth of the streaming in to four fifths in, memory must not grow; and nothing like a
    // signal-sized buffer appears at the end (the harness that held the signal needed 949 MB for
    // 12.8 minutes).
    const auto streaming = static_cast<std::size_t>(seconds / kSoakSpeed);
    ASSERT_GE(streaming, 10u);
    ASSERT_GT(samples_kib.size(), streaming * 4 / 5);
    const std::uint64_t early = samples_kib[streaming / 10];
    std::uint64_t streaming_peak = 0, peak = 0;
    for (std::size_t i = 0; i < samples_kib.size(); ++i) {
        if (i >= streaming / 10 && i <= streaming * 4 / 5) {
            streaming_peak = std::max(streaming_peak, samples_kib[i]);
        }
        peak = std::max(peak, samples_kib[i]);
    }
    // The figures of the run, pass or fail (docs/loopback.md quotes them).
    std::printf("%smemory:    %llu KiB early, %llu KiB at the streaming peak, %llu KiB at peak\n",
                loopback_text(report).c_str(), static_cast<unsigned long long>(early),
                static_cast<unsigned long long>(streaming_peak),
                static_cast<unsigned long long>(peak));
    constexpr std::uint64_t kGrowthMarginKib = 16 * 1024;
    constexpr std::uint64_t kPeakLimitKib = 256 * 1024;
    EXPECT_LE(streaming_peak, early + kGrowthMarginKib)
        << "resident memory grew from " << early << " KiB to " << streaming_peak << " KiB";
    EXPECT_LE(peak, kPeakLimitKib) << "peak " << peak << " KiB";

    const pipeline::ReceiveStats& rx = report.receiver.receive;
    EXPECT_TRUE(report.played);
    EXPECT_GT(report.injected.dropped, 0u);
    EXPECT_GT(rx.lost, 0u);
    EXPECT_EQ(report.missing_samples, 0u);
    EXPECT_EQ(report.output_samples, report.input_samples);
    EXPECT_EQ(rx.resyncs, report.resyncs.size());
    // A resync with no host stall before it is the receiver's fault: it fails the test. One that
    // follows a stall the harness measured is the machine's; the run is then inconclusive on the
    // timeline (skipped, not passed), since the receiver was not given the time it was promised.
    std::size_t unexplained = 0;
    for (const ResyncEvent& resync : report.resyncs) {
        if (!follows_host_stall(resync, report.host_stalls)) ++unexplained;
    }
    EXPECT_EQ(unexplained, 0u) << "resyncs with no host stall over " << kHostAllowanceMs
                               << " ms before them\n"
                               << loopback_text(report);
    if (unexplained == 0 && !report.resyncs.empty()) {
        GTEST_SKIP() << report.resyncs.size() << " resyncs, each after a host stall over "
                     << kHostAllowanceMs << " ms of the steady clock (the machine, not the link)";
    }
    EXPECT_TRUE(report.resyncs.empty());
    EXPECT_EQ(report.timeline_error_samples, 0);
    EXPECT_EQ(report.timeline_error_end_samples, 0);
}

// A run with the sender's clock `ppm` off, in real time: the drift as two sound cards have it.
LoopbackReport drift_run(const std::filesystem::path& input, const std::filesystem::path& output,
                         double ppm) {
    LoopbackOptions options;
    options.input = input;
    options.output = output;
    options.drift_ppm = ppm;
    // 60 ms rather than the 20 ms default: a loaded build machine's scheduling delays stay below
    // it, so a concealed sample means the buffer ran dry (an underrun), not that the host stalled.
    options.jitter_target_ms = 60.0;
    return run_loopback(options);
}

// The criterion, for one run.
void expect_drift_held(const LoopbackReport& r, double ppm) {
    std::printf("--- %+.0f ppm\n%s", ppm, loopback_text(r).c_str());
    std::printf("latency every 10 s (ms):");  // the 1-s averages, for docs/loopback.md
    for (std::size_t i = 0; i < r.latency.per_second_ms.size(); i += 10) {
        std::printf(" %.1f", r.latency.per_second_ms[i]);
    }
    std::printf("\n");
    const pipeline::ReceiveStats& rx = r.receiver.receive;
    EXPECT_TRUE(r.played);
    EXPECT_TRUE(r.drift_correction);
    EXPECT_GE(static_cast<double>(r.latency.seconds), r.duration_s - 3.0);
    EXPECT_LE(r.latency.max_ms - r.latency.first_ms, 5.0) << ppm << " ppm";
    EXPECT_LE(r.latency.first_ms - r.latency.min_ms, 5.0) << ppm << " ppm";
    EXPECT_EQ(r.concealed_while_streaming, 0u) << ppm << " ppm: the buffer ran dry";
    EXPECT_EQ(rx.late, 0u) << ppm << " ppm";
    EXPECT_EQ(rx.lost, 0u) << ppm << " ppm";
    EXPECT_TRUE(r.resyncs.empty()) << ppm << " ppm";
    EXPECT_EQ(r.missing_samples, 0u) << ppm << " ppm";
    EXPECT_NEAR(rx.drift_ppm, ppm, 50.0);
}

TEST(LoopbackSoak, DriftOf300PpmFastAndSlowHoldsTheLatencyForTenMinutes) {
    const char* env = std::getenv("EXTREMA_DRIFT_SOAK_SECONDS");
    const double seconds = env != nullptr ? std::stod(env) : 600.0;
    ASSERT_GE(seconds, 60.0) << "the corrector needs tens of seconds to find the drift";
    test::TempDir dir;
    const std::filesystem::path input = long_speech(dir, seconds);
    // Both at once: two independent links, ten minutes instead of twenty.
    auto fast = std::async(std::launch::async, drift_run, input, dir / "fast.wav", 300.0);
    auto slow = std::async(std::launch::async, drift_run, input, dir / "slow.wav", -300.0);
    expect_drift_held(fast.get(), 300.0);
    expect_drift_held(slow.get(), -300.0);
}

}  // namespace
}  // namespace extrema::cli
