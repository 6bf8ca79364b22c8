// The static curve against the paper's formula, written out here independently.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "extrema/dsp/gain_computer.h"
#include "paper_curve.h"

namespace extrema::dsp {
namespace {

using testing::paper_curve_db;

TEST(GainComputer, HardKneeIsTwoLines) {
    const GainCurve curve{-20.0, 4.0, 0.0};
    EXPECT_DOUBLE_EQ(gain_computer_db(curve, -40.0), -40.0);
    EXPECT_DOUBLE_EQ(gain_computer_db(curve, -20.0), -20.0);
    EXPECT_DOUBLE_EQ(gain_computer_db(curve, 0.0), -15.0);
    EXPECT_DOUBLE_EQ(curve_gain_db(curve, 0.0), -15.0);
}

TEST(GainComputer, SoftKneeMatchesThePaper) {
    for (double w : {0.0, 1.0, 6.0, 12.0, 24.0}) {
        for (double r : {1.0, 1.5, 2.0, 4.0, 10.0, 20.0}) {
            const GainCurve curve{-24.0, r, w};
            for (double x = -80.0; x <= 6.0; x += 0.25) {
                EXPECT_NEAR(gain_computer_db(curve, x), paper_curve_db(x, -24.0, r, w), 1e-12)
                    << "x " << x;
            }
        }
    }
}

TEST(GainComputer, LimiterIsFlatAboveTheKnee) {
    const GainCurve curve{-10.0, std::numeric_limits<double>::infinity(), 4.0};
    EXPECT_DOUBLE_EQ(gain_computer_db(curve, -3.0), -10.0);
    EXPECT_DOUBLE_EQ(gain_computer_db(curve, 0.0), -10.0);
    EXPECT_DOUBLE_EQ(gain_computer_db(curve, -20.0), -20.0);
    // Inside the knee: the quadratic with 1/R = 0.
    EXPECT_NEAR(gain_computer_db(curve, -10.0), -10.0 - 4.0 / 8.0, 1e-12);
}

TEST(GainComputer, SoftKneeIsContinuousWithContinuousSlope) {
    const GainCurve curve{-30.0, 5.0, 10.0};
    for (double edge : {-35.0, -25.0}) {
        const double h = 1e-6;
        EXPECT_NEAR(gain_computer_db(curve, edge - h), gain_computer_db(curve, edge + h), 1e-5);
        const double slope_below =
            (gain_computer_db(curve, edge - h) - gain_computer_db(curve, edge - 2 * h)) / h;
        const double slope_above =
            (gain_computer_db(curve, edge + 2 * h) - gain_computer_db(curve, edge + h)) / h;
        EXPECT_NEAR(slope_below, slope_above, 1e-3);
    }
}

}  // namespace
}  // namespace extrema::dsp
