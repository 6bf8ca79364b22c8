// The ViSQOL v3 speech model (visqol.h) on real speech: the orderings a listener would give.
#include "extrema/quality/visqol.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "audio/sound_file.h"
#include "extrema/quality/error.h"
#include "extrema/quality/mixdown.h"
#include "peer_codecs.h"
#include "speech_material.h"
#include "temp_dir.h"
#include "test_signals.h"

namespace extrema::quality {
namespace {

using test::SpeechFile;

class SpeechQualityTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = new extrema::test::TempDir("extrema-visqol");
        material_ = new std::vector<SpeechFile>(test::speech_material(dir_->path()));
    }
    static void TearDownTestSuite() {
        delete material_;
        delete dir_;
    }
    static const std::vector<SpeechFile>& material() { return *material_; }
    static const std::filesystem::path& dir() { return dir_->path(); }

    static double mos(const SpeechFile& ref, const std::vector<float>& test) {
        return speech_mos(ref.samples, ref.rate_hz, test, ref.rate_hz);
    }
    // Mean over all material of the score of f(file).
    template <typename F>
    static double mean_mos(F f) {
        double sum = 0.0;
        for (const SpeechFile& s : material()) sum += mos(s, f(s));
        return sum / static_cast<double>(material().size());
    }

  private:
    static inline extrema::test::TempDir* dir_ = nullptr;
    static inline std::vector<SpeechFile>* material_ = nullptr;
};

std::vector<float> low_passed(const SpeechFile& s, int cutoff_hz,
                              const std::filesystem::path& dir) {
    const auto in = dir / "lp_in.wav";
    const auto out = dir / "lp_out.wav";
    audio::write_sound_file(in, s.rate_hz, 1, s.samples);
    // sox's steep windowed-sinc low-pass, the usual bandwidth limit of a narrowband channel.
    test::run_command(std::string("'") + EXTREMA_TEST_SOX + "' '" + in.string() + "' '" +
                      out.string() + "' sinc -" + std::to_string(cutoff_hz));
    const audio::SoundData data = audio::read_sound_file(out);
    return mix_to_mono(data.samples, data.info.channels);
}

TEST_F(SpeechQualityTest, MaterialIsThere) {
    // Eight prompts (alsa-utils, install-deps.sh) and two espeak-ng voices (or one of each).
    EXPECT_EQ(material().size(), test::kMaterialFiles);
}

TEST_F(SpeechQualityTest, IdenticalSignalsReachTheCeiling) {
    for (const SpeechFile& s : material()) {
        const SpeechQuality q = speech_quality(s.samples, s.rate_hz, s.samples, s.rate_hz);
        EXPECT_GE(q.mos, 4.2) << s.name;
        EXPECT_LE(q.mos, 5.0) << s.name;
        EXPECT_GT(q.patches, 0U) << s.name;
    }
}

TEST_F(SpeechQualityTest, WhiteNoiseScoresFallWithSnr) {
    for (const SpeechFile& s : material()) {
        double previous = 5.1;
        for (const double snr : {30.0, 20.0, 10.0, 5.0}) {
            const double m = mos(s, test::add_noise_at_snr(s.samples, snr, 7));
            EXPECT_LT(m, previous) << s.name << " at " << snr << " dB";
            previous = m;
        }
    }
}

TEST_F(SpeechQualityTest, NarrowerBandScoresLower) {
    double previous = 5.1;
    for (const int cutoff : {7000, 3400, 2000}) {
        const double m =
            mean_mos([&](const SpeechFile& s) { return low_passed(s, cutoff, dir()); });
        EXPECT_LT(m, previous) << cutoff << " Hz";
        previous = m;
    }
}

TEST_F(SpeechQualityTest, G726ScoresFallWithRate) {
    double previous = 5.1;
    for (const int kbps : {40, 32, 24, 16}) {
        const double m = mean_mos([&](const SpeechFile& s) {
            return bench::ffmpeg_round_trip(EXTREMA_TEST_FFMPEG, bench::g726(kbps), s.samples,
                                            s.rate_hz, dir())
                .decoded;
        });
        EXPECT_LT(m, previous) << "G.726 " << kbps << " kbit/s";
        previous = m;
    }
}

TEST_F(SpeechQualityTest, OpusScoresFallWithRate) {
    if (!bench::opus_available()) GTEST_SKIP() << "this build has no libopus";
    double previous = 5.1;
    for (const int kbps : {32, 16, 8}) {
        const double m = mean_mos([&](const SpeechFile& s) {
            return bench::opus_round_trip(s.samples, s.rate_hz, kbps).decoded;
        });
        EXPECT_LT(m, previous) << "Opus " << kbps << " kbit/s";
        previous = m;
    }
}

TEST_F(SpeechQualityTest, DelayedCopyScoresLikeTheUndelayedOne) {
    for (const SpeechFile& s : material()) {
        const std::vector<float> noisy = test::add_noise_at_snr(s.samples, 20.0, 3);
        std::vector<float> late(static_cast<std::size_t>(s.rate_hz / 20), 0.0F);  // 50 ms
        late.insert(late.end(), noisy.begin(), noisy.end());
        EXPECT_NEAR(mos(s, late), mos(s, noisy), 0.1) << s.name;
    }
}

TEST_F(SpeechQualityTest, OtherRateOfTheSameSpeechScoresHigh) {
    const SpeechFile& s = material().front();
    std::vector<float> third;
    for (std::size_t i = 0; i < s.samples.size(); i += 3) third.push_back(s.samples[i]);
    EXPECT_GT(speech_mos(s.samples, s.rate_hz, third, s.rate_hz / 3), 3.5);
}

TEST_F(SpeechQualityTest, BadInputsAreOneLineErrors) {
    const SpeechFile& s = material().front();
    const std::span<const float> all(s.samples);
    // Too short: half a second.
    EXPECT_THROW(speech_mos(all.first(static_cast<std::size_t>(s.rate_hz / 2)), s.rate_hz,
                            all.first(static_cast<std::size_t>(s.rate_hz / 2)), s.rate_hz),
                 QualityError);
    // A silent reference.
    const std::vector<float> silence(s.samples.size(), 0.0F);
    EXPECT_THROW(speech_mos(silence, s.rate_hz, s.samples, s.rate_hz), QualityError);
    // Lengths 2 s apart, beyond the 1 s alignment range.
    std::vector<float> longer = s.samples;
    longer.resize(s.samples.size() + 2 * static_cast<std::size_t>(s.rate_hz), 0.0F);
    EXPECT_THROW(speech_mos(s.samples, s.rate_hz, longer, s.rate_hz), QualityError);
    // Not numbers, no rate, nothing.
    std::vector<float> nan = s.samples;
    nan[100] = std::nanf("");
    EXPECT_THROW(speech_mos(s.samples, s.rate_hz, nan, s.rate_hz), QualityError);
    EXPECT_THROW(speech_mos(s.samples, 0, s.samples, s.rate_hz), QualityError);
    EXPECT_THROW(speech_mos({}, s.rate_hz, s.samples, s.rate_hz), QualityError);
    // A silent test is a valid, worst-case answer, never NaN.
    const double m = speech_mos(s.samples, s.rate_hz, silence, s.rate_hz);
    EXPECT_TRUE(std::isfinite(m));
    EXPECT_GE(m, 1.0);
    EXPECT_EQ(m, 1.0);
}

}  // namespace
}  // namespace extrema::quality
