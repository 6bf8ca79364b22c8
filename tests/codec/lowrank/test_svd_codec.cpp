// The codec end to end: full rank is lossless to -60 dB, quality rises with k on real speech,
// blocks join without seams, sizes follow the formula, invalid k is refused.
#include <gtest/gtest.h>

#include <cstdio>

#include "audio/sound_file.h"
#include "extrema/lowrank/svd_codec.h"
#include "test_signals.h"

namespace extrema::lowrank {
namespace {

using testing::error_db;

struct Speech {
    audio::SoundData data = audio::read_sound_file(testing::kSpeechPath);
    std::uint32_t rate() const { return static_cast<std::uint32_t>(data.info.rate_hz); }
};

std::vector<float> round_trip(const std::vector<float>& x, std::uint32_t rate_hz, int channels,
                              const SvdCodecConfig& config) {
    const XsvdFile file = encode_svd(x, rate_hz, channels, config);
    return decode_svd(parse_xsvd(serialize_xsvd(file)));
}

TEST(SvdCodec, FullRankReconstructsSpeech) {
    const Speech speech;
    SvdCodecConfig config;
    config.rank = max_rank(config, speech.data.samples.size());
    const std::vector<float> y = round_trip(speech.data.samples, speech.rate(), 1, config);
    ASSERT_EQ(y.size(), speech.data.samples.size());
    const double err = error_db(speech.data.samples, y);
    std::printf("full rank (k = %u) on speech: error %.1f dB\n", config.rank, err);
    EXPECT_LT(err, -60.0);
}

TEST(SvdCodec, FullRankReconstructsAcrossBlocksAndChannels) {
    // 4 blocks of 64 frames, stereo: the block joins must not show.
    const std::size_t n = 4 * 64 * 512 - 1000;
    const std::vector<float> left = testing::noise(n, 3), right = testing::tones(n, 48000.0);
    std::vector<float> x(2 * n);
    for (std::size_t i = 0; i < n; ++i) {
        x[2 * i] = left[i];
        x[2 * i + 1] = right[i];
    }
    SvdCodecConfig config;
    config.block_frames = 64;
    config.rank = max_rank(config, n);
    EXPECT_EQ(config.rank, 64u);
    const std::vector<float> y = round_trip(x, 48000, 2, config);
    ASSERT_EQ(y.size(), x.size());
    EXPECT_LT(error_db(x, y), -60.0);
}

TEST(SvdCodec, LowRankSignalHasNoSeamsAtBlockJoins) {
    // Three steady tones: rank 6 per part in every block, so k = 8 should be near exact across
    // every join; a seam would show as error concentrated at the block borders.
    const std::size_t n = 5 * 64 * 512;
    const std::vector<float> x = testing::tones(n, 48000.0);
    SvdCodecConfig config;
    config.block_frames = 64;
    config.rank = 8;
    const std::vector<float> y = round_trip(x, 48000, 1, config);
    EXPECT_LT(error_db(x, y), -50.0);
    for (std::size_t join = 1; join < 5; ++join) {
        const std::size_t at = join * 64 * 512 - 256 - 1024;  // padded frame grid -> samples
        const std::vector<float> xs(x.begin() + at, x.begin() + at + 2048);
        const std::vector<float> ys(y.begin() + at, y.begin() + at + 2048);
        EXPECT_LT(error_db(xs, ys), -45.0) << "join " << join;
    }
}

TEST(SvdCodec, QualityRisesWithRankOnSpeech) {
    const Speech speech;
    SvdCodecConfig config;
    const std::uint32_t top = max_rank(config, speech.data.samples.size());
    double previous_snr = -1e9;
    for (std::uint32_t k : {1u, 2u, 4u, 8u, 16u, 32u, 64u, 100u, top}) {
        config.rank = k;
        const XsvdFile file = encode_svd(speech.data.samples, speech.rate(), 1, config);
        const std::size_t bytes = serialize_xsvd(file).size();
        const std::vector<float> y = decode_svd(file);
        const double snr = -error_db(speech.data.samples, y);
        std::printf("k = %3u: SNR %6.2f dB, %7zu bytes (%.1f%% of 16-bit PCM)\n", k, snr, bytes,
                    100.0 * static_cast<double>(bytes) / (2.0 * static_cast<double>(y.size())));
        EXPECT_GT(snr, previous_snr) << "k " << k;
        previous_snr = snr;
    }
}

TEST(SvdCodec, SizesFollowTheFormula) {
    const std::size_t n = 3 * 40 * 512 + 777;  // 3 full blocks of 40 frames and a short one
    const std::vector<float> x = testing::noise(2 * n, 5);
    for (std::uint32_t k : {1u, 7u, 40u}) {
        SvdCodecConfig config;
        config.block_frames = 40;
        config.rank = k;
        const XsvdFile file = encode_svd(x, 44100, 2, config);
        // Written out from docs/svd-format.md, independently of xsvd_file_bytes().
        const std::uint64_t frames = 1 + (n + 511) / 512;
        const std::uint64_t rows = 513;
        std::uint64_t expected = 48;
        std::uint64_t blocks = 0;
        for (std::uint64_t first = 0; first < frames; first += 40, ++blocks) {
            const std::uint64_t cols = std::min<std::uint64_t>(40, frames - first);
            const std::uint64_t rank = std::min<std::uint64_t>(k, cols);
            // 2 channels x 2 parts of (1 + rows + cols) * rank values: float32 + int16s.
            expected += 4 + 2 * 2 * (4 * rank + 2 * (rows + cols) * rank);
        }
        EXPECT_EQ(file.header.block_count, blocks);
        EXPECT_EQ(serialize_xsvd(file).size(), expected) << "k " << k;
        EXPECT_EQ(xsvd_file_bytes(file.header), expected);
    }
}

TEST(SvdCodec, RefusesInvalidRank) {
    const std::vector<float> short_signal = testing::noise(10 * 512);  // 11 frames
    const std::vector<float> long_signal = testing::noise(600 * 512);  // > 513 frames
    SvdCodecConfig config;
    for (std::uint32_t k : {0u, 12u, 1000u}) {
        config.rank = k;
        try {
            encode_svd(short_signal, 48000, 1, config);
            ADD_FAILURE() << "accepted k " << k;
        } catch (const std::invalid_argument& e) {
            EXPECT_NE(std::string(e.what()).find("rank"), std::string::npos) << e.what();
            EXPECT_NE(std::string(e.what()).find("1..11"), std::string::npos) << e.what();
        }
    }
    config.rank = 11;
    EXPECT_NO_THROW(encode_svd(short_signal, 48000, 1, config));
    config.rank = 513;  // 513 bins x 512 frames per block: rank at most 512
    EXPECT_THROW(encode_svd(long_signal, 48000, 1, config), std::invalid_argument);
    config.rank = 0;
    EXPECT_THROW(SvdEncoder(config, 48000, 1, 100000), std::invalid_argument);
}

TEST(SvdCodec, QuantisationCostsLittleAtFullRank) {
    // The int16 factors alone (no truncation): relative error of one full-rank matrix.
    const std::uint32_t rows = 513, cols = 200;
    const std::vector<float> values = testing::noise(std::size_t{rows} * cols, 11);
    const std::vector<double> m(values.begin(), values.end());
    const QuantizedFactors f = factorize(m, rows, cols, cols);
    std::vector<double> back(m.size());
    reconstruct(f, back);
    double signal = 0.0, error = 0.0;
    for (std::size_t i = 0; i < m.size(); ++i) {
        signal += m[i] * m[i];
        error += (m[i] - back[i]) * (m[i] - back[i]);
    }
    const double err_db = 10.0 * std::log10(error / signal);
    std::printf("int16 quantisation error at full rank on noise: %.1f dB\n", err_db);
    EXPECT_LT(err_db, -70.0);
}

}  // namespace
}  // namespace extrema::lowrank
