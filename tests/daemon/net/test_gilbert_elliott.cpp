// The Gilbert-Elliott loss model: over many seeded packets, the measured loss rate and mean burst
// length match the parameters, within a few standard errors of the statistics.
#include "net/gilbert_elliott.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>

namespace extrema::net {
namespace {

struct Measured {
    double loss = 0.0;        // share of packets lost
    double mean_burst = 0.0;  // mean run of consecutive losses, packets
    std::uint64_t bursts = 0;
};

Measured run(const GilbertElliottParams& params, std::uint64_t packets, std::uint64_t seed) {
    GilbertElliott model(params);
    std::mt19937_64 rng(seed);
    const auto uniform = [&rng] { return static_cast<double>(rng() >> 11) * 0x1.0p-53; };
    std::uint64_t lost = 0, bursts = 0;
    bool previous = false;
    for (std::uint64_t i = 0; i < packets; ++i) {
        const double u_loss = uniform();
        const bool now = model.lose(u_loss, uniform());
        lost += now ? 1 : 0;
        bursts += now && !previous ? 1 : 0;
        previous = now;
    }
    Measured m;
    m.loss = static_cast<double>(lost) / static_cast<double>(packets);
    m.mean_burst = bursts > 0 ? static_cast<double>(lost) / static_cast<double>(bursts) : 0.0;
    m.bursts = bursts;
    return m;
}

constexpr std::uint64_t kPackets = 2'000'000;

class LossAndBurst : public ::testing::TestWithParam<std::pair<double, double>> {};

TEST_P(LossAndBurst, MeasuredLossAndMeanBurstMatch) {
    const auto [loss_percent, burst] = GetParam();
    const GilbertElliottParams params = gilbert_from_loss_and_burst(loss_percent, burst);
    EXPECT_NEAR(params.mean_loss(), loss_percent / 100.0, 1e-12);
    EXPECT_DOUBLE_EQ(params.p_bad_to_good, 1.0 / burst);
    const Measured m = run(params, kPackets, 7);
    // The loss count of a two-state chain has variance N pi (1 - pi) (1 + rho) / (1 - rho),
    // rho = 1 - p_gb - p_bg; 5 % relative is over 5 standard errors for every case here.
    EXPECT_NEAR(m.loss, loss_percent / 100.0, 0.05 * loss_percent / 100.0);
    // Bursts are geometric with mean L (variance L (L - 1)); thousands of them: 3 % relative.
    EXPECT_GT(m.bursts, 5000u);
    EXPECT_NEAR(m.mean_burst, burst, 0.03 * burst);
}

INSTANTIATE_TEST_SUITE_P(GilbertElliott, LossAndBurst,
                         ::testing::Values(std::pair{2.0, 2.0}, std::pair{5.0, 3.0},
                                           std::pair{10.0, 1.0}, std::pair{20.0, 4.0},
                                           std::pair{30.0, 8.0}));

TEST(GilbertElliott, LossInBothStatesAveragesToTheStationaryMix) {
    GilbertElliottParams params;
    params.p_good_to_bad = 0.01;
    params.p_bad_to_good = 0.2;
    params.loss_good = 0.01;
    params.loss_bad = 0.6;
    const double expected = params.mean_loss();
    EXPECT_NEAR(expected, (0.2 / 0.21) * 0.01 + (0.01 / 0.21) * 0.6, 1e-12);
    EXPECT_NEAR(run(params, kPackets, 11).loss, expected, 0.05 * expected);
}

TEST(GilbertElliott, BurstsAreLongerThanIndependentLossAtTheSameRate) {
    // Independent loss at 10 % has mean runs of 1 / 0.9 = 1.11 packets; the model at a mean
    // burst of 5 has 5.
    GilbertElliottParams independent;
    independent.p_good_to_bad = 0.1;  // the state is redrawn each packet: Bernoulli(0.1)
    independent.p_bad_to_good = 0.9;
    const Measured bernoulli = run(independent, kPackets, 3);
    const Measured bursty = run(gilbert_from_loss_and_burst(10.0, 5.0), kPackets, 3);
    EXPECT_NEAR(bernoulli.loss, bursty.loss, 0.01);
    EXPECT_NEAR(bernoulli.mean_burst, 1.0 / 0.9, 0.03);
    EXPECT_GT(bursty.mean_burst, 4.0 * bernoulli.mean_burst);
}

TEST(GilbertElliott, SameSeedSameLosses) {
    const GilbertElliottParams params = gilbert_from_loss_and_burst(5.0, 3.0);
    const Measured a = run(params, 100'000, 42);
    const Measured b = run(params, 100'000, 42);
    EXPECT_EQ(a.loss, b.loss);
    EXPECT_EQ(a.bursts, b.bursts);
    EXPECT_NE(a.bursts, run(params, 100'000, 43).bursts);
}

TEST(GilbertElliott, ZeroLossNeverLoses) {
    EXPECT_EQ(run(gilbert_from_loss_and_burst(0.0, 4.0), 100'000, 1).loss, 0.0);
}

TEST(GilbertElliott, RefusesWhatDoesNotFit) {
    EXPECT_THROW(gilbert_from_loss_and_burst(5.0, 0.5), std::invalid_argument);
    EXPECT_THROW(gilbert_from_loss_and_burst(-1.0, 2.0), std::invalid_argument);
    EXPECT_THROW(gilbert_from_loss_and_burst(101.0, 2.0), std::invalid_argument);
    // A mean burst of 2 averages at most 2 / 3 of the packets lost.
    EXPECT_NO_THROW(gilbert_from_loss_and_burst(66.0, 2.0));
    EXPECT_THROW(gilbert_from_loss_and_burst(67.0, 2.0), std::invalid_argument);
    try {
        gilbert_from_loss_and_burst(67.0, 2.0);
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("burst"), std::string::npos) << e.what();
    }
    GilbertElliottParams bad;
    bad.loss_bad = 1.5;
    EXPECT_THROW(GilbertElliott{bad}, std::invalid_argument);
}

}  // namespace
}  // namespace extrema::net
