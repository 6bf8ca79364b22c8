#include "extrema/quality/segsnr.h"

#include <gtest/gtest.h>

#include <vector>

#include "extrema/quality/error.h"
#include "test_signals.h"

namespace extrema::quality {
namespace {

constexpr int kRate = 16000;
constexpr std::size_t kFrame = 320;  // 20 ms at 16 kHz

TEST(SegSnr, PerfectFramesClampToTheMaximum) {
    const auto ref = test::sine(kRate, 300.0, kRate, 0.5);
    EXPECT_DOUBLE_EQ(segmental_snr_db(ref, ref, kRate), kSegSnrMaxDb);
    // 60 dB of noise is still above the 35 dB ceiling.
    EXPECT_DOUBLE_EQ(segmental_snr_db(ref, test::add_noise_at_snr(ref, 60.0, 1), kRate),
                     kSegSnrMaxDb);
}

TEST(SegSnr, BadFramesClampToTheMinimum) {
    const auto ref = test::sine(kRate, 300.0, kRate, 0.5);
    // test = -3 ref: error = 4 ref, -12 dB per frame, clamped to -10.
    EXPECT_DOUBLE_EQ(segmental_snr_db(ref, test::scaled(ref, -3.0), kRate), kSegSnrMinDb);
    // test = 0: error = ref, exactly 0 dB, inside the range.
    EXPECT_NEAR(segmental_snr_db(ref, std::vector<float>(ref.size(), 0.0f), kRate), 0.0, 1e-9);
}

TEST(SegSnr, AveragesPerFrameDecibels) {
    // Two halves at different SNRs: the mean of dB values, not the dB of the mean.
    auto ref = test::sine(40 * kFrame, 300.0, kRate, 0.5);
    std::vector<float> test_signal(ref.size());
    for (std::size_t i = 0; i < ref.size(); ++i) {
        const double gain =
            i < 20 * kFrame ? 0.9 : 0.5;  // error 0.1 ref (20 dB), 0.5 ref (6.02 dB)
        test_signal[i] = static_cast<float>(ref[i] * gain);
    }
    EXPECT_NEAR(segmental_snr_db(ref, test_signal, kRate), (20.0 + 6.0206) / 2.0, 1e-3);
}

TEST(SegSnr, IgnoresInactiveFrames) {
    // Loud tone, then a tone 60 dB down (below the 40 dB activity range) that the test ruins.
    auto ref = test::sine(20 * kFrame, 300.0, kRate, 0.5);
    const auto quiet = test::sine(20 * kFrame, 300.0, kRate, 0.0005);
    ref.insert(ref.end(), quiet.begin(), quiet.end());
    auto test_signal = ref;
    for (std::size_t i = 20 * kFrame; i < ref.size(); ++i) test_signal[i] = -ref[i] * 5.0f;
    EXPECT_DOUBLE_EQ(segmental_snr_db(ref, test_signal, kRate), kSegSnrMaxDb);
}

TEST(SegSnr, BadInputsThrow) {
    const auto ref = test::sine(kFrame - 1, 300.0, kRate, 0.5);
    EXPECT_THROW(segmental_snr_db(ref, ref, kRate), QualityError);  // shorter than a frame
    const auto ok = test::sine(4 * kFrame, 300.0, kRate, 0.5);
    EXPECT_THROW(segmental_snr_db(ok, ok, -1), QualityError);
    EXPECT_THROW(segmental_snr_db(ok, ref, kRate), QualityError);
    EXPECT_THROW(segmental_snr_db(std::vector<float>(ok.size(), 0.0f), ok, kRate), QualityError);
}

}  // namespace
}  // namespace extrema::quality
