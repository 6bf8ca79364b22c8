// Tone source (frequency, level, pacing, bad settings) and null sink (pulls at real-time pace).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <thread>

#include "audio/null_sink.h"
#include "audio/tone_backend.h"
#include "audio_test_support.h"

namespace extrema::audio {
namespace {

using namespace std::chrono_literals;

// Frames a paced endpoint moved in 0.5 s: 24000 at 48 kHz, within 20 %.
void expect_half_a_second(const char* what, std::uint64_t frames_moved) {
    const double frames = static_cast<double>(frames_moved);
    std::printf("[%s] %.0f frames in 0.5 s\n", what, frames);
    EXPECT_GT(frames, 24000 * 0.8);
    EXPECT_LT(frames, 24000 * 1.2);
}

// One second of a fast tone.
std::vector<float> one_second_of(const ToneConfig& config, int channels = 1) {
    SampleRing ring(4096, channels);
    ToneSource tone(ring, config);
    test::RingDrain drain(ring);
    tone.start();
    test::wait_until(
        [&] { return tone.stats().frames >= static_cast<std::uint64_t>(config.rate_hz); }, 20s);
    tone.stop();
    auto out = drain.finish();
    out.resize(static_cast<std::size_t>(config.rate_hz * channels));
    return out;
}

TEST(ToneSource, HasTheFrequencyAndLevelAsked) {
    ToneConfig config;
    config.frequency_hz = 440.0;
    config.level_dbfs = -6.0;
    config.pacing = Pacing::kAsFastAsPossible;
    const auto tone = one_second_of(config);
    float peak = 0.0f;
    int rising = 0;
    for (std::size_t i = 0; i < tone.size(); ++i) {
        peak = std::max(peak, std::abs(tone[i]));
        if (i > 0 && tone[i - 1] < 0.0f && tone[i] >= 0.0f) ++rising;
    }
    EXPECT_NEAR(peak, std::pow(10.0, -6.0 / 20.0), 1e-3);
    EXPECT_NEAR(rising, 440, 1);
}

TEST(ToneSource, SameSampleOnEveryChannel) {
    ToneConfig config;
    config.pacing = Pacing::kAsFastAsPossible;
    const auto tone = one_second_of(config, 2);
    for (std::size_t i = 0; i + 1 < tone.size(); i += 2) ASSERT_EQ(tone[i], tone[i + 1]);
}

TEST(ToneSource, PacedToneRunsInRealTime) {
    SampleRing ring(48000);
    ToneSource tone(ring, ToneConfig{});
    test::RingDrain drain(ring);
    tone.start();
    std::this_thread::sleep_for(500ms);
    tone.stop();
    expect_half_a_second("tone", tone.stats().frames);
}

TEST(ToneSource, BadSettingsAreClearErrors) {
    SampleRing ring(1024);
    ToneConfig config;
    config.frequency_hz = 30000.0;
    try {
        ToneSource tone(ring, config);
        FAIL() << "a tone above Nyquist was accepted";
    } catch (const AudioError& e) {
        EXPECT_NE(std::string(e.what()).find("24000 Hz"), std::string::npos) << e.what();
    }
    config = ToneConfig{};
    config.level_dbfs = 3.0;
    EXPECT_THROW(ToneSource(ring, config), AudioError);
}

TEST(NullSink, ConsumesAtRealTimePace) {
    SampleRing ring(48000);
    ring.push(std::vector<float>(48000, 0.5f));
    test::RingReader reader(ring);
    NullSink sink(reader, NullSinkConfig{});
    sink.start();
    std::this_thread::sleep_for(500ms);
    sink.stop();
    expect_half_a_second("null", sink.stats().frames);
    EXPECT_EQ(ring.read_available(), 48000 - sink.stats().frames);
    EXPECT_EQ(ring.counters().underrun_samples, 0u);
}

}  // namespace
}  // namespace extrema::audio
