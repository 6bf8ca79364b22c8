#include "extrema/quality/align.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "extrema/quality/error.h"
#include "test_signals.h"

namespace extrema::quality {
namespace {

std::vector<float> delayed(std::span<const float> signal, std::size_t delay, double gain) {
    std::vector<float> out(delay, 0.0f);
    const auto body = test::scaled(signal, gain);
    out.insert(out.end(), body.begin(), body.end());
    return out;
}

TEST(Align, RecoversKnownDelayOfAttenuatedSpeech) {
    const auto speech = test::load_speech();
    if (!speech) GTEST_SKIP() << "speech file missing";
    const auto test_signal = delayed(speech->samples, 123, 0.5);
    EXPECT_EQ(estimate_delay_samples(speech->samples, test_signal, speech->rate_hz), 123);
}

TEST(Align, RecoversDelayThroughNoise) {
    const auto speech = test::load_speech();
    if (!speech) GTEST_SKIP() << "speech file missing";
    const auto noisy = test::add_noise_at_snr(speech->samples, 5.0, 7);
    EXPECT_EQ(estimate_delay_samples(speech->samples, delayed(noisy, 123, 1.0), speech->rate_hz),
              123);
}

TEST(Align, RecoversNegativeDelay) {
    const auto ref = test::white_noise(16000, 1);
    const std::vector<float> early(ref.begin() + 200, ref.end());  // test starts 200 samples late
    EXPECT_EQ(estimate_delay_samples(ref, early, 16000), -200);
}

TEST(Align, IdenticalSignalsHaveZeroDelay) {
    const auto ref = test::white_noise(8000, 2);
    EXPECT_EQ(estimate_delay_samples(ref, ref, 8000), 0);
}

TEST(Align, UsesTheLoudestStretchOfLongSignals) {
    // 12 s of silence then 5 s of noise: the first 10 s window alone would hold no signal.
    constexpr int kRate = 8000;
    std::vector<float> ref(12 * kRate, 0.0f);
    const auto noise = test::white_noise(5 * kRate, 3);
    ref.insert(ref.end(), noise.begin(), noise.end());
    EXPECT_EQ(estimate_delay_samples(ref, delayed(ref, 321, 0.25), kRate), 321);
}

TEST(Align, SearchIsBounded) {
    constexpr int kRate = 8000;
    const auto ref = test::white_noise(4 * kRate, 4);
    const auto late = delayed(ref, 2 * kRate, 1.0);  // 2 s: outside the default 1 s range
    const auto delay = estimate_delay_samples(ref, late, kRate);
    EXPECT_LE(std::abs(delay), kRate);
    EXPECT_EQ(estimate_delay_samples(ref, delayed(ref, 40, 1.0), kRate, 0.01), 40);
    EXPECT_NE(estimate_delay_samples(ref, delayed(ref, 400, 1.0), kRate, 0.01), 400);
    EXPECT_EQ(estimate_delay_samples(ref, delayed(ref, 400, 1.0), kRate, 1e300), 400);
}

TEST(Align, AlignedPairIsTheOverlap) {
    const std::vector<float> ref = {1, 2, 3, 4, 5};
    const std::vector<float> late = {0, 0, 1, 2, 3, 4};
    const AlignedPair pair = align(ref, late, 2);
    ASSERT_EQ(pair.ref.size(), 4u);
    ASSERT_EQ(pair.test.size(), 4u);
    EXPECT_TRUE(std::equal(pair.ref.begin(), pair.ref.end(), pair.test.begin()));

    const std::vector<float> early = {3, 4, 5, 6, 7, 8};
    const AlignedPair back = align(ref, early, -2);
    ASSERT_EQ(back.ref.size(), 3u);
    EXPECT_TRUE(std::equal(back.ref.begin(), back.ref.end(), back.test.begin()));
}

TEST(Align, BadInputsThrow) {
    const std::vector<float> some = {1, 2, 3};
    const std::vector<float> none;
    EXPECT_THROW(estimate_delay_samples(none, some, 8000), QualityError);
    EXPECT_THROW(estimate_delay_samples(some, none, 8000), QualityError);
    EXPECT_THROW(estimate_delay_samples(some, some, 0), QualityError);
    EXPECT_THROW(estimate_delay_samples(some, some, 8000, -1.0), QualityError);
    EXPECT_THROW(align(some, some, 3), QualityError);
    EXPECT_THROW(align(some, some, -3), QualityError);
}

}  // namespace
}  // namespace extrema::quality
