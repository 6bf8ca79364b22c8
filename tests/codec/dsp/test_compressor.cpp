// The compressor on steady tones, identity, make-up, validation, silence and full scale.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <vector>

#include "extrema/dsp/compressor.h"
#include "paper_curve.h"

namespace extrema::dsp {
namespace {

constexpr double kRateHz = 48000.0;
constexpr double kInf = std::numeric_limits<double>::infinity();

std::vector<float> sine(double level_db, double seconds, double freq_hz = 1000.0) {
    std::vector<float> x(static_cast<std::size_t>(seconds * kRateHz));
    const double amplitude = std::pow(10.0, level_db / 20.0);
    for (std::size_t n = 0; n < x.size(); ++n) {
        x[n] = static_cast<float>(amplitude *
                                  std::sin(2.0 * std::numbers::pi * freq_hz * n / kRateHz));
    }
    return x;
}

double peak_db(const std::vector<float>& x, std::size_t from) {
    double peak = 0.0;
    for (std::size_t n = from; n < x.size(); ++n) peak = std::max(peak, std::fabs(double{x[n]}));
    return 20.0 * std::log10(peak);
}

double rms_db(const std::vector<float>& x, std::size_t from) {
    double sum = 0.0;
    for (std::size_t n = from; n < x.size(); ++n) sum += double{x[n]} * x[n];
    return 10.0 * std::log10(sum / static_cast<double>(x.size() - from));
}

// Steady-state output level of a 1 kHz tone, after 0.5 s of settling, over the last 0.1 s.
double steady_output_db(const CompressorConfig& config, double level_db) {
    Compressor compressor(config, kRateHz, 1);
    std::vector<float> x = sine(level_db, 0.6);
    compressor.process(x);
    return config.level_mode == LevelMode::kRms ? rms_db(x, x.size() - 4800)
                                                : peak_db(x, x.size() - 4800);
}

using testing::paper_curve_db;

TEST(Compressor, StaticCurveOnSteadyTonesHardAndSoftKnee) {
    double worst_db = 0.0;
    for (double knee_db : {0.0, 12.0}) {
        for (double ratio : {2.0, 4.0, kInf}) {
            CompressorConfig config;
            config.threshold_db = -30.0;
            config.ratio = ratio;
            config.knee_db = knee_db;
            // A fast attack and a long release make the peak detector hold the tone's peak level,
            // the level the static curve is defined for (the ripple between peaks stays far inside
            // the tolerance below).
            config.attack_ms = 0.2;
            config.release_ms = 2000.0;
            for (double level_db = -60.0; level_db <= 0.0; level_db += 2.0) {
                const double expected = paper_curve_db(level_db, -30.0, ratio, knee_db);
                const double measured = steady_output_db(config, level_db);
                EXPECT_NEAR(measured, expected, 0.1)
                    << "knee " << knee_db << " ratio " << ratio << " level " << level_db;
                worst_db = std::max(worst_db, std::fabs(measured - expected));
            }
        }
    }
    RecordProperty("worst_static_curve_error_db", std::to_string(worst_db));
    std::printf("static curve on tones: worst error %.4f dB\n", worst_db);
}

TEST(Compressor, RmsModeFollowsTheCurveAtTheRmsLevel) {
    CompressorConfig config;
    config.threshold_db = -30.0;
    config.ratio = 3.0;
    config.knee_db = 6.0;
    config.level_mode = LevelMode::kRms;
    config.rms_window_ms = 50.0;
    config.attack_ms = 20.0;
    config.release_ms = 20.0;
    for (double level_db = -50.0; level_db <= 0.0; level_db += 5.0) {
        const double in_rms_db = level_db - 10.0 * std::log10(2.0);  // a sine's RMS is peak/sqrt 2
        EXPECT_NEAR(steady_output_db(config, level_db), paper_curve_db(in_rms_db, -30.0, 3.0, 6.0),
                    0.1)
            << "level " << level_db;
    }
}

TEST(Compressor, RatioOneIsTheIdentity) {
    CompressorConfig config;
    config.ratio = 1.0;
    config.threshold_db = -40.0;
    config.knee_db = 10.0;
    Compressor compressor(config, kRateHz, 2);
    std::vector<float> x(96000);
    std::uint32_t seed = 1;
    for (auto& v : x) {
        seed = seed * 1664525u + 1013904223u;
        v = static_cast<float>(static_cast<double>(seed) / 4294967296.0 * 2.0 - 1.0);
    }
    std::vector<float> y(x.size());
    compressor.process(x, y);
    EXPECT_EQ(x, y);
}

TEST(Compressor, MakeupGainIsApplied) {
    CompressorConfig config;
    config.threshold_db = -20.0;
    config.ratio = 4.0;
    config.knee_db = 0.0;
    config.attack_ms = 1.0;
    config.release_ms = 2000.0;
    config.makeup_db = 6.0;
    // Below the threshold: the make-up alone.
    EXPECT_NEAR(steady_output_db(config, -40.0), -34.0, 0.01);
    // Above: the curve plus make-up.
    EXPECT_NEAR(steady_output_db(config, -4.0), -20.0 + 16.0 / 4.0 + 6.0, 0.1);

    // Automatic: half the reduction at 0 dBFS (15 dB for -20 dBFS, 4:1), added to makeup_db.
    config.makeup_db = 0.0;
    config.auto_makeup = true;
    EXPECT_DOUBLE_EQ(Compressor(config, kRateHz, 1).makeup_db(), 7.5);
    EXPECT_NEAR(steady_output_db(config, -40.0), -32.5, 0.01);
    config.makeup_db = -1.0;
    EXPECT_DOUBLE_EQ(Compressor(config, kRateHz, 1).makeup_db(), 6.5);
}

TEST(Compressor, StereoIsLinked) {
    CompressorConfig config;
    config.threshold_db = -30.0;
    config.knee_db = 0.0;
    Compressor compressor(config, kRateHz, 2);
    const std::vector<float> loud = sine(-6.0, 0.5);
    const std::vector<float> quiet = sine(-50.0, 0.5, 300.0);
    std::vector<float> x(2 * loud.size());
    for (std::size_t n = 0; n < loud.size(); ++n) {
        x[2 * n] = loud[n];
        x[2 * n + 1] = quiet[n];
    }
    std::vector<float> y(x.size());
    compressor.process(x, y);
    // One gain for both channels, set by the louder one.
    for (std::size_t n = 24000; n < loud.size(); n += 7) {
        if (std::fabs(x[2 * n]) < 1e-2f || std::fabs(x[2 * n + 1]) < 1e-4f) continue;
        EXPECT_NEAR(y[2 * n] / x[2 * n], y[2 * n + 1] / x[2 * n + 1], 1e-4);
    }
    EXPECT_LT(compressor.gain_db(), -10.0);
}

TEST(Compressor, ChunkedEqualsOnePassAndInPlaceEqualsOutOfPlace) {
    const CompressorConfig config;
    std::vector<float> x = sine(-3.0, 0.3, 220.0);
    for (std::size_t n = x.size() / 2; n < x.size(); ++n) x[n] *= 0.01f;  // a level step down
    Compressor whole(config, kRateHz, 1);
    std::vector<float> expected(x.size());
    whole.process(x, expected);
    Compressor chunked(config, kRateHz, 1);
    std::vector<float> y = x;
    for (std::size_t at = 0; at < y.size(); at += 333) {
        chunked.process(std::span<float>(y).subspan(at, std::min<std::size_t>(333, y.size() - at)));
    }
    EXPECT_EQ(y, expected);
}

void expect_invalid(const CompressorConfig& config, const char* field) {
    try {
        Compressor compressor(config, kRateHz, 1);
        ADD_FAILURE() << "accepted a bad " << field;
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find(field), std::string::npos) << e.what();
    }
}

TEST(Compressor, ValidatesParameters) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    auto with = [](auto change) {
        CompressorConfig c;
        change(c);
        return c;
    };
    expect_invalid(with([](auto& c) { c.ratio = 0.5; }), "ratio");
    expect_invalid(with([&](auto& c) { c.ratio = nan; }), "ratio");
    expect_invalid(with([](auto& c) { c.threshold_db = 3.0; }), "threshold_db");
    expect_invalid(with([](auto& c) { c.threshold_db = -kInf; }), "threshold_db");
    expect_invalid(with([](auto& c) { c.knee_db = -1.0; }), "knee_db");
    expect_invalid(with([](auto& c) { c.attack_ms = -1.0; }), "attack_ms");
    expect_invalid(with([&](auto& c) { c.release_ms = nan; }), "release_ms");
    expect_invalid(with([](auto& c) { c.makeup_db = 100.0; }), "makeup_db");
    expect_invalid(with([](auto& c) { c.rms_window_ms = 0.0; }), "rms_window_ms");
    EXPECT_THROW(Compressor(CompressorConfig{}, 0.0, 1), std::invalid_argument);
    EXPECT_THROW(Compressor(CompressorConfig{}, kRateHz, 0), std::invalid_argument);
    EXPECT_NO_THROW(Compressor(with([](auto& c) { c.ratio = kInf; }), kRateHz, 1));

