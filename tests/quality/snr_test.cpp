#include "extrema/quality/snr.h"

#include <gtest/gtest.h>

#include <limits>
#include <vector>

#include "extrema/quality/error.h"
#include "test_signals.h"

namespace extrema::quality {
namespace {

TEST(Snr, IdenticalSignalsHitTheCeiling) {
    const auto ref = test::white_noise(1000, 1);
    EXPECT_DOUBLE_EQ(snr_db(ref, ref), kMaxSnrDb);
}

TEST(Snr, MeasuresAddedNoise) {
    const auto ref = test::sine(48000, 440.0, 48000, 0.5);
    for (const double target_db : {20.0, 10.0, 5.0, -3.0}) {
        EXPECT_NEAR(snr_db(ref, test::add_noise_at_snr(ref, target_db, 9)), target_db, 0.01);
    }
}

TEST(Snr, HalfAmplitudeIsSixDb) {
    const auto ref = test::white_noise(1000, 2);
    EXPECT_NEAR(snr_db(ref, test::scaled(ref, 0.5)), 6.0206, 1e-3);  // error = ref / 2
}

TEST(Snr, BadInputsThrow) {
    const std::vector<float> a = {1, 2, 3};
    const std::vector<float> b = {1, 2};
    const std::vector<float> silent = {0, 0, 0};
    const std::vector<float> nan = {1, std::numeric_limits<float>::quiet_NaN(), 3};
    EXPECT_THROW(snr_db(a, b), QualityError);
    EXPECT_THROW(snr_db({}, {}), QualityError);
    EXPECT_THROW(snr_db(silent, a), QualityError);
    EXPECT_THROW(snr_db(a, nan), QualityError);
}

}  // namespace
}  // namespace extrema::quality
