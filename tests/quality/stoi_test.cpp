#include "extrema/quality/stoi.h"

#include <gtest/gtest.h>

#include <span>
#include <string>
#include <vector>

#include "extrema/quality/error.h"
#include "extrema/quality/snr.h"
#include "test_signals.h"

namespace extrema::quality {
namespace {

TEST(Stoi, IdenticalSpeechIsOne) {
    const auto speech = test::load_speech();
    if (!speech) GTEST_SKIP() << "speech file missing";
    EXPECT_NEAR(stoi(speech->samples, speech->samples, speech->rate_hz), 1.0, 0.001);
}

// TESTING.md's sanity figures: speech plus white noise at 20 / 10 / 5 dB SNR gives about
// 0.98 / 0.90 / 0.84. Those figures hold for noise that is white within the band STOI analyses
// (0-5 kHz) at an SNR over active speech; see WidebandNoiseMostlyMissesTheBand for the rest.
double stoi_in_noise(const test::Speech& speech, std::span<const float> noise, double snr_db) {
    return stoi(speech.samples,
                test::add_noise_at_active_snr(speech.samples, noise, speech.rate_hz, snr_db),
                speech.rate_hz);
}

constexpr std::uint32_t kNoiseSeed = 20110101;

TEST(Stoi, SpeechInWhiteNoiseMatchesTheSanityFigures) {
    const auto speech = test::load_speech();
    if (!speech) GTEST_SKIP() << "speech file missing";
    const auto noise = test::speech_band_noise(speech->samples.size(), speech->rate_hz, kNoiseSeed);
    struct Case {
        double snr_db;
        double expected_stoi;
    };
    double previous = 1.0;
    for (const Case c : {Case{20.0, 0.98}, Case{10.0, 0.90}, Case{5.0, 0.84}}) {
        const auto noisy =
            test::add_noise_at_active_snr(speech->samples, noise, speech->rate_hz, c.snr_db);
        const double score = stoi(speech->samples, noisy, speech->rate_hz);
        // The whole-file SNR is lower than the active-speech SNR: pauses carry noise, no speech.
        const double whole_file_db = snr_db(speech->samples, noisy);
        const std::string tag = std::to_string(static_cast<int>(c.snr_db)) + "db";
        RecordProperty("stoi_" + tag, std::to_string(score));
        RecordProperty("snr_whole_file_" + tag, std::to_string(whole_file_db));
        EXPECT_NEAR(score, c.expected_stoi, 0.04) << "at " << c.snr_db << " dB";
        EXPECT_LT(score, previous) << "at " << c.snr_db << " dB";
        EXPECT_LT(whole_file_db, c.snr_db);
        EXPECT_GT(whole_file_db, c.snr_db - 3.0);
        previous = score;
    }
}

TEST(Stoi, WidebandNoiseMostlyMissesTheBand) {
    // At 48 kHz, ~80 % of white noise's power lies above STOI's 5 kHz band: at the same SNR it
    // must hurt less than noise inside the band, and the order of the SNRs must still hold.
    const auto speech = test::load_speech();
    if (!speech) GTEST_SKIP() << "speech file missing";
    const auto wideband = test::white_noise(speech->samples.size(), kNoiseSeed);
    const auto in_band =
        test::speech_band_noise(speech->samples.size(), speech->rate_hz, kNoiseSeed);
    double previous = 1.0;
    for (const double snr_db : {20.0, 10.0, 5.0}) {
        const double wide = stoi_in_noise(*speech, wideband, snr_db);
        RecordProperty("stoi_wideband_" + std::to_string(static_cast<int>(snr_db)) + "db",
                       std::to_string(wide));
        EXPECT_GT(wide, stoi_in_noise(*speech, in_band, snr_db));
        EXPECT_LT(wide, previous);
        previous = wide;
    }
}

TEST(Stoi, InsensitiveToOverallGain) {
    const auto speech = test::load_speech();
    if (!speech) GTEST_SKIP() << "speech file missing";
    const auto noisy = test::add_noise_at_snr(speech->samples, 10.0, 11);
    const double full = stoi(speech->samples, noisy, speech->rate_hz);
    const double quieter = stoi(speech->samples, test::scaled(noisy, 0.25), speech->rate_hz);
    EXPECT_NEAR(quieter, full, 0.005);
    EXPECT_NEAR(stoi(speech->samples, test::scaled(speech->samples, 0.5), speech->rate_hz), 1.0,
                0.001);
}

TEST(Stoi, WorksAtTheNativeRateToo) {
    // At 10 kHz no resampling happens; noise still lowers the score.
    constexpr int kRate = 10000;
    const auto ref = test::white_noise(2 * kRate, 5);
    EXPECT_NEAR(stoi(ref, ref, kRate), 1.0, 1e-9);
    EXPECT_LT(stoi(ref, test::add_noise_at_snr(ref, 0.0, 6), kRate), 0.9);
}

TEST(Stoi, BadInputsThrow) {
    const auto short_signal = test::white_noise(2000, 7);  // 0.125 s at 16 kHz: < 30 frames
    EXPECT_THROW(stoi(short_signal, short_signal, 16000), QualityError);
    const auto ok = test::white_noise(16000, 8);
    EXPECT_THROW(stoi(ok, short_signal, 16000), QualityError);
    EXPECT_THROW(stoi(std::vector<float>(ok.size(), 0.0f), ok, 16000), QualityError);
    EXPECT_THROW(stoi({}, {}, 16000), QualityError);
    EXPECT_THROW(stoi(ok, ok, 0), QualityError);
}

}  // namespace
}  // namespace extrema::quality