    Compressor stereo(CompressorConfig{}, kRateHz, 2);
    std::vector<float> odd(3);
    EXPECT_THROW(stereo.process(odd), std::invalid_argument);
}

bool clean(const std::vector<float>& x) {
    return std::all_of(x.begin(), x.end(), [](float v) {
        return std::isfinite(v) && std::fpclassify(v) != FP_SUBNORMAL;
    });
}

TEST(Compressor, SilenceAndFullScaleGiveNoNanOrDenormals) {
    for (LevelMode mode : {LevelMode::kPeak, LevelMode::kRms}) {
        CompressorConfig config;
        config.level_mode = mode;
        config.ratio = kInf;
        config.makeup_db = 12.0;
        Compressor compressor(config, kRateHz, 2);
        // Full scale, then 10 s of silence (long enough for the release to reach the floor).
        std::vector<float> loud(2 * 48000);
        for (std::size_t n = 0; n < loud.size(); ++n) loud[n] = n % 4 < 2 ? 1.0f : -1.0f;
        compressor.process(loud);
        EXPECT_TRUE(clean(loud));
        EXPECT_TRUE(std::isfinite(compressor.gain_db()));
        std::vector<float> silence(2 * 480000, 0.0f);
        compressor.process(silence);
        EXPECT_TRUE(std::all_of(silence.begin(), silence.end(), [](float v) { return v == 0.0f; }));
        EXPECT_EQ(compressor.gain_db(), 12.0);  // the detector state decayed to exactly 0
        // Denormal input stays out of the output; NaN and inf do not poison the state.
        std::vector<float> odd = {1e-40f,
                                  -1e-42f,
                                  std::numeric_limits<float>::quiet_NaN(),
                                  0.5f,
                                  std::numeric_limits<float>::infinity(),
                                  0.5f};
        compressor.process(odd);
        EXPECT_EQ(odd[0], 0.0f);
        EXPECT_EQ(odd[1], 0.0f);
        EXPECT_TRUE(std::isfinite(compressor.gain_db()));
        std::vector<float> after = sine(-1.0, 0.1);
        compressor.process(std::span<float>(after).first(after.size() & ~std::size_t{1}));
        EXPECT_TRUE(clean(after));
    }
}

}  // namespace
}  // namespace extrema::dsp
