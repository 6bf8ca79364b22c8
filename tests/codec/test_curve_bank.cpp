#include <gtest/gtest.h>

#include <cmath>

#include "extrema/codec/curve_bank.h"

namespace extrema::codec {
namespace {

// Pinned: the bank is part of the wire format. If this changes, every stream in the field decodes
// differently; a new bank needs a new BankId, not an edit of this number.
constexpr std::uint64_t kStandardBankChecksum = 0x212794db8e220134ull;
constexpr std::uint64_t kPowerBankChecksum = 0xa709afa74c51c7adull;

class EveryBank : public ::testing::TestWithParam<const CurveBank*> {};

TEST_P(EveryBank, CurvesStartAtZeroEndAtOneAndAreMonotone) {
    const CurveBank& bank = *GetParam();
    for (int id = 1; id <= 255; ++id) {
        const auto table = bank.table(static_cast<std::uint8_t>(id));
        EXPECT_EQ(table.front(), 0.0f) << "curve " << id;
        EXPECT_EQ(table.back(), 1.0f) << "curve " << id;
        for (std::size_t j = 1; j < table.size(); ++j) {
            ASSERT_GE(table[j], table[j - 1]) << "curve " << id << " at " << j;
        }
    }
}

TEST_P(EveryBank, CurvesAreDistinct) {
    const CurveBank& bank = *GetParam();
    for (int a = 1; a <= 255; ++a) {
        for (int b = a + 1; b <= 255; ++b) {
            double diff = 0.0;
            for (std::size_t j = 0; j < kBankPoints; ++j) {
                diff =
                    std::max<double>(diff, std::fabs(bank.table(static_cast<std::uint8_t>(a))[j] -
                                                     bank.table(static_cast<std::uint8_t>(b))[j]));
            }
            EXPECT_GT(diff, 1e-3) << "curves " << a << " and " << b;
        }
    }
}

TEST_P(EveryBank, ValueInterpolatesTheTable) {
    const CurveBank& bank = *GetParam();
    const auto table = bank.table(42);
    EXPECT_FLOAT_EQ(bank.value(42, 0.0f), 0.0f);
    EXPECT_FLOAT_EQ(bank.value(42, 1.0f), 1.0f);
    EXPECT_FLOAT_EQ(bank.value(42, 100.0f / 1023.0f), table[100]);
    EXPECT_NEAR(bank.value(42, 100.5f / 1023.0f), (table[100] + table[101]) / 2.0f, 1e-6f);
}

INSTANTIATE_TEST_SUITE_P(Banks, EveryBank,
                         ::testing::Values(&CurveBank::standard(), &CurveBank::power()));

TEST(CurveBank, ChecksumsArePinned) {
    EXPECT_EQ(CurveBank::standard().checksum(), kStandardBankChecksum)
        << std::hex << "0x" << CurveBank::standard().checksum();
    EXPECT_EQ(CurveBank::power().checksum(), kPowerBankChecksum)
        << std::hex << "0x" << CurveBank::power().checksum();
}

TEST(CurveBank, FindKnowsOnlyDefinedIds) {
    EXPECT_EQ(CurveBank::find(1), &CurveBank::standard());
    EXPECT_EQ(CurveBank::find(2), &CurveBank::power());
    EXPECT_EQ(CurveBank::find(0), nullptr);
    EXPECT_EQ(CurveBank::find(3), &CurveBank::swing());
    EXPECT_EQ(CurveBank::find(4), nullptr);
}

TEST(CurveBank, LinearCurveIsAStraightLine) {
    const CurveBank& bank = CurveBank::standard();
    for (float t : {0.1f, 0.25f, 0.5f, 0.9f})
        EXPECT_NEAR(bank.value(bank.linear_curve(), t), t, 1e-6f);
}

TEST(CurveBank, StandardBankHoldsTheHalfCosine) {
    // Sharpness 1, skew 0: id 1 + 15 * 6 + 7.
    const CurveBank& bank = CurveBank::standard();
    for (float t : {0.1f, 0.3f, 0.5f, 0.8f}) {
        EXPECT_NEAR(bank.value(98, t), 0.5f - 0.5f * std::cos(3.14159265f * t), 1e-5f);
    }
}

}  // namespace
}  // namespace extrema::codec
