// The curve search's exact shortcuts (curve_cells.h for 2 and 3 samples, curve_blocks.h beyond)
// must choose what the full sweep chooses, ties included, on any segment. On a CPU without FMA or
// AVX-512 the shortcuts are off and these tests compare the sweep with itself.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "extrema/codec/curve_matcher.h"
#include "extrema/codec/encoder.h"
#include "signals.h"

namespace extrema::codec {
namespace {

// Segments of n samples between two int16 values, drawn to hit the shortcuts' edge cases: exact
// renderings of bank curves (ties between curves that meet at a point), flat runs, overshoots,
// full-scale swings and one-LSB heights (targets far outside [0, 1]).
class SegmentSource {
  public:
    SegmentSource(const CurveBank& bank, unsigned seed) : bank_(bank), rng_(seed) {}

    void next(std::size_t n, std::vector<float>& samples, float& from, float& to) {
        const int kind = pick(0, 9);
        from = static_cast<float>(pick(-32768, 32767));
        to = static_cast<float>(pick(-32768, 32767));
        if (kind == 0) to = from + static_cast<float>(pick(0, 1) == 0 ? -1 : 1);
        if (kind == 1) {
            from = -32768.0f;
            to = 32767.0f;
        }
        samples.resize(n);
        const float height = to - from;
        const auto id = static_cast<std::uint8_t>(pick(1, 255));
        for (std::size_t i = 0; i < n; ++i) {
            const float t = static_cast<float>(i + 1) / static_cast<float>(n);
            float s = 0.0f;
            switch (kind) {
                case 2:  // a bank curve as the decoder renders it, unrounded
                    s = from + height * bank_.value(id, t);
                    break;
                case 3:  // the same, rounded to int16 like real samples
                    s = std::round(from + height * bank_.value(id, t));
                    break;
                case 4:  // flat at either end
                    s = pick(0, 1) == 0 ? from : to;
                    break;
                case 5:  // overshoots past both ends
                    s = from + height * uniform(-0.5f, 1.5f);
                    break;
                case 6:  // anywhere on the int16 scale
                    s = static_cast<float>(pick(-32768, 32767));
                    break;
                case 7:  // a straight line: many curves nearly tie
                    s = from + height * t;
                    break;
                default:  // inside the segment's range, fractional like low-passed samples
                    s = from + height * uniform(0.0f, 1.0f);
            }
            samples[i] = std::clamp(s, -32768.0f, 32767.0f);
        }
        samples[n - 1] = to;
    }

  private:
    int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
    float uniform(float lo, float hi) {
        return std::uniform_real_distribution<float>(lo, hi)(rng_);
    }

    const CurveBank& bank_;
    std::mt19937 rng_;
};

void expect_same_as_sweep(const CurveBank& bank, std::size_t n, int count, unsigned seed) {
    const CurveMatcher matcher(bank);
    SegmentSource source(bank, seed);
    std::vector<float> samples;
    float from = 0.0f, to = 0.0f;
    int differ = 0;
    for (int i = 0; i < count; ++i) {
        source.next(n, samples, from, to);
        const auto fast = matcher.best(samples, from, to);
        const auto swept = matcher.best_by_sweep(samples, from, to);
        if (fast != swept && ++differ <= 5) {
            ADD_FAILURE() << bank.name() << " n " << n << " from " << from << " to " << to << ": "
                          << int{fast} << " vs sweep " << int{swept};
        }
    }
    EXPECT_EQ(differ, 0) << bank.name() << " n " << n;
}

TEST(CurveSearch, TwoSampleSegmentsChooseAsTheSweep) {
    expect_same_as_sweep(CurveBank::standard(), 2, 100000, 1);
    expect_same_as_sweep(CurveBank::power(), 2, 20000, 2);
}

TEST(CurveSearch, ThreeSampleSegmentsChooseAsTheSweep) {
    expect_same_as_sweep(CurveBank::standard(), 3, 100000, 3);
    expect_same_as_sweep(CurveBank::power(), 3, 20000, 4);
}

TEST(CurveSearch, LongerSegmentsChooseAsTheSweep) {
    for (std::size_t n : {4u, 5u, 7u, 9u, 16u, 17u, 40u, 301u})
        expect_same_as_sweep(CurveBank::standard(), n, 10000, static_cast<unsigned>(n));
    for (std::size_t n : {4u, 8u, 33u})
        expect_same_as_sweep(CurveBank::power(), n, 5000, static_cast<unsigned>(100 + n));
}

TEST(CurveSearch, EveryTwoSampleTargetOnAFineGrid) {
    // The one-axis lattice, densely: every target v = k / 2^16 over [-0.5, 1.5] in a unit
    // segment, which crosses every cell border and every tie of the bank at t = 1/2.
    const CurveMatcher matcher(CurveBank::standard());
    int differ = 0;
    for (int k = -(1 << 15); k <= 3 << 15; ++k) {
        const float s[2] = {static_cast<float>(k) / 65536.0f, 1.0f};
        if (matcher.best(s, 0.0f, 1.0f) != matcher.best_by_sweep(s, 0.0f, 1.0f)) ++differ;
    }
    EXPECT_EQ(differ, 0);
}

TEST(CurveSearch, ShortSegmentsScoreFewCurves) {
    const CurveMatcher matcher(CurveBank::standard());
    EXPECT_LT(matcher.mean_candidates(2), 3.0);
    EXPECT_LT(matcher.mean_candidates(3), 8.0);
    RecordProperty("mean_candidates_2", std::to_string(matcher.mean_candidates(2)));
    RecordProperty("mean_candidates_3", std::to_string(matcher.mean_candidates(3)));
}

TEST(CurveSearch, EncoderRecordsMatchTheSweepOnSpeech) {
    // The encoder batches its searches: every record it returns must carry the sweep's choice.
    const auto speech = test::speech();
    EncoderConfig config;
    config.sample_rate_hz = 48000.0;
    Encoder encoder(config);
    // Records already in the output stay as they are; the new ones follow.
    std::vector<Record> records(3, Record::silence(7));
    for (std::size_t at = 0; at < speech.size(); at += 480) {
        encoder.push(std::span<const std::int16_t>(speech).subspan(
                         at, std::min<std::size_t>(480, speech.size() - at)),
                     records);
    }
    encoder.flush(records);
    ASSERT_GT(records.size(), 3u);
    EXPECT_EQ(std::vector<Record>(records.begin(), records.begin() + 3),
              std::vector<Record>(3, Record::silence(7)));
    EXPECT_EQ(std::vector<Record>(records.begin() + 3, records.end()), encode_all(speech, config));

    const CurveMatcher matcher(CurveBank::standard());
    std::int16_t pos = 0;
    std::size_t at = 0;
    for (auto it = records.begin() + 3; it != records.end(); ++it) {
        if (!it->is_silence()) {
            std::vector<float> segment(it->samples);
            for (std::size_t i = 0; i < segment.size(); ++i)
                segment[i] = static_cast<float>(speech[at + i]);
            ASSERT_EQ(it->id, matcher.best_by_sweep(segment, pos, it->end)) << "at " << at;
            pos = it->end;
        }
        at += it->samples;
    }
}

}  // namespace
}  // namespace extrema::codec
