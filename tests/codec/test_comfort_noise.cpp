// Comfort noise: the estimator's level and spectrum, the generator's level and shape, and a
// hostile description that cannot make the synthesis filter blow up.
#include "extrema/codec/comfort_noise.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <stdexcept>
#include <vector>

namespace extrema::codec {
namespace {

constexpr double kRate = 48000.0;

double mean_square(const std::vector<float>& x) {
    double sum = 0.0;
    for (const float v : x) sum += static_cast<double>(v) * v;
    return sum / static_cast<double>(x.size());
}

double db(double power) {
    return 10.0 * std::log10(power);
}

// AR(1) noise x[n] = e[n] + a x[n-1] with mean square `rms_db` dBov.
std::vector<float> ar1(double a, double rms_db, std::size_t n, unsigned seed = 3) {
    std::mt19937 random(seed);
    std::normal_distribution<double> gauss(0.0, 1.0);
    const double sigma = std::pow(10.0, rms_db / 20.0) * std::sqrt(1.0 - a * a);
    std::vector<float> out(n);
    double previous = 0.0;
    for (float& x : out) {
        previous = sigma * gauss(random) + a * previous;
        x = static_cast<float>(previous);
    }
    return out;
}

NoiseDescription estimate(const std::vector<float>& x, std::size_t order) {
    ComfortNoiseEstimator estimator(kRate, order, 200.0);
    for (std::size_t at = 0; at + 480 <= x.size(); at += 480) {
        estimator.add_noise(std::span<const float>(x).subspan(at, 480));
    }
    return estimator.describe();
}

TEST(ComfortNoise, LevinsonRecoversAnAr1Process) {
    // r[k] = a^k for an AR(1) of unit power: k_1 = -a, higher ones 0.
    const double a = 0.8;
    const std::vector<double> r = {1.0, a, a * a, a * a * a};
    std::vector<double> k(3);
    ASSERT_EQ(reflection_coefficients(r, 3, k), 3u);
    EXPECT_NEAR(k[0], -a, 1e-12);
    EXPECT_NEAR(k[1], 0.0, 1e-12);
    EXPECT_NEAR(k[2], 0.0, 1e-12);
}

TEST(ComfortNoise, LevinsonStopsAtAPredictableSignal) {
    const std::vector<double> r = {1.0, 1.0, 1.0};  // a constant: predictable after one lag
    std::vector<double> k(2);
    EXPECT_LE(reflection_coefficients(r, 2, k), 1u);
    const std::vector<double> zero = {0.0, 0.0};
    EXPECT_EQ(reflection_coefficients(zero, 1, k), 0u);
}

TEST(ComfortNoise, EstimatorMeasuresLevelAndTilt) {
    const auto white = estimate(ar1(0.0, -56.0, 48000), 8);
    EXPECT_NEAR(white.level_dbov, -56.0, 0.5);
    EXPECT_EQ(white.order, 8u);
    EXPECT_NEAR(white.reflection[0], 0.0, 0.1);
    const auto dark = estimate(ar1(0.9, -45.0, 48000), 8);
    EXPECT_NEAR(dark.level_dbov, -45.0, 1.0);
    EXPECT_NEAR(dark.reflection[0], -0.9, 0.05);
    const ComfortNoiseEstimator none(kRate, 8, 200.0);
    EXPECT_FALSE(none.has_estimate());
    EXPECT_EQ(none.describe().level_dbov, kQuietestNoiseDbov);
}

TEST(ComfortNoise, GeneratorPlaysTheSignalledLevel) {
    for (const double level : {-20.0, -45.0, -70.0}) {
        ComfortNoiseGenerator generator(kRate);
        NoiseDescription description;
        description.level_dbov = level;
        generator.set(description);
        std::vector<float> out(48000);
        generator.generate(out);
        const std::vector<float> settled(out.begin() + 4800, out.end());
        EXPECT_NEAR(db(mean_square(settled)), level, 0.3) << level;
    }
}

TEST(ComfortNoise, GeneratorReproducesTheShape) {
    const auto dark = estimate(ar1(0.9, -40.0, 96000), 8);
    ComfortNoiseGenerator generator(kRate);
    generator.set(dark);
    std::vector<float> out(96000);
    generator.generate(out);
    const std::vector<float> settled(out.begin() + 4800, out.end());
    EXPECT_NEAR(db(mean_square(settled)), -40.0, 1.0);
    const auto again = estimate(settled, 8);
    EXPECT_NEAR(again.reflection[0], dark.reflection[0], 0.05);
}

TEST(ComfortNoise, GainRampsInsteadOfStepping) {
    ComfortNoiseGenerator generator(kRate, 10.0);
    NoiseDescription description;
    description.level_dbov = -20.0;
    generator.set(description);
    std::vector<float> out(480);  // the 10 ms ramp
    generator.generate(out);
    const std::vector<float> first(out.begin(), out.begin() + 48);
    const std::vector<float> last(out.end() - 48, out.end());
    EXPECT_LT(mean_square(first), mean_square(last) / 10.0);
}

TEST(ComfortNoise, HostileCoefficientsStayBounded) {
    ComfortNoiseGenerator generator(kRate);
    NoiseDescription description;
    description.level_dbov = 0.0;
    description.order = kMaxNoiseOrder;
    for (std::size_t i = 0; i < kMaxNoiseOrder; ++i) {
        description.reflection[i] = (i % 2 ? -1.0 : 1.0) * 5.0;
    }
    description.reflection[3] = std::nan("");
    generator.set(description);
    std::vector<float> out(48000);
    generator.generate(out);
    for (const float x : out) {
        ASSERT_TRUE(std::isfinite(x));
        ASSERT_LE(std::abs(x), 1.0f);
    }
}

TEST(ComfortNoise, RefusesBadSettings) {
    EXPECT_THROW(ComfortNoiseEstimator(kRate, kMaxNoiseOrder + 1, 200.0), std::invalid_argument);
    EXPECT_THROW(ComfortNoiseEstimator(kRate, 8, 0.0), std::invalid_argument);
    EXPECT_THROW(ComfortNoiseEstimator(0.0, 8, 200.0), std::invalid_argument);
    EXPECT_THROW(ComfortNoiseGenerator(kRate, -1.0), std::invalid_argument);
}

}  // namespace
}  // namespace extrema::codec
