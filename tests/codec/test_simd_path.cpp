// Every SIMD path (simd_path.h) must give the same records and the same decoded samples, byte for
// byte: the portable path is what a CPU without AVX2 (or any non-x86 CPU) runs, and a stream
// encoded on one machine is decoded on another. Each narrower path is forced in turn and compared
// with the path this CPU runs; on a CPU that has only the portable path the comparison is with
// itself, and the same tests then pin nothing but that encoding and decoding run.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "audio/sound_file.h"
#include "extrema/codec/curve_matcher.h"
#include "extrema/codec/decoder.h"
#include "extrema/codec/encoder.h"
#include "extrema/codec/record.h"
#include "extrema/codec/simd_path.h"
#include "signals.h"
#include "speech_material.h"

namespace extrema::codec {
namespace {

// Forces a path for one scope.
class ForcedPath {
  public:
    explicit ForcedPath(SimdPath path) : previous_(force_simd_path(path)) {}
    ~ForcedPath() { force_simd_path(previous_); }
    ForcedPath(const ForcedPath&) = delete;
    ForcedPath& operator=(const ForcedPath&) = delete;

  private:
    SimdPath previous_;
};

struct Clip {
    std::string name;
    double rate_hz;
    std::vector<std::int16_t> samples;
};

// Real speech (the ALSA prompts), real noise (the ALSA noise recording), and generated noise at a
// loud and a quiet level, where segments are short and nearly every curve is a near tie.
std::vector<Clip> material() {
    std::vector<Clip> clips;
    for (auto& prompt : test::alsa_prompts())
        clips.push_back({prompt.name, prompt.rate_hz, std::move(prompt.samples)});
    audio::SoundInfo info;
    auto noise = audio::read_sound_file_int16("/usr/share/sounds/alsa/Noise.wav", info);
    clips.push_back({"Noise.wav", static_cast<double>(info.rate_hz), std::move(noise)});
    clips.push_back({"white noise, loud", 48000.0, test::white_noise(20000.0, 96000, 3)});
    clips.push_back({"white noise, quiet", 48000.0, test::white_noise(300.0, 96000, 4)});
    return clips;
}

std::vector<std::uint8_t> packed(const std::vector<Record>& records) {
    std::vector<std::uint8_t> bytes(records.size() * kRecordBytes);
    for (std::size_t i = 0; i < records.size(); ++i)
        pack_record(records[i],
                    std::span<std::uint8_t, kRecordBytes>(&bytes[i * kRecordBytes], kRecordBytes));
    return bytes;
}

struct Output {
    std::vector<std::uint8_t> records;  // packed, as on the wire
    std::vector<std::int16_t> decoded;
};

// Encoder settings that reach every branch of the search: long segments (the resampled grid), the
// short grids of a low threshold, the live cap, the pre-filter and the seed's segmentation.
std::vector<EncoderConfig> settings(double rate_hz) {
    std::vector<EncoderConfig> all(5);
    for (auto& config : all) config.sample_rate_hz = rate_hz;
    all[1].threshold_lsb = 4.0f;
    all[2].max_segment_ms = 5.0;
    all[3].lowpass_hz = 3400.0;
    all[4].segmentation = Segmentation::kSeedSteps;
    return all;
}

std::vector<Output> run(const std::vector<Clip>& clips, const CurveBank& bank) {
    std::vector<Output> out;
    for (const auto& clip : clips) {
        for (const auto& config : settings(clip.rate_hz)) {
            const auto records = encode_all(clip.samples, config, bank);
            out.push_back({packed(records), decode_all(records, bank)});
        }
    }
    return out;
}

// FNV-1a 64 over every record byte and decoded sample, as hex: what a run on another CPU must
// reproduce (tools/scripts/test-arm64.sh compares the x86 and the arm64 value).
std::string digest(const std::vector<Output>& outputs) {
    std::uint64_t h = 0xcbf29ce484222325ull;
    const auto add = [&h](const void* data, std::size_t size) {
        const auto* bytes = static_cast<const std::uint8_t*>(data);
        for (std::size_t i = 0; i < size; ++i) h = (h ^ bytes[i]) * 0x100000001b3ull;
    };
    for (const auto& out : outputs) {
        add(out.records.data(), out.records.size());
        for (const std::int16_t sample : out.decoded) {
            const std::uint8_t le[2] = {static_cast<std::uint8_t>(sample & 0xff),
                                        static_cast<std::uint8_t>((sample >> 8) & 0xff)};
            add(le, 2);
        }
    }
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
    return hex;
}

void expect_every_path_alike(const CurveBank& bank) {
    const auto clips = material();
    ASSERT_GE(clips.size(), 9u);
    const auto dispatched = run(clips, bank);
    ::testing::Test::RecordProperty("output_digest", digest(dispatched));
    for (int p = 0; p < static_cast<int>(detected_simd_path()); ++p) {
        const auto path = static_cast<SimdPath>(p);
        const ForcedPath forced(path);
        ASSERT_EQ(simd_path(), path);
        const auto narrower = run(clips, bank);
        ASSERT_EQ(narrower.size(), dispatched.size());
        for (std::size_t i = 0; i < narrower.size(); ++i) {
            const std::string what = std::string(simd_path_name(path)) + " vs " +
                                     std::string(simd_path_name(detected_simd_path())) + ", " +
                                     clips[i / settings(1.0).size()].name + ", setting " +
                                     std::to_string(i % settings(1.0).size()) + ", " +
                                     std::string(bank.name());
            ASSERT_FALSE(dispatched[i].records.empty()) << what;
            EXPECT_TRUE(narrower[i].records == dispatched[i].records) << what << ": records differ";
            EXPECT_TRUE(narrower[i].decoded == dispatched[i].decoded) << what << ": samples differ";
        }
    }
    ::testing::Test::RecordProperty("detected_simd_path",
                                    std::string(simd_path_name(detected_simd_path())));
}

TEST(SimdPath, EveryPathEncodesAndDecodesSpeechAndNoiseByteForByteAlike) {
    expect_every_path_alike(CurveBank::standard());
}

TEST(SimdPath, EveryPathAlikeWithThePowerBank) {
    expect_every_path_alike(CurveBank::power());
}

// Segments where curves nearly tie, so that one rounding more or less changes the choice: bank
// curves rendered exactly and rounded to int16, straight lines, and noise, on every grid size.
TEST(SimdPath, EveryPathChoosesAlikeOnNearTies) {
    const CurveBank& bank = CurveBank::standard();
    const CurveMatcher dispatched(bank);
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> level(-32768, 32767), curve(1, 255), kind(0, 3);
    std::uniform_real_distribution<float> unit(0.0f, 1.0f);
    for (int p = 0; p < static_cast<int>(detected_simd_path()); ++p) {
        const ForcedPath forced(static_cast<SimdPath>(p));
        const CurveMatcher narrower(bank);
        int differ = 0;
        for (std::size_t n : {2u, 3u, 4u, 5u, 8u, 16u, 17u, 40u, 300u}) {
            std::vector<float> samples(n);
            for (int i = 0; i < 5000; ++i) {
                const auto from = static_cast<float>(level(rng));
                const auto to = static_cast<float>(level(rng));
                const int shape = kind(rng);
                const auto id = static_cast<std::uint8_t>(curve(rng));
                for (std::size_t k = 0; k < n; ++k) {
                    const float t = static_cast<float>(k + 1) / static_cast<float>(n);
                    const float exact = from + (to - from) * bank.value(id, t);
                    samples[k] = shape == 0   ? exact
                                 : shape == 1 ? std::round(exact)
                                 : shape == 2 ? from + (to - from) * t
                                              : from + (to - from) * unit(rng);
                }
                samples[n - 1] = to;
                if (narrower.best(samples, from, to) != dispatched.best(samples, from, to) ||
                    narrower.best_by_sweep(samples, from, to) !=
                        dispatched.best_by_sweep(samples, from, to))
                    ++differ;
            }
        }
        EXPECT_EQ(differ, 0) << simd_path_name(static_cast<SimdPath>(p));
    }
}

TEST(SimdPath, ForcingAPathNeverWidensIt) {
    const ForcedPath widest(SimdPath::kAvx512);
    EXPECT_EQ(simd_path(), detected_simd_path());
    {
        const ForcedPath portable(SimdPath::kPortable);
        EXPECT_EQ(simd_path(), SimdPath::kPortable);
    }
    EXPECT_EQ(simd_path(), detected_simd_path());
}

}  // namespace
}  // namespace extrema::codec
