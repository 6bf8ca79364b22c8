// Encode -> decode on the signals of the codec issue: sample count preserved exactly, every curve
// ends exactly on its end value, every segment monotone, and the quality reasonable.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "extrema/codec/decoder.h"
#include "extrema/codec/encoder.h"
#include "extrema/codec/xtr_format.h"
#include "signals.h"

namespace extrema::codec {
namespace {

double snr_db(const std::vector<std::int16_t>& ref, const std::vector<std::int16_t>& test) {
    double signal = 0, noise = 0;
    for (std::size_t i = 0; i < ref.size(); ++i) {
        signal += double(ref[i]) * ref[i];
        noise += (double(ref[i]) - test[i]) * (double(ref[i]) - test[i]);
    }
    return 10.0 * std::log10(signal / std::max(noise, 1e-9));
}

struct Case {
    std::string name;
    std::vector<std::int16_t> samples;
    double
        min_snr_db;  // a floor that catches a broken codec, not a quality target (docs/quality.md)
};

std::vector<Case> cases() {
    return {
        {"sine", test::sine(440.0, 10000.0, 44100), 25.0},
        {"chirp", test::chirp(50.0, 5000.0, 12000.0, 44100), 15.0},
        {"noise", test::white_noise(5000.0, 20000), 0.0},
        {"silence", test::constant(0, 30000), 99.0},
        {"dc", test::constant(-1234, 30000), 60.0},
        {"square", test::square(100.0, 44100), 10.0},
        {"speech", test::speech(), 8.0},
    };
}

class RoundTrip : public ::testing::TestWithParam<Segmentation> {};

TEST_P(RoundTrip, PreservesCountEndsAndMonotonicity) {
    EncoderConfig config;
    config.segmentation = GetParam();
    for (const auto& c : cases()) {
        SCOPED_TRACE(c.name);
        const auto records = encode_all(c.samples, config);
        ASSERT_EQ(count_samples(records), c.samples.size());

        Decoder decoder;
        std::vector<std::int16_t> decoded;
        std::vector<std::int16_t> block(70000);
        for (const auto& r : records) {
            const std::int16_t from = decoder.position();
            decoder.push(r);
            const auto n = decoder.read(std::span<std::int16_t>(block).first(r.samples));
            ASSERT_EQ(n, r.samples);
            if (!r.is_silence() && n > 0) {
                EXPECT_EQ(block[n - 1], r.end);
                const bool up = r.end >= from;
                for (std::size_t i = 0; i < n; ++i) {
                    const std::int16_t prev = i == 0 ? from : block[i - 1];
                    ASSERT_TRUE(up ? block[i] >= prev : block[i] <= prev)
                        << "record not monotone at " << i;
                }
            }
            decoded.insert(decoded.end(), block.begin(),
                           block.begin() + static_cast<std::ptrdiff_t>(n));
        }
        EXPECT_EQ(decoded, decode_all(records));
        if (c.name != "silence")
            EXPECT_GE(snr_db(c.samples, decoded), c.min_snr_db);
        else
            EXPECT_EQ(decoded, c.samples);
    }
}

INSTANTIATE_TEST_SUITE_P(Codec, RoundTrip,
                         ::testing::Values(Segmentation::kPeaks, Segmentation::kSeedSteps));

TEST(RoundTrip, StandardBankBeatsTheNaivePowerBankOnSpeech) {
    const auto speech = test::speech();
    const auto with_standard =
        decode_all(encode_all(speech, EncoderConfig{}, CurveBank::standard()));
    const auto with_power =
        decode_all(encode_all(speech, EncoderConfig{}, CurveBank::power()), CurveBank::power());
    EXPECT_GT(snr_db(speech, with_standard), snr_db(speech, with_power) + 1.0);
}

}  // namespace
}  // namespace extrema::codec
