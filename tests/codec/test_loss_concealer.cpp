// LossConcealer (G.711 Appendix I): a periodic signal is continued, the gain schedule (full for
// 10 ms, -20 % per 10 ms, silence from 60 ms), the merges at both ends of an erasure without a
// step, silent or short histories, erasures of any length, no allocation, determinism, rates.
#include "extrema/codec/loss_concealer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include "../support/allocation_counter.h"
#include "signals.h"

namespace extrema::codec {
namespace {

constexpr double kRate = 48000.0;

// A voiced-like signal: a 137 Hz fundamental (a period of 350.4 samples at 48 kHz, not an integer)
// with three harmonics, normalised, peak below 0.6.
float voiced(std::size_t n, double rate = kRate) {
    const double t = static_cast<double>(n) / rate;
    double v = 0.0;
    const double amps[] = {0.3, 0.15, 0.08, 0.05};
    for (int h = 0; h < 4; ++h)
        v += amps[h] * std::sin(2.0 * std::numbers::pi * 137.0 * (h + 1) * t + h);
    return static_cast<float>(v);
}

std::vector<float> voiced_span(std::size_t from, std::size_t count, double rate = kRate) {
    std::vector<float> out(count);
    for (std::size_t i = 0; i < count; ++i) out[i] = voiced(from + i, rate);
    return out;
}

double correlation(std::span<const float> a, std::span<const float> b) {
    double ab = 0, aa = 0, bb = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        ab += double(a[i]) * b[i];
        aa += double(a[i]) * a[i];
        bb += double(b[i]) * b[i];
    }
    return ab / std::sqrt(aa * bb);
}

double rms(std::span<const float> x) {
    double s = 0;
    for (float v : x) s += double(v) * v;
    return std::sqrt(s / static_cast<double>(x.size()));
}

float max_step(std::span<const float> x) {
    float m = 0;
    for (std::size_t i = 1; i < x.size(); ++i) m = std::max(m, std::abs(x[i] - x[i - 1]));
    return m;
}

std::size_t ms(double milliseconds, double rate = kRate) {
    return static_cast<std::size_t>(std::lround(milliseconds * rate / 1000.0));
}

TEST(LossConcealer, PitchRangeIsTheAppendixRangeAtTheStreamRate) {
    for (const double rate : {8000.0, 16000.0, 44100.0, 48000.0, 96000.0}) {
        const LossConcealer plc(rate);
        EXPECT_EQ(plc.min_pitch_samples(), ms(5.0, rate)) << rate;   // 200 Hz
        EXPECT_EQ(plc.max_pitch_samples(), ms(15.0, rate)) << rate;  // 66.7 Hz
        EXPECT_EQ(plc.frame_samples(), ms(10.0, rate)) << rate;
        EXPECT_EQ(plc.silence_after_samples(), ms(60.0, rate)) << rate;
    }
    EXPECT_THROW(LossConcealer(500.0), std::invalid_argument);
}

TEST(LossConcealer, ContinuesPeriodicSignalForTheFirst10Ms) {
    for (const double rate : {8000.0, 44100.0, 48000.0}) {
        LossConcealer plc(rate);
        auto history = voiced_span(0, ms(100, rate), rate);
        plc.receive(history);
        std::vector<float> out(ms(10, rate));
        plc.conceal(out);
        const auto truth = voiced_span(history.size(), out.size(), rate);
        EXPECT_GT(correlation(out, truth), 0.95) << rate;
        // The period found is the fundamental's (within one sample), not a multiple.
        EXPECT_NEAR(static_cast<double>(plc.pitch_samples()), rate / 137.0, 1.0) << rate;
    }
}

TEST(LossConcealer, ContinuesSpeechBetterThanSilenceWould) {
    // Real speech, every 10 ms erasure start in the loudest second: the substitute's first 10 ms
    // correlate with what was lost, on average.
    double rate = 0;
    const auto speech16 = test::speech(&rate);
    std::vector<float> speech(speech16.size());
    for (std::size_t i = 0; i < speech.size(); ++i) speech[i] = speech16[i] / 32767.0f;
    const std::size_t frame = ms(10, rate);
    double sum = 0;
    int count = 0;
    for (std::size_t at = ms(200, rate); at + frame < speech.size(); at += 5 * frame) {
        const std::span<const float> lost(speech.data() + at, frame);
        if (rms(lost) < 0.02) continue;  // pauses: nothing to continue
        LossConcealer plc(rate);
        std::vector<float> past(speech.begin() + static_cast<std::ptrdiff_t>(at - ms(100, rate)),
                                speech.begin() + static_cast<std::ptrdiff_t>(at));
        plc.receive(past);
        std::vector<float> out(frame);
        plc.conceal(out);
        sum += correlation(out, lost);
        ++count;
    }
    ASSERT_GT(count, 10);
    EXPECT_GT(sum / count, 0.4);
}

TEST(LossConcealer, GainScheduleFullThenMinus20PercentPer10MsThenSilence) {
    LossConcealer plc(kRate);
    auto history = voiced_span(0, ms(100));
    plc.receive(history);
    std::vector<float> out(ms(80));
    // Odd block sizes: the schedule runs on samples, not on calls.
    for (std::size_t done = 0, block = 1; done < out.size(); block = block * 3 + 7) {
        const std::size_t n = std::min(block % 700 + 1, out.size() - done);
        plc.conceal(std::span(out).subspan(done, n));
        done += n;
    }
    // Each 10 ms window against the lost signal's own level there: full for the first 10 ms,
    // then a mean gain over [10k, 10k + 10) ms of 0.9 - 0.2 (k - 1).
    const auto truth = voiced_span(history.size(), out.size());
    for (int k = 0; k < 6; ++k) {
        const std::size_t from = ms(10.0 * k);
        const double level = rms(std::span(out).subspan(from, ms(10)));
        const double expected = rms(std::span(truth).subspan(from, ms(10)));
        const double gain = k == 0 ? 1.0 : 0.9 - 0.2 * (k - 1);
        EXPECT_NEAR(level / expected, gain, 0.1) << "window " << k;
    }
    for (std::size_t i = ms(60); i < out.size(); ++i) ASSERT_EQ(out[i], 0.0f) << i;
}

TEST(LossConcealer, MergesWithoutStepAtBothEndsOfAnErasure) {
    // The real signal resumes on its own timeline after 25 ms, out of phase with the substitute;
    // a splice would step by up to the peak-to-peak height. Bound: the signal's own largest step
    // plus its peak-to-peak height spread over the shorter merge (a quarter period).
    for (const std::size_t lost_ms : {3, 10, 25, 45, 70}) {
        LossConcealer plc(kRate);
        const std::size_t before = ms(100);
        const std::size_t gap = ms(static_cast<double>(lost_ms));
        std::vector<float> out = voiced_span(0, before);
        plc.receive(out);
        out.resize(before + gap);
        plc.conceal(std::span(out).subspan(before, gap));
        auto after = voiced_span(before + gap, ms(30));
        plc.receive(after);
        out.insert(out.end(), after.begin(), after.end());
        const auto truth = voiced_span(0, out.size());
        float lo = 0, hi = 0;
        for (float v : truth) lo = std::min(lo, v), hi = std::max(hi, v);
        const float natural = max_step(truth);
        const float bound = natural + (hi - lo) / static_cast<float>(plc.pitch_samples() / 4);
        EXPECT_LE(max_step(std::span(out).subspan(before - 1, gap + ms(30) + 1)), bound)
            << lost_ms << " ms";
        // The merge ends on the real signal exactly.
        const std::size_t tail = before + gap + ms(10);
        for (std::size_t i = tail; i < out.size(); ++i) ASSERT_EQ(out[i], truth[i]) << i;
    }
}

TEST(LossConcealer, SilentHistoryGivesSilence) {
    LossConcealer plc(kRate);
    std::vector<float> out(ms(30), 1.0f);
    plc.conceal(out);  // nothing ever received
    for (float v : out) ASSERT_EQ(v, 0.0f);
    std::vector<float> quiet(ms(100), 0.0f);
    plc.receive(quiet);
    std::fill(out.begin(), out.end(), 1.0f);
    plc.conceal(out);
    for (float v : out) ASSERT_EQ(v, 0.0f);
}

TEST(LossConcealer, ShortHistoryStaysBoundedAndFadesOut) {
    // 2 ms of a loud tone, shorter than the shortest pitch period searched: the rest of the
    // history is silence, so the substitute is made of both and never exceeds the tone's reach.
    LossConcealer plc(kRate);
    std::vector<float> burst(ms(2));
    for (std::size_t i = 0; i < burst.size(); ++i) burst[i] = 0.9f * std::sin(0.05f * i);
    plc.receive(burst);
    std::vector<float> out(ms(100));
    plc.conceal(out);
    for (float v : out) {
        ASSERT_TRUE(std::isfinite(v));
        ASSERT_LE(std::abs(v), 1.8f);  // the tone's peak plus the start merge's offset
    }
    for (std::size_t i = ms(60); i < out.size(); ++i) ASSERT_EQ(out[i], 0.0f);
}

TEST(LossConcealer, ErasuresOfAnyLengthAndBlocksOfAnySize) {
    LossConcealer plc(kRate);
    std::size_t t = 0;
    const std::size_t sizes[] = {1, 2, 63, 64, 255, 2340, 5000, 48000, 480000};
    for (const std::size_t real : sizes) {
        auto in = voiced_span(t, real);
        plc.receive(in);
        t += real;
        for (const std::size_t lost : sizes) {
            std::vector<float> out(lost);
            plc.conceal(out);
            for (float v : out) ASSERT_TRUE(std::isfinite(v) && std::abs(v) < 2.0f);
            t += lost;
        }
    }
}

TEST(LossConcealer, BoundedAtTheExtremeRates) {
    for (const double rate : {1000.0, 768000.0}) {
        LossConcealer plc(rate);
        for (const std::size_t n : {std::size_t{1}, std::size_t{7}, ms(100, rate)}) {
            auto in = voiced_span(0, n, rate);
            plc.receive(in);
            std::vector<float> out(ms(100, rate));
            plc.conceal(out);
            for (float v : out) ASSERT_TRUE(std::isfinite(v) && std::abs(v) < 2.0f) << rate;
            EXPECT_GE(plc.pitch_samples(), plc.min_pitch_samples());
            EXPECT_LE(plc.pitch_samples(), plc.max_pitch_samples());
        }
    }
}

TEST(LossConcealer, NoAllocationAfterConstruction) {
    LossConcealer plc(kRate);
    std::vector<float> in = voiced_span(0, ms(100));
    std::vector<float> out(ms(37));
    test::AllocationCounter counter;
    for (int round = 0; round < 20; ++round) {
        plc.receive(std::span(in).subspan(static_cast<std::size_t>(round) * 97, 300));
        plc.conceal(std::span(out).first(static_cast<std::size_t>(round) * 91 % out.size() + 1));
    }
    plc.reset();
    EXPECT_EQ(counter.count(), 0u);
}

TEST(LossConcealer, Deterministic) {
    LossConcealer a(kRate);
    LossConcealer b(kRate);
    auto in = voiced_span(0, ms(100));
    a.receive(in);
    b.receive(in);
    std::vector<float> x(ms(50));
    std::vector<float> y(ms(50));
    a.conceal(x);
    b.conceal(std::span(y).first(ms(20)));
    b.conceal(std::span(y).subspan(ms(20)));
    EXPECT_EQ(x, y);
}

}  // namespace
}  // namespace extrema::codec
