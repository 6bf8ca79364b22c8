// Rate control (EncoderConfig::target_kbps): the payload rate follows the target on speech within
// 10 % over every 1 s window, never exceeds it by more than 10 % on noise or clipping, and the
// records still depend only on the samples.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "allocation_counter.h"
#include "extrema/codec/decoder.h"
#include "extrema/codec/encoder.h"
#include "extrema/codec/rate_controller.h"
#include "extrema/codec/record.h"
#include "signals.h"
#include "speech_material.h"

namespace extrema::codec {
namespace {

constexpr double kTolerance = 0.10;  // the ±10 % the target allows over 1 s
constexpr double kWindowSeconds = 1.0;
constexpr double kStepSeconds = 0.01;

EncoderConfig live_config(double rate_hz, double kbps) {
    EncoderConfig c;
    c.sample_rate_hz = rate_hz;
    c.max_segment_ms = 5.0;  // the link's default latency cap
    c.target_kbps = kbps;
    return c;
}

std::vector<Record> encode_blocks(std::span<const std::int16_t> samples, const EncoderConfig& c,
                                  std::size_t block,
                                  const CurveBank& bank = CurveBank::standard()) {
    Encoder encoder(c, bank);
    std::vector<Record> records;
    for (std::size_t at = 0; at < samples.size(); at += block)
        encoder.push(samples.subspan(at, std::min(block, samples.size() - at)), records);
    encoder.flush(records);
    return records;
}

struct Rates {
    double min_active_kbps = 1e9;  // lowest 1 s window of active speech (no pause)
    double min_mostly_kbps = 1e9;  // lowest 1 s window with pauses under 10 %
    double max_kbps = 0.0;         // highest 1 s window of any kind
    double mean_kbps = 0.0;        // whole signal
    int active_windows = 0;        // windows of active speech
};

// Payload rate over every 1 s window (10 ms steps), a record counting where it ends. A window is
// active speech when all of its 10 ms frames lie within 45 dB of the loudest frame (no pause: in
// a pause there is nothing to spend the budget on, and the bucket banks only a little of it).
Rates window_rates(const std::vector<Record>& records, std::span<const std::int16_t> samples,
                   double rate_hz) {
    const auto n = samples.size();
    std::vector<double> bits_to(n + 1, 0.0);  // bits of records ending before sample i
    std::size_t at = 0;
    std::vector<std::size_t> ends;
    for (const auto& r : records) {
        at += r.samples;
        ends.push_back(at);
    }
    {
        std::size_t k = 0;
        double bits = 0.0;
        for (std::size_t i = 0; i <= n; ++i) {
            while (k < ends.size() && ends[k] <= i) {
                bits += RateController::kBitsPerRecord;
                ++k;
            }
            bits_to[i] = bits;
        }
    }
    const auto frame = static_cast<std::size_t>(std::lround(rate_hz * kStepSeconds));
    std::vector<double> frame_db;
    double loudest = -200.0;
    for (std::size_t f = 0; f + frame <= n; f += frame) {
        double e = 0.0;
        for (std::size_t i = f; i < f + frame; ++i) e += double(samples[i]) * samples[i];
        frame_db.push_back(10.0 * std::log10(e / double(frame) + 1e-9));
        loudest = std::max(loudest, frame_db.back());
    }
    Rates rates;
    rates.mean_kbps = bits_to[n] / (double(n) / rate_hz) / 1000.0;
    const auto frames_per_window =
        static_cast<std::size_t>(std::lround(kWindowSeconds / kStepSeconds));
    const std::size_t window = frames_per_window * frame;
    const double window_seconds = static_cast<double>(window) / rate_hz;
    for (std::size_t f = 0; (f + frames_per_window) * frame <= n; ++f) {
        const std::size_t from = f * frame, to = from + window;
        const double kbps = (bits_to[to] - bits_to[from]) / window_seconds / 1000.0;
        rates.max_kbps = std::max(rates.max_kbps, kbps);
        std::size_t active = 0;
        for (std::size_t g = f; g < f + frames_per_window; ++g)
            active += frame_db[g] > loudest - 45;
        if (active >= frames_per_window * 9 / 10)
            rates.min_mostly_kbps = std::min(rates.min_mostly_kbps, kbps);
        if (active == frames_per_window) {
            rates.min_active_kbps = std::min(rates.min_active_kbps, kbps);
            ++rates.active_windows;
        }
    }
    return rates;
}

test::Speech prompts() {
    return test::join(test::alsa_prompts());
}

// Windows with pauses fall short: a pause has nothing to spend on and the bucket banks only a
// little (more would overrun the next second). This bounds how far (docs/quality.md).
constexpr double kPausedShortfall = 0.20;

void expect_speech_rate(const Rates& r, double kbps, const std::string& what) {
    std::printf(
        "%s %g kbps: mean %.2f, 1 s windows: no pause min %.2f (%d windows), "
        "pauses < 10 %% min %.2f, all max %.2f\n",
        what.c_str(), kbps, r.mean_kbps, r.min_active_kbps, r.active_windows, r.min_mostly_kbps,
        r.max_kbps);
    EXPECT_LE(r.max_kbps, kbps * (1 + kTolerance)) << what;
    EXPECT_GE(r.min_active_kbps, kbps * (1 - kTolerance)) << what;
    EXPECT_GE(r.min_mostly_kbps, kbps * (1 - kPausedShortfall)) << what;
    EXPECT_GE(r.mean_kbps, kbps * (1 - kTolerance)) << what;
}

class SpeechRate : public ::testing::TestWithParam<double> {};

TEST_P(SpeechRate, AlsaPromptsStayWithinTenPercentOverEverySecond) {
    const double kbps = GetParam();
    const auto speech = prompts();
    const auto records = encode_blocks(speech.samples, live_config(speech.rate_hz, kbps), 480);
    const Rates r = window_rates(records, speech.samples, speech.rate_hz);
    expect_speech_rate(r, kbps, "ALSA prompts");
}

TEST_P(SpeechRate, EspeakVoicesStayWithinTenPercentOverEverySecond) {
    const double kbps = GetParam();
    const std::string text =
        "The quick brown fox jumps over the lazy dog. A low bandwidth voice link must keep "
        "its rate whatever the talker says, whispering or shouting, fast or slow.";
    int active_windows = 0;
    for (const auto& [voice, wpm] :
         std::vector<std::pair<std::string, int>>{{"en", 175}, {"en+f3", 140}, {"de", 220}}) {
        const auto speech = test::espeak(text, voice, wpm);
        const auto records = encode_blocks(speech.samples, live_config(speech.rate_hz, kbps), 441);
        const Rates r = window_rates(records, speech.samples, speech.rate_hz);
        expect_speech_rate(r, kbps, speech.name);
        active_windows += r.active_windows;
    }
    EXPECT_GT(active_windows, 10) << "no window of speech without a pause to check";
}

// Text long enough, without sentence pauses, for 1 s windows of speech with no pause at all.
TEST_P(SpeechRate, EspeakWithoutPausesStaysWithinTenPercent) {
    const double kbps = GetParam();
    const auto speech = test::espeak(
        "many million merry melodies mingle in the warm humming evening air while the river rolls "
        "on and on along the valley",
        "en+f3", 140);
    const auto records = encode_blocks(speech.samples, live_config(speech.rate_hz, kbps), 441);
    const Rates r = window_rates(records, speech.samples, speech.rate_hz);
    expect_speech_rate(r, kbps, speech.name + " (no pauses)");
    EXPECT_GT(r.active_windows, 10);
}

INSTANTIATE_TEST_SUITE_P(RateControl, SpeechRate, ::testing::Values(16.0, 24.0, 32.0, 48.0, 64.0),
                         [](const auto& p) { return std::to_string(int(p.param)) + "kbps"; });

// The swing bank (a record may cover two half-cycles) under the same rate control, bare and, up
// to 32 kbps, with the pre-filter docs/quality.md recommends there (above, low-passed speech has
// too few extrema left to spend the budget on).
class SwingSpeechRate : public ::testing::TestWithParam<double> {};

TEST_P(SwingSpeechRate, AlsaPromptsStayWithinTenPercentOverEverySecond) {
    const double kbps = GetParam();
    const auto speech = prompts();
    for (double lowpass_hz : {0.0, 3500.0}) {
        if (kbps > 32.0 && lowpass_hz > 0.0) continue;
        EncoderConfig c = live_config(speech.rate_hz, kbps);
        c.lowpass_hz = lowpass_hz;
        const auto records = encode_blocks(speech.samples, c, 480, CurveBank::swing());
        const Rates r = window_rates(records, speech.samples, speech.rate_hz);
        expect_speech_rate(
            r, kbps,
            "ALSA prompts, swing bank, low-pass " + std::to_string(int(lowpass_hz)) + " Hz");
    }
}

TEST_P(SwingSpeechRate, EspeakWithoutPausesStaysWithinTenPercent) {
    const double kbps = GetParam();
    const auto speech = test::espeak(
        "many million merry melodies mingle in the warm humming evening air while the river rolls "
        "on and on along the valley",
        "en+f3", 140);
    EncoderConfig c = live_config(speech.rate_hz, kbps);
    c.lowpass_hz = kbps > 32.0 ? 0.0 : 3500.0;
    const auto records = encode_blocks(speech.samples, c, 441, CurveBank::swing());
    const Rates r = window_rates(records, speech.samples, speech.rate_hz);
    expect_speech_rate(r, kbps, speech.name + " (no pauses), swing bank");
}

INSTANTIATE_TEST_SUITE_P(RateControl, SwingSpeechRate,
                         ::testing::Values(16.0, 24.0, 32.0, 48.0, 64.0),
                         [](const auto& p) { return std::to_string(int(p.param)) + "kbps"; });

// Rate-distortion segmentation (rd_segmenter.h): the controller steers its lambda instead of the
// hysteresis; the same accuracy with the swing bank, and with the standard bank from 32 kbps.
class RdSpeechRate : public ::testing::TestWithParam<double> {};

TEST_P(RdSpeechRate, AlsaPromptsStayWithinTenPercentOverEverySecond) {
    const double kbps = GetParam();
    const auto speech = prompts();
    for (const CurveBank* bank : {&CurveBank::standard(), &CurveBank::swing()}) {
        // Not met: with the standard bank at 24 kbps the loudest second runs over the tolerance
        // (docs/quality.md, "Rate-distortion segmentation").
        if (kbps < 32.0 && bank == &CurveBank::standard()) continue;
        EncoderConfig c = live_config(speech.rate_hz, kbps);
        c.segmentation = Segmentation::kRd;
        const auto records = encode_blocks(speech.samples, c, 480, *bank);
        const Rates r = window_rates(records, speech.samples, speech.rate_hz);
        expect_speech_rate(r, kbps, "ALSA prompts, rd, " + std::string(bank->name()));
    }
}

TEST_P(RdSpeechRate, EspeakWithoutPausesStaysWithinTenPercent) {
    const double kbps = GetParam();
    const auto speech = test::espeak(
        "many million merry melodies mingle in the warm humming evening air while the river rolls "
        "on and on along the valley",
        "en+f3", 140);
    EncoderConfig c = live_config(speech.rate_hz, kbps);
    c.segmentation = Segmentation::kRd;
    const auto records = encode_blocks(speech.samples, c, 441, CurveBank::swing());
    const Rates r = window_rates(records, speech.samples, speech.rate_hz);
    expect_speech_rate(r, kbps, speech.name + " (no pauses), rd, swing bank");
}

INSTANTIATE_TEST_SUITE_P(RateControl, RdSpeechRate, ::testing::Values(24.0, 32.0, 48.0),
                         [](const auto& p) { return std::to_string(int(p.param)) + "kbps"; });

// Never more than 10 % above the target, over any 1 s, on signals that are not speech.
void expect_never_above(std::span<const std::int16_t> signal, double rate_hz, double kbps,
                        const char* what) {
    const auto records = encode_blocks(signal, live_config(rate_hz, kbps), 480);
    const Rates r = window_rates(records, signal, rate_hz);
    std::printf("%s %g kbps: mean %.2f, 1 s windows max %.2f\n", what, kbps, r.mean_kbps,
                r.max_kbps);
    EXPECT_LE(r.max_kbps, kbps * (1 + kTolerance)) << what << " at " << kbps << " kbps";
}

constexpr std::size_t kSeconds4At48k = 4 * 48000;

TEST(RateControl, NoiseNeverExceedsTheTargetByMoreThanTenPercent) {
    for (double kbps : {16.0, 32.0, 64.0}) {
        expect_never_above(test::white_noise(32767.0, kSeconds4At48k), 48000.0, kbps,
                           "full-scale noise");
        // A hot microphone noise floor: white noise at -56 dBFS.
        expect_never_above(
            test::white_noise(32767.0 * std::pow(10.0, -56.0 / 20.0) * std::sqrt(3.0),
                              kSeconds4At48k, 7),
            48000.0, kbps, "noise floor -56 dBFS");
    }
}

TEST(RateControl, SpeechOverANoiseFloorNeverExceedsTheTarget) {
    const auto speech = prompts();
    auto noisy = speech.samples;
    const auto floor = test::white_noise(60.0, noisy.size(), 11);
    for (std::size_t i = 0; i < noisy.size(); ++i)
        noisy[i] = static_cast<std::int16_t>(std::clamp(noisy[i] + floor[i], -32768, 32767));
    for (double kbps : {16.0, 32.0, 64.0})
        expect_never_above(noisy, speech.rate_hz, kbps, "speech + noise floor");
}

TEST(RateControl, ClippingNeverExceedsTheTarget) {
    const auto speech = prompts();
    // The talker 20 dB too hot: hard clipped on every loud syllable.
    std::vector<std::int16_t> clipped(speech.samples.size());
    for (std::size_t i = 0; i < clipped.size(); ++i)
        clipped[i] = static_cast<std::int16_t>(std::clamp(speech.samples[i] * 10, -32768, 32767));
    for (double kbps : {16.0, 32.0, 64.0}) {
        expect_never_above(clipped, speech.rate_hz, kbps, "clipped speech");
        expect_never_above(test::square(440.0, kSeconds4At48k, 48000.0), 48000.0, kbps,
                           "full-scale square");
    }
}

TEST(RateControl, MusicLikeChordNeverExceedsTheTarget) {
    std::vector<std::int16_t> chord(kSeconds4At48k, 0);
    for (double f : {261.6, 329.6, 392.0, 1046.5, 3136.0}) {
        const auto tone = test::sine(f, 5000.0, chord.size(), 48000.0);
        for (std::size_t i = 0; i < chord.size(); ++i) chord[i] += tone[i];
    }
    for (double kbps : {16.0, 32.0, 64.0}) expect_never_above(chord, 48000.0, kbps, "chord");
}

double segmental_snr_db(std::span<const std::int16_t> ref, std::span<const std::int16_t> out) {
    constexpr std::size_t kFrame = 480;
    double sum = 0.0;
    int frames = 0;
    for (std::size_t at = 0; at + kFrame <= ref.size(); at += kFrame) {
        double s = 0.0, e = 0.0;
        for (std::size_t i = at; i < at + kFrame; ++i) {
            s += double(ref[i]) * ref[i];
            e += (double(ref[i]) - out[i]) * (double(ref[i]) - out[i]);
        }
        if (s < kFrame * 100.0 * 100.0 * 1e-4) continue;  // skip near-silent frames
        sum += std::clamp(10.0 * std::log10(s / (e + 1e-9)), -10.0, 35.0);
        ++frames;
    }
    return frames > 0 ? sum / frames : 0.0;
}

TEST(RateControl, QuietAndLoudTalkerGetTheSameRateAndNearlyTheSameQuality) {
    const auto speech = prompts();
    for (double kbps : {24.0, 48.0}) {
        double snr[2], rate[2];
        int k = 0;
        for (double dbfs : {-40.0, -10.0}) {
            const auto talker = test::at_level(speech.samples, dbfs);
            const auto records = encode_blocks(talker, live_config(speech.rate_hz, kbps), 480);
            const auto decoded = decode_all(records);
            ASSERT_EQ(decoded.size(), talker.size());
            snr[k] = segmental_snr_db(talker, decoded);
            rate[k] = window_rates(records, talker, speech.rate_hz).mean_kbps;
            ++k;
        }
        std::printf("%g kbps: -40 dBFS %.2f kbps segSNR %.2f dB, -10 dBFS %.2f kbps %.2f dB\n",
                    kbps, rate[0], snr[0], rate[1], snr[1]);
        EXPECT_NEAR(rate[0], rate[1], kbps * 0.05);
        EXPECT_NEAR(snr[0], snr[1], 1.5);
    }
}

TEST(RateControl, RecordsDoNotDependOnBlockSizes) {
    const auto speech = prompts();
    for (auto segmentation : {Segmentation::kPeaks, Segmentation::kSeedSteps}) {
        EncoderConfig c = live_config(speech.rate_hz, 32.0);
        c.segmentation = segmentation;
        c.lowpass_hz = 4000.0;
        const auto whole = encode_all(speech.samples, c);
        for (std::size_t block : {1u, 7u, 240u, 241u, 4096u})
            EXPECT_EQ(encode_blocks(speech.samples, c, block), whole) << "block " << block;
        Encoder encoder(c);
        std::vector<Record> records;
        std::mt19937 rng(5);
        std::span<const std::int16_t> rest(speech.samples);
        while (!rest.empty()) {
            const std::size_t n = std::min<std::size_t>(rest.size(), rng() % 700);
            encoder.push(rest.first(n), records);
            rest = rest.subspan(n);
        }
        encoder.flush(records);
        EXPECT_EQ(records, whole);
    }
}

TEST(RateControl, OffByDefaultAndZeroKeepsTheFixedThreshold) {
    EXPECT_EQ(EncoderConfig{}.target_kbps, 0.0);
    const auto speech = prompts();
    EncoderConfig fixed = live_config(speech.rate_hz, 0.0);
    EncoderConfig other = fixed;
    other.threshold_lsb = 400.0f;
    EXPECT_NE(encode_all(speech.samples, fixed), encode_all(speech.samples, other));
    // With a target the fixed threshold no longer matters.
    fixed.target_kbps = other.target_kbps = 32.0;
    EXPECT_EQ(encode_all(speech.samples, fixed), encode_all(speech.samples, other));
}

TEST(RateControl, PushAllocatesNothingWithRateControlOn) {
    const auto speech = prompts();
    Encoder encoder(live_config(speech.rate_hz, 24.0));
    std::vector<Record> records;
    records.reserve(speech.samples.size());
    const std::span<const std::int16_t> all(speech.samples);
    std::vector<float> as_float(480);
    test::AllocationCounter counter;
    for (std::size_t at = 0; at + 480 <= all.size(); at += 480) {
        if ((at / 480) % 2 == 0) {
            encoder.push(all.subspan(at, 480), records);
        } else {
            for (std::size_t i = 0; i < 480; ++i) as_float[i] = all[at + i] / 32767.0f;
            encoder.push(std::span<const float>(as_float), records);
        }
    }
    encoder.flush(records);
    EXPECT_EQ(counter.count(), 0u);
    EXPECT_GT(records.size(), 100u);
}

TEST(RateControl, BadTargetsAreRejected) {
    for (double kbps :
         {-1.0, -0.001, RateController::kMaxTargetKbps + 1.0, 1e12,
          std::numeric_limits<double>::infinity(), std::numeric_limits<double>::quiet_NaN()}) {
        EncoderConfig c = live_config(48000.0, kbps);
        EXPECT_THROW(Encoder{c}, std::invalid_argument) << kbps;
    }
    EXPECT_NO_THROW(Encoder{live_config(48000.0, RateController::kMaxTargetKbps)});
}

}  // namespace
}  // namespace extrema::codec
