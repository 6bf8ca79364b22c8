// The DTX voice-activity detector: level-independent (a quiet talker is speech, a noise floor is
// not), a loud stationary sound is never gated, the hangover holds exactly as configured.
#include "extrema/codec/voice_activity.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <stdexcept>
#include <vector>

#include "speech_material.h"

namespace extrema::codec {
namespace {

constexpr double kRate = 48000.0;
constexpr std::size_t kFrame = 480;

std::vector<float> noise(double dbfs_rms, std::size_t n, unsigned seed = 7) {
    std::mt19937 random(seed);
    std::normal_distribution<float> gauss(0.0f, static_cast<float>(std::pow(10.0, dbfs_rms / 20)));
    std::vector<float> out(n);
    for (float& x : out) x = gauss(random);
    return out;
}

std::vector<VoiceFrame> analyse(VoiceActivityDetector& vad, const std::vector<float>& samples,
                                std::size_t block = 333) {
    std::vector<VoiceFrame> all;
    std::vector<VoiceFrame> frames(vad.max_frames_for(block));
    for (std::size_t at = 0; at < samples.size(); at += block) {
        const std::size_t n = std::min(block, samples.size() - at);
        const std::size_t got = vad.push(std::span<const float>(samples).subspan(at, n), frames);
        all.insert(all.end(), frames.begin(), frames.begin() + static_cast<std::ptrdiff_t>(got));
    }
    return all;
}

VoiceActivityConfig config48() {
    VoiceActivityConfig config;
    config.sample_rate_hz = kRate;
    return config;
}

TEST(VoiceActivity, FramesAreNumberedAndMeasured) {
    VoiceActivityDetector vad(config48());
    const auto frames = analyse(vad, noise(-30.0, 10 * kFrame + 100));
    ASSERT_EQ(frames.size(), 10u);
    for (std::size_t i = 0; i < frames.size(); ++i) {
        EXPECT_EQ(frames[i].index, i);
        EXPECT_NEAR(frames[i].level_dbov, -30.0, 1.0);
    }
}

TEST(VoiceActivity, NoiseFloorIsNotSpeechOnceAWindowIsSeen) {
    VoiceActivityDetector vad(config48());
    const auto frames = analyse(vad, noise(-56.0, static_cast<std::size_t>(6 * kRate)));
    // The first window (1.6 s) and the hangover after it may be taken for speech; after that
    // every frame of a steady noise floor is a pause.
    std::size_t active_late = 0;
    for (std::size_t i = 200; i < frames.size(); ++i) active_late += frames[i].active;
    EXPECT_EQ(active_late, 0u);
    EXPECT_NEAR(vad.floor_dbov(), -56.0, 3.0);
}

TEST(VoiceActivity, QuietTalkerOverNoiseIsSpeech) {
    const auto prompts = test::alsa_prompts();
    ASSERT_FALSE(prompts.empty());
    // A talker whose loudest 10 ms frame is at -40 dBFS, after 3 s of a -56 dBFS floor alone.
    const auto speech = test::at_level(prompts[0].samples, -40.0);
    const std::size_t lead = static_cast<std::size_t>(3 * kRate);
    std::vector<float> signal = noise(-56.0, lead + speech.size() + lead);
    std::vector<double> clean_energy((signal.size() + kFrame - 1) / kFrame, 0.0);
    for (std::size_t i = 0; i < speech.size(); ++i) {
        const float s = static_cast<float>(speech[i]) / 32767.0f;
        signal[lead + i] += s;
        clean_energy[(lead + i) / kFrame] += static_cast<double>(s) * s / kFrame;
    }
    VoiceActivityDetector vad(config48());
    const auto frames = analyse(vad, signal);
    const double peak = *std::max_element(clean_energy.begin(), clean_energy.end());
    std::size_t loud = 0;
    std::size_t loud_active = 0;
    for (const auto& frame : frames) {
        // Frames of the speech within 6 dB of its peak (-46 dBFS and up): the syllables' cores.
        if (clean_energy[frame.index] > peak / 4.0) {
            ++loud;
            loud_active += frame.active;
        }
    }
    ASSERT_GT(loud, 20u);
    EXPECT_EQ(loud_active, loud);
    // The noise after the speech (past the hangover) is a pause again.
    std::size_t tail_active = 0;
    const std::size_t tail_from = (lead + speech.size()) / kFrame + 30;
    for (std::size_t i = tail_from; i < frames.size(); ++i) tail_active += frames[i].active;
    EXPECT_EQ(tail_active, 0u);
}

TEST(VoiceActivity, LoudStationaryToneIsNeverGated) {
    std::vector<float> tone(static_cast<std::size_t>(5 * kRate));
    for (std::size_t i = 0; i < tone.size(); ++i) {
        tone[i] = 0.1f * static_cast<float>(std::sin(2 * 3.14159265358979 * 1000.0 * i / kRate));
    }
    VoiceActivityDetector vad(config48());
    for (const auto& frame : analyse(vad, tone)) ASSERT_TRUE(frame.active) << frame.index;
}

TEST(VoiceActivity, HangoverHoldsExactlyItsFrames) {
    auto config = config48();
    config.hangover_ms = 100.0;  // 10 frames
    VoiceActivityDetector vad(config);
    // 3 s of floor, 0.3 s of a loud burst, then floor again.
    std::vector<float> signal = noise(-60.0, static_cast<std::size_t>(3.6 * kRate));
    const std::size_t burst_from = 300 * kFrame;
    const std::size_t burst_to = 330 * kFrame;
    const auto burst = noise(-20.0, burst_to - burst_from, 9);
    std::copy(burst.begin(), burst.end(), signal.begin() + burst_from);
    const auto frames = analyse(vad, signal);
    for (std::size_t i = 200; i < 300; ++i) EXPECT_FALSE(frames[i].active) << i;
    for (std::size_t i = 300; i < 330; ++i) EXPECT_TRUE(frames[i].speech) << i;
    for (std::size_t i = 330; i < 340; ++i) {
        EXPECT_FALSE(frames[i].speech) << i;
        EXPECT_TRUE(frames[i].active) << i;
    }
    for (std::size_t i = 340; i < frames.size(); ++i) EXPECT_FALSE(frames[i].active) << i;
}

TEST(VoiceActivity, SpeechFromTheFirstFrame) {
    VoiceActivityDetector vad(config48());
    const auto frames = analyse(vad, noise(-35.0, 20 * kFrame));
    for (const auto& frame : frames) EXPECT_TRUE(frame.speech) << frame.index;
}

TEST(VoiceActivity, RefusesBadSettings) {
    auto bad = config48();
    bad.hangover_ms = -1.0;
    EXPECT_THROW(VoiceActivityDetector{bad}, std::invalid_argument);
    bad = config48();
    bad.hangover_ms = 1e9;
    EXPECT_THROW(VoiceActivityDetector{bad}, std::invalid_argument);
    bad = config48();
    bad.onset_db = 0.0;
    EXPECT_THROW(VoiceActivityDetector{bad}, std::invalid_argument);
    bad = config48();
    bad.sample_rate_hz = 0.0;
    EXPECT_THROW(VoiceActivityDetector{bad}, std::invalid_argument);
}

}  // namespace
}  // namespace extrema::codec
