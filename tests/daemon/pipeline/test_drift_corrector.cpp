// DriftCorrector: exact bypass, holding the level against a drifting sender (simulated time),
// click-free engage and release, landing on whole samples, reset, and no allocation.
#include "pipeline/drift_corrector.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <numbers>
#include <stdexcept>
#include <vector>

#include "drift_simulation.h"

#ifdef EXTREMA_RT_COUNTERS
#include "audio/rt_guard.h"
#include "rt_counters.h"
#endif

namespace extrema::pipeline {
namespace {

using test::DriftRun;
using test::DriftScenario;
using test::FillTiming;
using test::simulate;

constexpr double kRate = 48000.0;

// A source of consecutive samples of a function of the sample index.
template <typename F>
struct IndexedSource {
    F value;
    std::int64_t next = 0;
    void operator()(std::span<float> out) noexcept {
        for (float& v : out) v = value(next++);
    }
};
template <typename F>
IndexedSource(F) -> IndexedSource<F>;

// 440 Hz at half scale.
float tone(std::int64_t i) {
    return static_cast<float>(
        0.5 * std::sin(2.0 * std::numbers::pi * 440.0 * static_cast<double>(i) / kRate));
}
// Exact in float for |i| < 2^24: the value gives back the index (and linear interpolation of a
// ramp gives back the read position).
float ramp(std::int64_t i) {
    return static_cast<float>(i) / 1048576.0f;
}

// Short windows so a test sees several corrections in a few seconds of audio.
DriftCorrectorConfig quick_config() {
    DriftCorrectorConfig c;
    c.window_s = 0.05;
    c.drift_min_fit_s = 0.5;
    c.drift_fit_s = 2.0;
    return c;
}

// Feeds a constant level error in ms, `seconds` long, in `block`-sample fills; appends the output.
template <typename Source>
void run_with_error(DriftCorrector& corrector, Source& source, double error_ms, double seconds,
                    std::vector<float>& out, std::size_t block = 128) {
    const auto total = static_cast<std::size_t>(seconds * kRate);
    std::vector<float> chunk(block);
    for (std::size_t done = 0; done < total; done += block) {
        corrector.observe(1000.0 + error_ms * kRate / 1000.0, 1000.0);
        corrector.process(std::span<float>(chunk), source);
        out.insert(out.end(), chunk.begin(), chunk.end());
    }
}

// On a ramp the output is the read position: it must advance by 1 +- 0.1 % per sample (up to the
// float resolution of the ramp's value), never skip or repeat a sample.
void expect_read_position_advances_by_one(const std::vector<float>& out) {
    const float unit = ramp(1);
    for (std::size_t i = 1; i < out.size(); ++i) {
        const double resolution = 2.0 * std::abs(out[i]) * 0x1p-24 / unit;
        ASSERT_NEAR((out[i] - out[i - 1]) / unit, 1.0, 0.0011 + resolution) << "sample " << i;
    }
}

double max_step(const std::vector<float>& x, std::size_t from, std::size_t to) {
    double worst = 0.0;
    for (std::size_t i = from + 1; i < to; ++i)
        worst = std::max(worst, double{std::abs(x[i] - x[i - 1])});
    return worst;
}

double max_second_difference(const std::vector<float>& x, std::size_t from, std::size_t to) {
    double worst = 0.0;
    for (std::size_t i = from + 2; i < to; ++i) {
        worst = std::max(worst, std::abs(double{x[i]} - 2.0 * x[i - 1] + x[i - 2]));
    }
    return worst;
}

// ---- (a) Bypass -----------------------------------------------------------------------------

TEST(DriftCorrector, BypassIsBitExactWithASteadyLevel) {
    DriftCorrector corrector;
    IndexedSource source{tone};
    std::vector<float> out;
    run_with_error(corrector, source, 0.0, 10.0, out, 480);
    EXPECT_FALSE(corrector.correcting());
    EXPECT_EQ(corrector.ratio(), 1.0);
    for (std::size_t i = 0; i < out.size(); ++i) {
        ASSERT_EQ(out[i], tone(static_cast<std::int64_t>(i))) << "sample " << i;
    }
}

TEST(DriftCorrector, BypassIsBitExactWhileTheErrorStaysInTheDeadband) {
    DriftCorrector corrector;
    IndexedSource source{tone};
    std::vector<float> out;
    std::vector<float> chunk(256);
    // A 10-ms sawtooth around the target plus 1.5 ms of offset: the mean stays in the dead band.
    for (int fill = 0; fill < 3000; ++fill) {
        const double saw = static_cast<double>((fill * 256) % 480) - 240.0;
        corrector.observe(1000.0 + 72.0 - saw, 1000.0);
        corrector.process(std::span<float>(chunk), source);
        out.insert(out.end(), chunk.begin(), chunk.end());
    }
    EXPECT_FALSE(corrector.correcting());
    for (std::size_t i = 0; i < out.size(); ++i) {
        ASSERT_EQ(out[i], tone(static_cast<std::int64_t>(i))) << "sample " << i;
    }
}

// ---- (b) A drifting sender, simulated -------------------------------------------------------

TEST(DriftCorrector, WithoutCorrectionTheLevelDriftsByPpmTimesDuration) {
    for (const double ppm : {200.0, -200.0}) {
        DriftScenario s;
        s.sender_ppm = ppm;
        s.start_ms = 40.0;  // room for -200 ppm x 120 s = -24 ms without running dry
        const DriftRun run = simulate(s, nullptr);
        const double expected_ms = ppm * 1e-6 * s.duration_s * 1000.0;
        EXPECT_NEAR(run.end_level_ms - run.start_level_ms, expected_ms, 1.0) << ppm << " ppm";
        EXPECT_EQ(run.starved_samples, 0u);
    }
}

// The level to hold: the mean the buffer shows when both clocks agree, with the same fills.
double calibrated_target_ms(DriftScenario s) {
    s.sender_ppm = 0.0;
    s.duration_s = 10.0;
    const DriftRun run = simulate(s, nullptr);
    double sum = 0.0;
    for (const double level : run.level_ms) sum += level;
    return sum / static_cast<double>(run.level_ms.size());
}

struct DriftCase {
    double ppm;
    FillTiming timing;
    std::size_t fill_samples;
    double jitter_ms;
    double level_bound_ms;  // largest error of a 1-s mean level allowed
    bool drift_found;       // drift_ppm() must be within 20 ppm by the end
};

class DriftCorrectorHoldsTheLevel : public ::testing::TestWithParam<DriftCase> {};

TEST_P(DriftCorrectorHoldsTheLevel, WithinAFewMsAndEstimatesTheDrift) {
    const DriftCase c = GetParam();
    DriftScenario s;
    s.sender_ppm = c.ppm;
    s.timing = c.timing;
    s.fill_samples = c.fill_samples;
    s.jitter_ms = c.jitter_ms;
    s.target_ms = calibrated_target_ms(s);
    DriftCorrector corrector;
    const DriftRun run = simulate(s, &corrector);
    if (std::getenv("DRIFT_DUMP") != nullptr) {
        for (std::size_t i = 0; i < run.level_ms.size(); ++i)
            std::printf("%zu %.3f %.1f\n", i, run.level_ms[i] - s.target_ms, run.drift_ppm[i]);
    }

    EXPECT_EQ(run.starved_samples, 0u);
    double worst_error = 0.0;
    for (const double level : run.level_ms) {
        worst_error = std::max(worst_error, std::abs(level - s.target_ms));
    }
    EXPECT_LT(worst_error, c.level_bound_ms);
    // Converged: within 20 ppm from some second on, and stays there.
    std::size_t converged = run.drift_ppm.size();
    while (converged > 0 && std::abs(run.drift_ppm[converged - 1] - c.ppm) < 20.0) --converged;
    if (c.drift_found) {
        EXPECT_LT(converged, 20u) << "drift estimate slow to converge";
        EXPECT_NEAR(run.drift_ppm.back(), c.ppm, 20.0);
    }
    EXPECT_LT(run.roughness, 1.5) << "a click: a skipped, repeated or stepped sample";
    if (c.ppm != 0.0) {
        EXPECT_GE(run.engagements, 1u);
    } else {
        EXPECT_EQ(run.engagements, 0u);
    }
    const char* timing = c.timing == FillTiming::kOnArrival ? "on-arrival" : "fixed";
    std::printf(
        "    %+.0f ppm, %s fills of %zu, jitter %.1f ms: worst 1-s level error %.2f ms, drift "
        "within 20 ppm from %zu s, %.1f ppm at 120 s, %zu corrections (%.0f%% of the time), "
        "roughness %.2f\n",
        c.ppm, timing, c.fill_samples, c.jitter_ms, worst_error, converged, run.drift_ppm.back(),
        run.engagements, 100.0 * run.correcting_share, run.roughness);
}

INSTANTIATE_TEST_SUITE_P(
    Senders, DriftCorrectorHoldsTheLevel,
    ::testing::Values(
        // A sound-card period unrelated to the packet: fills see every phase of the sawtooth.
        DriftCase{200.0, FillTiming::kFixedBlocks, 256, 0.0, 3.0, true},
        DriftCase{-200.0, FillTiming::kFixedBlocks, 256, 0.0, 3.0, true},
        DriftCase{200.0, FillTiming::kFixedBlocks, 256, 2.0, 3.0, true},
        DriftCase{-200.0, FillTiming::kFixedBlocks, 256, 2.0, 3.0, true},
        // Fills right after each arrival.
        DriftCase{200.0, FillTiming::kOnArrival, 0, 2.0, 3.0, true},
        DriftCase{-200.0, FillTiming::kOnArrival, 0, 2.0, 3.0, true},
        // A shared clock never engages; a small drift is found too.
        DriftCase{0.0, FillTiming::kFixedBlocks, 256, 2.0, 1.0, true},
        DriftCase{50.0, FillTiming::kFixedBlocks, 256, 2.0, 3.0, true},
        // Fills on a 5-ms timer, half the packet: the level is seen at two phases of the
        // sawtooth only, which turn with the drift, so it moves in steps of up to half a packet
        // and the drift estimate takes about a minute (a limit of the measurement, see header).
        DriftCase{200.0, FillTiming::kFixedBlocks, 240, 1.0, 5.0, false},
        DriftCase{-200.0, FillTiming::kFixedBlocks, 240, 0.0, 7.0, false},
        // Fills of exactly one packet: steps of a whole packet; still no underrun, no click.
        DriftCase{-200.0, FillTiming::kFixedBlocks, 480, 0.0, 12.0, false}));

TEST(DriftCorrector, FollowsANewTargetWithoutAGap) {
    // A SIGHUP raises the target by 10 ms at 20 s: the level climbs at up to 1000 ppm.
    DriftScenario s;
    s.sender_ppm = 100.0;
    s.jitter_ms = 1.0;
    s.duration_s = 60.0;
    s.target_ms = calibrated_target_ms(s);
    s.retarget_ms = 10.0;
    s.retarget_at_s = 20.0;
    DriftCorrector corrector;
    const DriftRun run = simulate(s, &corrector);
    EXPECT_EQ(run.starved_samples, 0u);
    EXPECT_LT(run.roughness, 1.5);
    const double goal = s.target_ms + s.retarget_ms;
    std::size_t settled = run.level_ms.size();
    while (settled > 0 && std::abs(run.level_ms[settled - 1] - goal) < 2.5) --settled;
    EXPECT_LT(settled, 40u) << "10 ms more level not reached within 20 s";
    std::printf("    +10 ms of target: within 2.5 ms of it %zu s later\n", settled - 20);
}

// The adaptive target rises before the first 1-s window has closed, at a fill that sees the top
// of the packet sawtooth (20 ms packets, 5 ms fills): the level that rise must be measured
// against is the sawtooth's mean, not that moment's, or a rise above the mean is taken as
// covered and the buffer runs a packet's margin short until the ordinary control catches up.
TEST(DriftCorrector, ATargetRiseBeforeTheFirstWindowIsOwedFromTheMeanLevel) {
    DriftCorrectorConfig config;
    config.fast_growth = true;
    DriftCorrector corrector(config);
    IndexedSource source{ramp};
    constexpr std::size_t kFill = 240;
    constexpr std::size_t kPacket = 960;
    constexpr double kTop = kPacket;                             // just after an arrival
    constexpr double kMean = kPacket - (kPacket - kFill) / 2.0;  // 600: the four fills' mean
    const double target = kMean + 5.0 * kRate / 1000.0;  // 5 ms above the mean, below the top
    std::vector<float> chunk(kFill);
    std::size_t fill = 0;
    const auto run = [&](double target_samples, std::size_t fills) {
        for (std::size_t end = fill + fills; fill < end; ++fill) {
            const double sawtooth = kTop - static_cast<double>((fill % (kPacket / kFill)) * kFill);
            corrector.observe(sawtooth + corrector.stretched_samples(), target_samples);
            corrector.process(std::span<float>(chunk), source);
        }
    };
    run(0.0, 40);                             // 0.2 s at the floor: the level is above it
    ASSERT_EQ(fill % (kPacket / kFill), 0u);  // the rise comes at the top of the sawtooth
    ASSERT_GT(kTop, target);
    run(target, 150);  // 0.75 s, the growth done, still inside the first window
    EXPECT_NEAR(corrector.stretched_samples(), target - kMean,
                config.growth_done_ms * kRate / 1000.0 + 2.0);
}

// ---- (c) Transitions ------------------------------------------------------------------------

TEST(DriftCorrector, EngageAndReleaseAreClickFree) {
    DriftCorrector corrector(quick_config());
    IndexedSource source{tone};
    std::vector<float> out;
    run_with_error(corrector, source, 0.0, 0.5, out);
    ASSERT_FALSE(corrector.correcting());
    const std::size_t engaged_after = out.size();
    run_with_error(corrector, source, 5.0, 1.0, out);
    ASSERT_TRUE(corrector.correcting());
    EXPECT_LT(corrector.ratio(), 1.0);
    run_with_error(corrector, source, 0.0, 1.0, out);
    ASSERT_FALSE(corrector.correcting());

    // The tone's own largest step and second difference, with room for the pitch change (0.1 %)
    // and for linear interpolation's error (at most A w^2 / 8 per sample).
    const double w = 2.0 * std::numbers::pi * 440.0 / kRate;
    const double own_step = 0.5 * w;
    const double own_curvature = 0.5 * w * w;
    EXPECT_LE(max_step(out, 0, out.size()), own_step * 1.001 + 1e-6);
    EXPECT_LE(max_second_difference(out, 0, out.size()), 1.5 * own_curvature);
    // A repeated sample around the switch would be a second difference of ~own_step.
    EXPECT_LE(max_second_difference(out, engaged_after - 200, engaged_after + 200),
              1.5 * own_curvature);
}

TEST(DriftCorrector, ReleaseLandsOnAWholeSampleAndResumesBypassExactly) {
    DriftCorrector corrector(quick_config());
    IndexedSource source{ramp};
    std::vector<float> out;
    run_with_error(corrector, source, 0.0, 0.2, out);
    run_with_error(corrector, source, -5.0, 0.7, out);  // low level: stretch (ratio > 1)
    ASSERT_TRUE(corrector.correcting());
    EXPECT_GT(corrector.ratio(), 1.0);
    run_with_error(corrector, source, 0.0, 1.0, out);
    ASSERT_FALSE(corrector.correcting());

    // The read position advances steadily, and once back in bypass the output is the source's
    // own samples again, consecutive and exact.
    expect_read_position_advances_by_one(out);
    const float unit = ramp(1);
    const std::size_t tail = out.size() - 4800;
    const auto first = static_cast<std::int64_t>(std::lround(out[tail] / unit));
    EXPECT_LT(first, static_cast<std::int64_t>(tail)) << "stretching plays fewer source samples";
    for (std::size_t i = tail; i < out.size(); ++i) {
        ASSERT_EQ(out[i], ramp(first + static_cast<std::int64_t>(i - tail))) << "sample " << i;
    }
}

TEST(DriftCorrector, CorrectionIsClampedAndSlewLimited) {
    DriftCorrectorConfig config = quick_config();
    DriftCorrector corrector(config);
    IndexedSource source{tone};
    std::vector<float> out;
    run_with_error(corrector, source, 100.0, 0.2, out);
    ASSERT_TRUE(corrector.correcting());
    // 0.15 s at most at 500 ppm/s after engaging at the first window's end.
    EXPECT_GT(corrector.ratio(), 1.0 / (1.0 + 100e-6));
    run_with_error(corrector, source, 100.0, 3.0, out);
    EXPECT_NEAR(corrector.ratio(), 1.0 / (1.0 + config.max_correction_ppm * 1e-6), 1e-12);
}

TEST(DriftCorrector, LargeBlocksAreDoneInPieces) {
    DriftCorrectorConfig config = quick_config();
    config.max_block_samples = 64;
    DriftCorrector corrector(config);
    IndexedSource source{ramp};
    std::vector<float> out;
    run_with_error(corrector, source, 5.0, 0.3, out, 1000);
    ASSERT_TRUE(corrector.correcting());
    run_with_error(corrector, source, 5.0, 0.3, out, 1000);
    EXPECT_LT(corrector.ratio(), 1.0);
    expect_read_position_advances_by_one(out);
}

// ---- (d) Reset ------------------------------------------------------------------------------

TEST(DriftCorrector, ResetReturnsToBypassAndForgets) {
    DriftCorrector corrector(quick_config());
    IndexedSource source{ramp};
    std::vector<float> out;
    run_with_error(corrector, source, 5.0, 1.0, out);
    ASSERT_TRUE(corrector.correcting());
    ASSERT_NE(corrector.drift_ppm(), 0.0);

    corrector.reset();
    EXPECT_FALSE(corrector.correcting());
    EXPECT_EQ(corrector.ratio(), 1.0);
    EXPECT_EQ(corrector.drift_ppm(), 0.0);
    EXPECT_EQ(corrector.mean_error_samples(), 0.0);

    // Bypass at once, on the nearest whole sample: consecutive source samples from there, the
    // first at most half a sample from where the read position was.
    const std::size_t before = out.size();
    run_with_error(corrector, source, 0.0, 0.5, out);
    const float unit = ramp(1);
    const double step = (out[before] - out[before - 1]) / unit;
    EXPECT_GT(step, 0.5);
    EXPECT_LT(step, 1.5);
    const auto first = static_cast<std::int64_t>(std::lround(out[before] / unit));
    for (std::size_t i = before; i < out.size(); ++i) {
        ASSERT_EQ(out[i], ramp(first + static_cast<std::int64_t>(i - before))) << "sample " << i;
    }
    EXPECT_FALSE(corrector.correcting());

    // And it corrects again from a fresh measurement.
    run_with_error(corrector, source, 5.0, 1.0, out);
    EXPECT_TRUE(corrector.correcting());
}

// ---- Contract -------------------------------------------------------------------------------

TEST(DriftCorrector, IgnoresNonFiniteLevels) {
    DriftCorrector corrector(quick_config());
    IndexedSource source{tone};
    std::vector<float> chunk(128);
    for (int i = 0; i < 2000; ++i) {
        corrector.observe(std::nan(""), 0.0);
        corrector.observe(HUGE_VAL, 0.0);
        corrector.process(std::span<float>(chunk), source);
    }
    EXPECT_FALSE(corrector.correcting());
}

TEST(DriftCorrector, RejectsConfigsOutOfRange) {
    const auto bad = [](auto change) {
        DriftCorrectorConfig c;
        change(c);
        return c;
    };
    EXPECT_THROW(DriftCorrector(bad([](auto& c) { c.sample_rate_hz = 0.0; })),
                 std::invalid_argument);
    EXPECT_THROW(DriftCorrector(bad([](auto& c) { c.max_block_samples = 0; })),
                 std::invalid_argument);
    EXPECT_THROW(DriftCorrector(bad([](auto& c) { c.max_correction_ppm = 0.0; })),
                 std::invalid_argument);
    EXPECT_THROW(DriftCorrector(bad([](auto& c) { c.release_ms = c.deadband_ms; })),
                 std::invalid_argument);
    EXPECT_THROW(DriftCorrector(bad([](auto& c) { c.window_s = std::nan(""); })),
                 std::invalid_argument);
    EXPECT_THROW(DriftCorrector(bad([](auto& c) { c.drift_min_fit_s = c.window_s; })),
                 std::invalid_argument);
    EXPECT_THROW(DriftCorrector(bad([](auto& c) { c.drift_fit_s = 1.0; })), std::invalid_argument);
}

#ifdef EXTREMA_RT_COUNTERS
TEST(DriftCorrector, ObserveAndProcessNeitherAllocateNorLock) {
    DriftCorrectorConfig config = quick_config();
    config.max_block_samples = 256;
    DriftCorrector corrector(config);
    IndexedSource source{tone};
    std::vector<float> chunk(1000);  // larger than a block: the chunked path too
    bool corrected = false;
    const audio::test::RtCounts before = audio::test::rt_counts();
    {
        const audio::RealtimeScope realtime;
        for (int i = 0; i < 400; ++i) {
            const double error = i < 200 ? 300.0 : 0.0;  // engage, correct, land, bypass
            corrector.observe(1000.0 + error, 1000.0);
            corrector.process(std::span<float>(chunk), source);
            corrected = corrected || corrector.correcting();
        }
        corrector.reset();
    }
    const audio::test::RtCounts used = audio::test::rt_counts() - before;
    EXPECT_TRUE(corrected);
    EXPECT_FALSE(corrector.correcting());
    EXPECT_EQ(used.allocations, 0u);
    EXPECT_EQ(used.frees, 0u);
    EXPECT_EQ(used.locks, 0u);
    EXPECT_EQ(used.syscalls, 0u);
}
#endif

}  // namespace
}  // namespace extrema::pipeline
