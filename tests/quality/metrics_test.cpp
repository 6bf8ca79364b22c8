#include "extrema/quality/metrics.h"

#include <gtest/gtest.h>

#include <vector>

#include "extrema/quality/error.h"
#include "extrema/quality/json.h"
#include "extrema/quality/mixdown.h"
#include "extrema/quality/snr.h"
#include "test_signals.h"

namespace extrema::quality {
namespace {

TEST(Evaluate, IdenticalSpeech) {
    const auto speech = test::load_speech();
    if (!speech) GTEST_SKIP() << "speech file missing";
    const Metrics m = evaluate(speech->samples, speech->samples, speech->rate_hz);
    EXPECT_EQ(m.delay_samples, 0);
    EXPECT_GT(m.snr_db, 100.0);
    EXPECT_DOUBLE_EQ(m.segsnr_db, 35.0);
    EXPECT_EQ(m.lsd_db, 0.0);
    EXPECT_NEAR(m.stoi, 1.0, 0.001);
}

TEST(Evaluate, AlignsBeforeMeasuring) {
    const auto speech = test::load_speech();
    if (!speech) GTEST_SKIP() << "speech file missing";
    const auto noisy = test::add_noise_at_snr(speech->samples, 10.0, 3);
    std::vector<float> late(123, 0.0f);
    late.insert(late.end(), noisy.begin(), noisy.end());
    late.resize(late.size() + 500, 0.0f);  // different lengths too
    const Metrics aligned = evaluate(speech->samples, late, speech->rate_hz);
    const Metrics direct = evaluate(speech->samples, noisy, speech->rate_hz);
    EXPECT_EQ(aligned.delay_samples, 123);
    EXPECT_NEAR(aligned.snr_db, 10.0, 0.01);
    EXPECT_NEAR(aligned.stoi, direct.stoi, 1e-9);
    EXPECT_NEAR(aligned.segsnr_db, direct.segsnr_db, 1e-9);
    EXPECT_NEAR(aligned.lsd_db, direct.lsd_db, 1e-9);
}

TEST(Evaluate, RefusesDifferentRates) {
    const auto ref = test::white_noise(16000, 1);
    EXPECT_THROW(evaluate(ref, 16000, ref, 8000), QualityError);
    const Metrics m = evaluate(ref, 16000, ref, 16000);
    EXPECT_DOUBLE_EQ(m.snr_db, kMaxSnrDb);
}

TEST(Evaluate, BadInputsThrowNotCrash) {
    const auto ok = test::white_noise(16000, 2);
    const std::vector<float> empty;
    EXPECT_THROW(evaluate(empty, ok, 16000), QualityError);
    EXPECT_THROW(evaluate(ok, empty, 16000), QualityError);
    EXPECT_THROW(evaluate(ok, ok, 0), QualityError);
    EXPECT_THROW(evaluate(std::vector<float>(16000, 0.0f), ok, 16000), QualityError);
    const std::vector<float> tiny = {0.5f, -0.5f, 0.25f};
    EXPECT_THROW(evaluate(tiny, tiny, 16000), QualityError);
}

// Compared as parsed JSON (same keys, same order, same values), plus the one-line text.
json::Object parsed(const std::string& text) {
    EXPECT_EQ(text.find('\n'), std::string::npos) << text;
    return json::Object::parse(text);
}

TEST(Json, StableKeyOrderAndRounding) {
    Metrics m;
    m.delay_samples = -12;
    m.snr_db = 19.87654;
    m.segsnr_db = 8.5;
    m.lsd_db = 1.0 / 3.0;
    m.stoi = 0.912345678;
    EXPECT_EQ(parsed(to_json(m)),
              parsed(R"({"delay_samples": -12, "snr_db": 19.877, )"
                     R"("segsnr_db": 8.500, "lsd_db": 0.333, "stoi": 0.91235})"));
    EXPECT_EQ(parsed(to_json(m, 12.3456)),
              parsed(R"({"delay_samples": -12, "snr_db": 19.877, "segsnr_db": 8.500, )"
                     R"("lsd_db": 0.333, "stoi": 0.91235, "kbps": 12.346})"));
    m.mos = 3.14159;
    EXPECT_EQ(parsed(to_json(m, 12.3456)),
              parsed(R"({"delay_samples": -12, "snr_db": 19.877, "segsnr_db": 8.500, )"
                     R"("lsd_db": 0.333, "stoi": 0.91235, "mos": 3.142, "kbps": 12.346})"));
}

TEST(Json, NonFiniteBecomesNull) {
    Metrics m;
    m.snr_db = std::numeric_limits<double>::infinity();
    EXPECT_EQ(parsed(to_json(m)),
              parsed(R"({"delay_samples": 0, "snr_db": null, )"
                     R"("segsnr_db": 0.000, "lsd_db": 0.000, "stoi": 0.00000})"));
}

TEST(Mixdown, AveragesChannels) {
    const std::vector<float> stereo = {1.0f, 0.0f, 0.5f, 0.5f, -1.0f, 1.0f};
    EXPECT_EQ(mix_to_mono(stereo, 2), (std::vector<float>{0.5f, 0.5f, 0.0f}));
    EXPECT_EQ(mix_to_mono(stereo, 1), stereo);
    EXPECT_THROW(mix_to_mono(stereo, 0), QualityError);
    EXPECT_THROW(mix_to_mono(stereo, 4), QualityError);
}

}  // namespace
}  // namespace extrema::quality
