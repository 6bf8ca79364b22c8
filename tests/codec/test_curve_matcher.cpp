#include <gtest/gtest.h>

#include <vector>

#include "extrema/codec/curve_matcher.h"

namespace extrema::codec {
namespace {

// Samples of bank curve `id` scaled between from and to, as the decoder renders them.
std::vector<float> rendered(const CurveBank& bank, std::uint8_t id, std::size_t n, float from,
                            float to) {
    std::vector<float> s(n);
    for (std::size_t i = 0; i < n; ++i) {
        s[i] =
            from + (to - from) * bank.value(id, static_cast<float>(i + 1) / static_cast<float>(n));
    }
    return s;
}

TEST(CurveMatcher, FindsEachBankCurveFromItsOwnRendering) {
    const CurveBank& bank = CurveBank::standard();
    const CurveMatcher matcher(bank);
    // Long segments are resampled, short ones compared exactly: both must recover the curve when
    // the curves differ visibly at the compared points.
    for (std::size_t n : {16u, 40u, 300u}) {
        int exact = 0;
        for (int id = 1; id <= 255; ++id) {
            const auto s = rendered(bank, static_cast<std::uint8_t>(id), n, -1000.0f, 20000.0f);
            const auto got = matcher.best(s, -1000.0f, 20000.0f);
            if (got == id) ++exact;
            // Whatever it picks must fit at least as well as the true curve, up to float noise.
            const auto fit = rendered(bank, got, n, -1000.0f, 20000.0f);
            double err_got = 0, err_true = 0;
            for (std::size_t i = 0; i < n; ++i) err_got += (fit[i] - s[i]) * (fit[i] - s[i]);
            EXPECT_LE(err_got, err_true + 1e-2 * static_cast<double>(n))
                << "n " << n << " id " << id;
        }
        EXPECT_GE(exact, 240) << "n " << n;
    }
}

TEST(CurveMatcher, DegenerateSegmentsGetTheLinearCurve) {
    const CurveMatcher matcher(CurveBank::standard());
    const std::vector<float> one{5.0f};
    EXPECT_EQ(matcher.best(one, 0.0f, 5.0f), CurveBank::standard().linear_curve());
    const std::vector<float> flat{3.0f, 1.0f, 3.0f};
    EXPECT_EQ(matcher.best(flat, 3.0f, 3.0f), CurveBank::standard().linear_curve());
}

TEST(CurveMatcher, DownwardSegmentsMatchLikeUpwardOnes) {
    const CurveBank& bank = CurveBank::standard();
    const CurveMatcher matcher(bank);
    const auto s = rendered(bank, 98, 25, 5000.0f, -7000.0f);
    EXPECT_EQ(matcher.best(s, 5000.0f, -7000.0f), 98);
}

TEST(CurveMatcher, SearchesFewerDimensionsThanPoints) {
    const CurveMatcher matcher(CurveBank::standard());
    for (std::size_t n = 2; n <= CurveMatcher::kExactPoints; ++n) {
        EXPECT_GE(matcher.search_dims(n), 1u);
        EXPECT_LE(matcher.search_dims(n), n - 1);
    }
    // Smooth curves: a handful of axes carries the whole bank on the longest grid.
    EXPECT_LT(matcher.search_dims(CurveMatcher::kExactPoints), CurveMatcher::kExactPoints - 1);
    RecordProperty("dims_at_16", static_cast<int>(matcher.search_dims(16)));
}

}  // namespace
}  // namespace extrema::codec
