// Rate-distortion segmentation (Segmentation::kRd, rd_segmenter.h): the records do not depend on
// block sizes, the latency cap holds, nothing is allocated per sample, bad configs are refused,
// and the search trades records for error as lambda says. Its rate accuracy on speech is tested
// with the other banks' in test_rate_control.cpp (RdSpeechRate).
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
#include "extrema/codec/rd_segmenter.h"
#include "extrema/codec/swing_bank.h"
#include "signals.h"

namespace extrema::codec {
namespace {

EncoderConfig rd(double kbps, double rate_hz = 44100.0) {
    EncoderConfig c;
    c.sample_rate_hz = rate_hz;
    c.max_segment_ms = 5.0;  // the link's default latency cap
    c.target_kbps = kbps;
    c.segmentation = Segmentation::kRd;
    return c;
}

const CurveBank* const kBanks[] = {&CurveBank::standard(), &CurveBank::swing()};

std::vector<Record> encode_in_blocks(std::span<const std::int16_t> samples, const EncoderConfig& c,
                                     std::size_t block, const CurveBank& bank) {
    Encoder encoder(c, bank);
    std::vector<Record> records;
    for (std::size_t at = 0; at < samples.size(); at += block)
        encoder.push(samples.subspan(at, std::min(block, samples.size() - at)), records);
    encoder.flush(records);
    return records;
}

double snr_db(std::span<const std::int16_t> ref, std::span<const std::int16_t> test) {
    double signal = 0.0, noise = 0.0;
    for (std::size_t i = 0; i < ref.size(); ++i) {
        signal += double(ref[i]) * ref[i];
        const double d = double(ref[i]) - test[i];
        noise += d * d;
    }
    return 10.0 * std::log10(signal / noise);
}

TEST(RdSegmenter, RecordsDoNotDependOnBlockSizes) {
    const auto speech = test::speech();
    for (const CurveBank* bank : kBanks) {
        for (double kbps : {0.0, 32.0}) {
            EncoderConfig c = rd(kbps);
            c.lowpass_hz = 3500.0;
            const auto whole = encode_all(speech, c, *bank);
            ASSERT_GT(whole.size(), 100u);
            for (std::size_t block : {1u, 7u, 220u, 221u, 4096u})
                EXPECT_EQ(encode_in_blocks(speech, c, block, *bank), whole)
                    << bank->name() << " block " << block;
            Encoder encoder(c, *bank);
            std::vector<Record> records;
            std::mt19937 rng(11);
            std::span<const std::int16_t> rest(speech);
            while (!rest.empty()) {
                const std::size_t n = std::min<std::size_t>(rest.size(), rng() % 600);
                encoder.push(rest.first(n), records);
                rest = rest.subspan(n);
            }
            encoder.flush(records);
            EXPECT_EQ(records, whole) << bank->name();
        }
    }
}

TEST(RdSegmenter, LatencyCapBoundsEveryRecordAndThePendingSamples) {
    for (const CurveBank* bank : kBanks) {
        Encoder encoder(rd(0.0), *bank);
        ASSERT_EQ(encoder.segment_cap(), 221u);
        test::expect_latency_cap_holds(encoder, 221u);
    }
}

TEST(RdSegmenter, PushAllocatesNothing) {
    const auto speech = test::speech();
    for (const CurveBank* bank : kBanks) {
        Encoder encoder(rd(24.0), *bank);
        std::vector<Record> records;
        records.reserve(speech.size());
        test::AllocationCounter counter;
        for (std::size_t at = 0; at + 441 <= speech.size(); at += 441)
            encoder.push(std::span<const std::int16_t>(speech).subspan(at, 441), records);
        encoder.flush(records);
        EXPECT_EQ(counter.count(), 0u) << bank->name();
        EXPECT_GT(records.size(), 100u);
    }
}

TEST(RdSegmenter, BadConfigIsRefused) {
    // A window shorter than 4 samples leaves the search nothing to choose.
    EncoderConfig c = rd(0.0, 8000.0);
    c.max_segment_ms = 0.3;  // 2 samples at 8 kHz
    EXPECT_THROW(Encoder{c}, std::invalid_argument);
    c.max_segment_ms = 0.5;  // 4 samples
    EXPECT_NO_THROW(Encoder{c});
    EXPECT_THROW(RdSegmenter(3, CurveBank::standard()), std::invalid_argument);
    EXPECT_THROW(RdSegmenter(kMaxCurveSamples + 1, CurveBank::standard()), std::invalid_argument);
    c = rd(-1.0);
    EXPECT_THROW(Encoder{c}, std::invalid_argument);
}

TEST(RdSegmenter, FileWindowWithoutACapIsBoundedToo) {
    EncoderConfig c = rd(0.0);
    c.max_segment_ms = 0.0;
    Encoder encoder(c);
    const auto tone = test::sine(200.0, 8000.0, 44100);
    std::vector<Record> records;
    std::uint64_t most = 0;
    for (std::size_t at = 0; at < tone.size(); at += 100) {
        encoder.push(std::span<const std::int16_t>(tone).subspan(at, 100), records);
        most = std::max(most, encoder.pending_samples());
    }
    EXPECT_LE(most, kMaxCurveSamples);
    EXPECT_GT(most, 0u);
}

TEST(RdSegmenter, FollowsASineWithAboutOneRecordPerHalfCycle) {
    EncoderConfig c = rd(0.0, 48000.0);
    const auto tone = test::sine(300.0, 10000.0, 48000, 48000.0);
    for (const CurveBank* bank : kBanks) {
        const auto records = encode_all(tone, c, *bank);
        const auto decoded = decode_all(records, *bank);
        ASSERT_EQ(decoded.size(), tone.size());
        EXPECT_GT(snr_db(tone, decoded), 20.0) << bank->name();
        // 600 half-cycles and 200 windows of 240 samples: a record per half-cycle and at most
        // one more per window where it cuts one.
        EXPECT_LT(records.size(), 850u) << bank->name();
    }
}

TEST(RdSegmenter, ALargerThresholdBuysFewerRecordsForMoreError) {
    const auto speech = test::speech();
    EncoderConfig fine = rd(0.0);
    fine.threshold_lsb = 30.0f;
    EncoderConfig coarse = fine;
    coarse.threshold_lsb = 300.0f;
    const auto a = encode_all(speech, fine);
    const auto b = encode_all(speech, coarse);
    EXPECT_LT(b.size(), a.size() * 3 / 4);
    EXPECT_GT(snr_db(speech, decode_all(a)), snr_db(speech, decode_all(b)));
}

TEST(RdSegmenter, SilenceIsRecordedAsSilence) {
    const auto zeros = test::constant(0, 44100);
    const auto records = encode_all(zeros, rd(0.0));
    for (const auto& r : records) EXPECT_TRUE(r.is_silence());
    EXPECT_EQ(count_samples(records), zeros.size());
}

}  // namespace
}  // namespace extrema::codec
