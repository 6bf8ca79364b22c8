// The swing bank (bank 3): its tables, the swing fit, and the encoder that uses it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "allocation_counter.h"
#include "encoder_checks.h"
#include "extrema/codec/curve_bank.h"
#include "extrema/codec/decoder.h"
#include "extrema/codec/encoder.h"
#include "extrema/codec/swing_bank.h"
#include "extrema/codec/swing_fit.h"
#include "signals.h"

namespace extrema::codec {
namespace {

// Pinned: the bank is part of the wire format (see test_curve_bank.cpp).
constexpr std::uint64_t kSwingBankChecksum = 0xdc5a67c5e7b4e489ull;

const CurveBank& bank() {
    return CurveBank::swing();
}

TEST(SwingBank, ChecksumIsPinnedAndFindKnowsIt) {
    EXPECT_EQ(bank().checksum(), kSwingBankChecksum) << std::hex << "0x" << bank().checksum();
    EXPECT_EQ(CurveBank::find(3), &bank());
    EXPECT_EQ(bank().id(), BankId::kSwing);
    EXPECT_EQ(bank().linear_curve(), swing::kLinearCurve);
}

TEST(SwingBank, EveryCurveStartsAtZeroAndEndsAtOne) {
    for (int id = 1; id <= 255; ++id) {
        const auto table = bank().table(static_cast<std::uint8_t>(id));
        EXPECT_EQ(table.front(), 0.0f) << id;
        EXPECT_EQ(table.back(), 1.0f) << id;
    }
}

TEST(SwingBank, MonotonePartIsMonotone) {
    for (std::size_t id = 1; id <= swing::kMonotoneCurves; ++id) {
        const auto table = bank().table(static_cast<std::uint8_t>(id));
        for (std::size_t j = 1; j < table.size(); ++j) ASSERT_GE(table[j], table[j - 1]) << id;
    }
}

TEST(SwingBank, SwingsTurnOnceAtTauWithHeightR) {
    for (int a = 0; a < swing::kTauSteps; ++a) {
        for (int k = 0; k < swing::kRatioSteps; ++k) {
            const std::uint8_t id = swing::swing_id(a, k);
            const double r = swing::peak(k);
            ASSERT_TRUE(r > 1.0 || r < 0.0) << "a swing overshoots its end or starts the wrong way";
            EXPECT_NEAR(bank().value(id, static_cast<float>(swing::tau(a))), r,
                        1e-3 * std::max(1.0, std::fabs(r)))
                << int(id);
            // One turn: the table rises then falls (or the reverse), never more.
            const auto table = bank().table(id);
            int turns = 0;
            float direction = 0.0f;  // sign of the last non-zero step
            for (std::size_t j = 1; j < table.size(); ++j) {
                const float d = table[j] - table[j - 1];
                if (d == 0.0f) continue;
                if (direction != 0.0f && (d > 0.0f) != (direction > 0.0f)) ++turns;
                direction = d;
            }
            EXPECT_EQ(turns, 1) << int(id);
        }
    }
}

TEST(SwingBank, MonotoneViewIsTheMonotonePartPaddedWithTheLine) {
    const CurveBank& view = CurveBank::swing_monotone();
    for (std::size_t id = 1; id <= 255; ++id) {
        const auto got = view.table(static_cast<std::uint8_t>(id));
        const auto want = bank().table(id <= swing::kMonotoneCurves ? static_cast<std::uint8_t>(id)
                                                                    : swing::kLinearCurve);
        EXPECT_TRUE(std::equal(got.begin(), got.end(), want.begin())) << id;
    }
}

TEST(SwingFit, RendersTheExtremumAndTheEndOfTwoHalfCycles) {
    // From 0 up to 1000 after 20 samples, down to -800 after 40 in all.
    const SwingFit fit = fit_swing(0.0f, 1000.0f, -800.0f, 20, 40);
    EXPECT_GT(fit.id, swing::kMonotoneCurves);
    EXPECT_FLOAT_EQ(fit.slip_samples, 0.0f);  // tau 0.5 is on the grid
    const float peak = static_cast<float>(fit.end) * bank().value(fit.id, 0.5f);
    // The grid's ratio step bounds the error; least squares shares it between the two points.
    EXPECT_NEAR(peak, 1000.0f, 100.0f);
    EXPECT_NEAR(fit.end, -800, 100);
    EXPECT_NEAR(fit.error,
                (peak - 1000.0f) * (peak - 1000.0f) + (fit.end + 800.0f) * (fit.end + 800.0f),
                1.0f);
}

TEST(SwingFit, ASwingBackToTheStartIsApproximated) {
    // q = -1 has no r; the nearest swings end a little off the start.
    const SwingFit fit = fit_swing(100.0f, 2100.0f, 100.0f, 10, 20);
    EXPECT_LT(std::sqrt(fit.error), 0.2f * 2000.0f);
}

TEST(SwingBank, HostileSwingsSaturateInsteadOfOverflowing) {
    // The tallest swings between the int16 extremes overshoot full scale about nine times.
    const std::uint8_t tallest = swing::swing_id(4, swing::kRatioSteps / 2 - 1);
    ASSERT_GT(swing::peak(swing::kRatioSteps / 2 - 1), 9.0);
    const std::vector<Record> records{Record::curve(tallest, 500, 32767),
                                      Record::curve(tallest, 500, -32768),
                                      Record::curve(swing::swing_id(0, 0), 3, 0)};
    const auto decoded = decode_all(records, bank());
    ASSERT_EQ(decoded.size(), 1003u);
    EXPECT_EQ(*std::max_element(decoded.begin(), decoded.end()), 32767);
    EXPECT_EQ(*std::min_element(decoded.begin(), decoded.end()), -32768);
    EXPECT_EQ(decoded.back(), 0);
}

std::vector<Record> encode_in_blocks(std::span<const std::int16_t> samples,
                                     const EncoderConfig& config, std::size_t block) {
    Encoder encoder(config, bank());
    std::vector<Record> records;
    for (std::size_t at = 0; at < samples.size(); at += block)
        encoder.push(samples.subspan(at, std::min(block, samples.size() - at)), records);
    encoder.flush(records);
    return records;
}

EncoderConfig live(double kbps) {
    EncoderConfig c;
    c.sample_rate_hz = 44100.0;
    c.max_segment_ms = 5.0;
    c.target_kbps = kbps;
    return c;
}

TEST(SwingEncoder, OneRecordPerCycleOfASine) {
    EncoderConfig c;
    c.sample_rate_hz = 48000.0;
    const auto tone = test::sine(300.0, 10000.0, 48000, 48000.0);
    const auto standard = encode_all(tone, c);
    const auto swung = encode_all(tone, c, bank());
    std::size_t swings = 0;
    for (const auto& r : swung) swings += !r.is_silence() && r.id > swing::kMonotoneCurves;
    // Standard: a record per half-cycle (600 per second); swings: nearly one per cycle.
    EXPECT_GT(standard.size(), 580u);
    EXPECT_LT(swung.size(), 0.6 * static_cast<double>(standard.size()));
    EXPECT_GT(swings, 250u);
    const auto decoded = decode_all(swung, bank());
    ASSERT_EQ(decoded.size(), tone.size());
    double signal = 0.0, noise = 0.0;
    for (std::size_t i = 0; i < tone.size(); ++i) {
        signal += double(tone[i]) * tone[i];
        noise += (double(tone[i]) - decoded[i]) * (double(tone[i]) - decoded[i]);
    }
    // The ratio grid's step costs some accuracy of each swing's height.
    EXPECT_GT(10.0 * std::log10(signal / noise), 15.0);
}

TEST(SwingEncoder, RecordsDoNotDependOnBlockSizes) {
    const auto speech = test::speech();
    EncoderConfig c = live(32.0);
    c.lowpass_hz = 3500.0;
    const auto whole = encode_all(speech, c, bank());
    for (std::size_t block : {1u, 7u, 220u, 221u, 4096u})
        EXPECT_EQ(encode_in_blocks(speech, c, block), whole) << "block " << block;
    Encoder encoder(c, bank());
    std::vector<Record> records;
    std::mt19937 rng(9);
    std::span<const std::int16_t> rest(speech);
    while (!rest.empty()) {
        const std::size_t n = std::min<std::size_t>(rest.size(), rng() % 500);
        encoder.push(rest.first(n), records);
        rest = rest.subspan(n);
    }
    encoder.flush(records);
    EXPECT_EQ(records, whole);
}

TEST(SwingEncoder, LatencyCapBoundsEveryRecordAndThePendingSamples) {
    Encoder encoder(live(0.0), bank());
    ASSERT_EQ(encoder.segment_cap(), 221u);
    test::expect_latency_cap_holds(encoder, 221u);
}

TEST(SwingEncoder, PushAllocatesNothing) {
    const auto speech = test::speech();
    Encoder encoder(live(24.0), bank());
    std::vector<Record> records;
    records.reserve(speech.size());
    test::AllocationCounter counter;
    for (std::size_t at = 0; at + 441 <= speech.size(); at += 441)
        encoder.push(std::span<const std::int16_t>(speech).subspan(at, 441), records);
    encoder.flush(records);
    EXPECT_EQ(counter.count(), 0u);
    EXPECT_GT(records.size(), 100u);
}

}  // namespace
}  // namespace extrema::codec
