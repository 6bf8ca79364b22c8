#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "encoder_checks.h"
#include "extrema/codec/encoder.h"
#include "extrema/codec/xtr_format.h"
#include "signals.h"

namespace extrema::codec {
namespace {

std::vector<Record> encode_in_blocks(std::span<const std::int16_t> samples,
                                     const EncoderConfig& config, std::size_t block) {
    Encoder encoder(config);
    std::vector<Record> records;
    for (std::size_t at = 0; at < samples.size(); at += block) {
        encoder.push(samples.subspan(at, std::min(block, samples.size() - at)), records);
    }
    encoder.flush(records);
    return records;
}

class BothSegmentations : public ::testing::TestWithParam<Segmentation> {
  protected:
    EncoderConfig config() const {
        EncoderConfig c;
        c.segmentation = GetParam();
        return c;
    }
};

TEST_P(BothSegmentations, RecordsDoNotDependOnBlockSizes) {
    const auto speech = test::speech();
    const auto whole = encode_all(speech, config());
    for (std::size_t block : {1u, 7u, 64u, 441u, 100000u}) {
        EXPECT_EQ(encode_in_blocks(speech, config(), block), whole) << "block " << block;
    }
    // Random block sizes too.
    Encoder encoder(config());
    std::vector<Record> records;
    std::mt19937 rng(3);
    std::span<const std::int16_t> rest(speech);
    while (!rest.empty()) {
        const std::size_t n = std::min<std::size_t>(rest.size(), rng() % 300);
        encoder.push(rest.first(n), records);
        rest = rest.subspan(n);
    }
    encoder.flush(records);
    EXPECT_EQ(records, whole);
}

TEST_P(BothSegmentations, FloatAndInt16InputAgree) {
    const auto tone = test::sine(440.0, 12000.0, 4410);
    std::vector<float> as_float(tone.size());
    for (std::size_t i = 0; i < tone.size(); ++i)
        as_float[i] = static_cast<float>(tone[i]) / 32767.0f;
    Encoder a(config()), b(config());
    std::vector<Record> ra, rb;
    a.push(std::span<const std::int16_t>(tone), ra);
    a.flush(ra);
    b.push(std::span<const float>(as_float), rb);
    b.flush(rb);
    EXPECT_EQ(ra, rb);
}

TEST_P(BothSegmentations, LatencyCapBoundsEveryRecordAndThePendingSamples) {
    EncoderConfig c = config();
    c.max_segment_ms = 5.0;  // 220.5 -> 221 samples at 44.1 kHz
    Encoder encoder(c);
    EXPECT_EQ(encoder.segment_cap(), 221u);
    test::expect_latency_cap_holds(encoder, 221u);
}

TEST_P(BothSegmentations, LongCurvesAreSplitAtTheU16Limit) {
    // A ramp rising by less than the threshold per sample but steadily: one long upward run.
    std::vector<std::int16_t> ramp(200000);
    for (std::size_t i = 0; i < ramp.size(); ++i)
        ramp[i] = static_cast<std::int16_t>(-30000 + static_cast<long>(i) * 3 / 10);
    EncoderConfig c = config();
    c.threshold_lsb = 0.1f;
    const auto records = encode_all(ramp, c);
    EXPECT_EQ(count_samples(records), ramp.size());
    for (const auto& r : records) EXPECT_LE(r.samples, kMaxCurveSamples);
}

TEST_P(BothSegmentations, BadConfigIsRejected) {
    EncoderConfig c = config();
    c.threshold_lsb = -1.0f;
    EXPECT_THROW(Encoder{c}, std::invalid_argument);
    c = config();
    c.sample_rate_hz = 0.0;
    EXPECT_THROW(Encoder{c}, std::invalid_argument);
    c = config();
    c.lowpass_hz = 30000.0;
    EXPECT_THROW(Encoder{c}, std::invalid_argument);
    c = config();
    c.max_segment_ms = 0.001;
    EXPECT_THROW(Encoder{c}, std::invalid_argument);
}

TEST_P(BothSegmentations, NanAndOutOfRangeFloatsAreSafe) {
    Encoder encoder(config());
    std::vector<Record> records;
    const std::vector<float> hostile{NAN, 5.0f, -5.0f, INFINITY, -INFINITY, 0.5f, NAN};
    encoder.push(std::span<const float>(hostile), records);
    encoder.flush(records);
    EXPECT_EQ(count_samples(records), hostile.size());
}

INSTANTIATE_TEST_SUITE_P(Encoder, BothSegmentations,
                         ::testing::Values(Segmentation::kPeaks, Segmentation::kSeedSteps),
                         [](const auto& p) {
                             return p.param == Segmentation::kPeaks ? "Peaks" : "Seed";
                         });

TEST(EncoderPeaks, DigitalSilenceIsOneSilenceRecord) {
    const auto records = encode_all(test::constant(0, 10000), EncoderConfig{});
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0], Record::silence(10000));
}

