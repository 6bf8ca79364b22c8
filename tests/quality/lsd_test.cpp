#include "extrema/quality/lsd.h"

#include <gtest/gtest.h>

#include <vector>

#include "extrema/quality/error.h"
#include "test_signals.h"

namespace extrema::quality {
namespace {

constexpr int kRate = 16000;

TEST(Lsd, ZeroForIdenticalSignals) {
    const auto ref = test::white_noise(kRate, 1);
    EXPECT_EQ(log_spectral_distance_db(ref, ref, kRate), 0.0);
}

TEST(Lsd, GainIsAUniformSpectralOffset) {
    // Half amplitude is -6.02 dB in every bin (all far above the power floor).
    const auto ref = test::scaled(test::white_noise(kRate, 2), 0.1);
    EXPECT_NEAR(log_spectral_distance_db(ref, test::scaled(ref, 0.5), kRate), 6.0206, 1e-3);
}

TEST(Lsd, GrowsWithNoise) {
    const auto ref = test::sine(kRate, 440.0, kRate, 0.5);
    const double mild = log_spectral_distance_db(ref, test::add_noise_at_snr(ref, 30.0, 3), kRate);
    const double strong = log_spectral_distance_db(ref, test::add_noise_at_snr(ref, 0.0, 3), kRate);
    EXPECT_GT(mild, 0.0);
    EXPECT_GT(strong, mild);
}

TEST(Lsd, BadInputsThrow) {
    const auto ref = test::white_noise(100, 4);  // shorter than one 32 ms frame
    EXPECT_THROW(log_spectral_distance_db(ref, ref, kRate), QualityError);
    const auto ok = test::white_noise(kRate, 5);
    EXPECT_THROW(log_spectral_distance_db(ok, ref, kRate), QualityError);
    EXPECT_THROW(log_spectral_distance_db(ok, ok, 0), QualityError);
}

}  // namespace
}  // namespace extrema::quality
