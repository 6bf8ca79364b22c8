#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "extrema/codec/lowpass.h"

namespace extrema::codec {
namespace {

double steady_gain(double freq_hz, double cutoff_hz) {
    Lowpass lp(48000.0, cutoff_hz);
    double peak = 0.0;
    for (int i = 0; i < 48000; ++i) {
        const auto x = static_cast<float>(std::sin(2.0 * std::numbers::pi * freq_hz * i / 48000.0));
        const float y = lp.process(x);
        if (i > 24000) peak = std::max(peak, static_cast<double>(std::fabs(y)));
    }
    return 20.0 * std::log10(peak);
}

TEST(Lowpass, IsAFourthOrderButterworth) {
    EXPECT_NEAR(steady_gain(100.0, 4000.0), 0.0, 0.05);
    EXPECT_NEAR(steady_gain(4000.0, 4000.0), -3.01, 0.1);
    // 24 dB per octave well above the cutoff.
    EXPECT_NEAR(steady_gain(8000.0, 1000.0) - steady_gain(4000.0, 1000.0), -24.0, 3.0);
}

TEST(Lowpass, RejectsCutoffsOutsideTheBand) {
    EXPECT_THROW(Lowpass(48000.0, 0.0), std::invalid_argument);
    EXPECT_THROW(Lowpass(48000.0, 24000.0), std::invalid_argument);
}

}  // namespace
}  // namespace extrema::codec