TEST(EncoderPeaks, SegmentsEndAtThePeaksOfASine) {
    // 441 Hz at 44.1 kHz: 100 samples a period, crests at 25 + 100 k, troughs at 75 + 100 k.
    const auto tone = test::sine(441.0, 20000.0, 1000);
    const auto records = encode_all(tone, EncoderConfig{});
    std::size_t at = 0;
    int extrema = 0;
    for (const auto& r : records) {
        at += r.samples;
        if (!r.is_silence() && std::abs(r.end) > 19990) {
            ++extrema;
            EXPECT_EQ((at - 1) % 50, 25u) << "record ends at sample " << at - 1;
        }
    }
    EXPECT_EQ(extrema, 20);
}

TEST(EncoderSeed, FollowsTheSeedsStepRule) {
    // Steps: up, up, still, down: the seed makes [up run][still run][down run].
    const std::vector<std::int16_t> s{0, 100, 200, 210, 100};
    EncoderConfig c;
    c.segmentation = Segmentation::kSeedSteps;
    const auto records = encode_all(s, c);
    // First sample 0 is "still" against 0, then 100 and 200 go up, 210 is still, 100 goes down.
    ASSERT_EQ(records.size(), 4u);
    EXPECT_EQ(records[0], Record::silence(1));
    EXPECT_EQ(records[1].samples, 2u);
    EXPECT_EQ(records[1].end, 200);
    EXPECT_EQ(records[2], Record::silence(1));
    EXPECT_EQ(records[3].samples, 1u);
    EXPECT_EQ(records[3].end, 100);
}

TEST(EncoderSeed, RunClosedByTheCapIsNotClosedAgain) {
    // A rising run as long as the cap (5 ms = 221 samples), then a fall: the cap closes the run
    // on its last sample, and the turn must not close an empty segment (no anchor record).
    std::vector<std::int16_t> s;
    for (int i = 1; i <= 221; ++i) s.push_back(static_cast<std::int16_t>(i * 100));
    s.push_back(0);
    EncoderConfig c;
    c.segmentation = Segmentation::kSeedSteps;
    c.max_segment_ms = 5.0;
    const auto records = encode_all(s, c);
    ASSERT_EQ(records.size(), 2u);
    EXPECT_EQ(records[0].samples, 221u);
    EXPECT_EQ(records[0].end, 22100);
    EXPECT_EQ(records[1].samples, 1u);
    EXPECT_EQ(records[1].end, 0);
}

TEST(EncoderLowpass, PrefilterLengthensSegmentsOnNoise) {
    const auto noise = test::white_noise(8000.0, 44100);
    EncoderConfig plain, filtered;
    filtered.lowpass_hz = 3000.0;
    EXPECT_LT(encode_all(noise, filtered).size() * 2, encode_all(noise, plain).size());
}

}  // namespace
}  // namespace extrema::codec
