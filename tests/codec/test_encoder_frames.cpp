// The encoder's frames (EncoderConfig::frame_ms): a record boundary at every frame end, for every
// segmentation and bank, whatever the block sizes.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "extrema/codec/encoder.h"
#include "signals.h"

namespace extrema::codec {
namespace {

constexpr double kFrameMs = 10.0;
// 441 samples at the test signals' 44.1 kHz.
const auto kFrame = static_cast<std::size_t>(std::lround(kFrameMs * test::kRateHz / 1000.0));

struct FrameCase {
    std::string name;
    Segmentation segmentation = Segmentation::kPeaks;
    double target_kbps = 0.0;
    bool swing_bank = false;
};

class EncoderFrames : public ::testing::TestWithParam<FrameCase> {
  protected:
    EncoderConfig config() const {
        EncoderConfig c;
        c.sample_rate_hz = test::kRateHz;
        c.segmentation = GetParam().segmentation;
        c.target_kbps = GetParam().target_kbps;
        c.max_segment_ms = 5.0;
        c.frame_ms = kFrameMs;
        return c;
    }
    const CurveBank& bank() const {
        return GetParam().swing_bank ? CurveBank::swing() : CurveBank::standard();
    }
    std::vector<Record> encode(std::span<const std::int16_t> samples, std::size_t block) const {
        Encoder encoder(config(), bank());
        std::vector<Record> records;
        for (std::size_t at = 0; at < samples.size(); at += block)
            encoder.push(samples.subspan(at, std::min(block, samples.size() - at)), records);
        encoder.flush(records);
        return records;
    }
};

std::set<std::uint64_t> record_ends(const std::vector<Record>& records) {
    std::set<std::uint64_t> ends;
    std::uint64_t at = 0;
    for (const auto& r : records) {
        at += r.samples;
        ends.insert(at);
    }
    return ends;
}

TEST_P(EncoderFrames, EveryFrameEndIsARecordBoundary) {
    const auto speech = test::speech();
    const auto records = encode(speech, 4096);
    const auto ends = record_ends(records);
    ASSERT_EQ(*ends.rbegin(), speech.size());
    for (std::uint64_t end = kFrame; end <= speech.size(); end += kFrame)
        ASSERT_TRUE(ends.count(end)) << "no record ends at sample " << end;
}

TEST_P(EncoderFrames, NothingIsPendingAtAFrameEnd) {
    const auto speech = test::speech();
    Encoder encoder(config(), bank());
    std::vector<Record> records;
    for (std::size_t at = 0; at + kFrame <= speech.size(); at += kFrame) {
        encoder.push(std::span<const std::int16_t>(speech).subspan(at, kFrame), records);
        EXPECT_EQ(encoder.pending_samples(), 0u) << "after sample " << at + kFrame;
    }
}

TEST_P(EncoderFrames, RecordsDoNotDependOnBlockSizes) {
    const auto speech = test::speech();
    const auto whole = encode(speech, speech.size());
    for (std::size_t block : {1u, 7u, 64u, 441u, 1000u})
        EXPECT_EQ(encode(speech, block), whole) << "block " << block;
    Encoder encoder(config(), bank());
    std::vector<Record> records;
    std::mt19937 rng(5);
    std::span<const std::int16_t> rest(speech);
    while (!rest.empty()) {
        const std::size_t n = std::min<std::size_t>(rest.size(), rng() % 900);
        encoder.push(rest.first(n), records);
        rest = rest.subspan(n);
    }
    encoder.flush(records);
    EXPECT_EQ(records, whole);
}

INSTANTIATE_TEST_SUITE_P(
    Encoder, EncoderFrames,
    ::testing::Values(FrameCase{"Peaks", Segmentation::kPeaks, 0.0, false},
                      FrameCase{"PeaksAt32Kbps", Segmentation::kPeaks, 32.0, false},
                      FrameCase{"Seed", Segmentation::kSeedSteps, 0.0, false},
                      FrameCase{"Rd", Segmentation::kRd, 0.0, false},
                      FrameCase{"Swing", Segmentation::kPeaks, 0.0, true}),
    [](const ::testing::TestParamInfo<FrameCase>& param) { return param.param.name; });

TEST(EncoderFrame, BadFramesAreRefused) {
    for (const double ms : {-1.0, kMaxFrameMs + 1.0, std::numeric_limits<double>::quiet_NaN(),
                            std::numeric_limits<double>::infinity(), 0.001}) {
        EncoderConfig config;
        config.sample_rate_hz = 8000.0;
        config.frame_ms = ms;
        EXPECT_THROW(Encoder{config}, std::invalid_argument) << ms;
    }
    EncoderConfig config;
    config.frame_ms = kMaxFrameMs;
    EXPECT_NO_THROW(Encoder{config});
}

}  // namespace
}  // namespace extrema::codec
