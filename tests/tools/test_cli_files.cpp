// Every malformed-file case gets one clear line naming the file, a non-zero
// exit, and no output file left behind.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <vector>

#include <nlohmann/json.hpp>
#include "audio/sound_file.h"
#include "cli_runner.h"
#include "extrema/codec/xtr_format.h"

namespace extrema::test {
namespace {

const std::string kSpeech = "/usr/share/sounds/alsa/Front_Center.wav";

std::vector<std::uint8_t> read_bytes(const std::filesystem::path& path) {
    return audio::read_whole_file(path);
}

void expect_clean_failure(const CliResult& r, const std::string& names,
                          const std::filesystem::path& output) {
    EXPECT_NE(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find(names), std::string::npos) << r.output;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << "one line: " << r.output;
    EXPECT_FALSE(std::filesystem::exists(output)) << "left " << output;
    // No temporary either.
    for (const auto& entry : std::filesystem::directory_iterator(output.parent_path())) {
        EXPECT_EQ(entry.path().string().find(".tmp-"), std::string::npos) << entry.path();
    }
}

TEST(ExtremaCli, EncodeDecodeRoundTripKeepsRateChannelsAndLength) {
    TempDir dir;
    // A stereo 22.05 kHz file: channels are independent streams.
    std::vector<float> stereo(2 * 22050);
    for (std::size_t i = 0; i < stereo.size() / 2; ++i) {
        stereo[2 * i] = 0.5f * std::sin(0.05f * static_cast<float>(i));
        stereo[2 * i + 1] = 0.25f * std::sin(0.011f * static_cast<float>(i));
    }
    audio::write_sound_file(dir / "in.wav", 22050, 2, stereo);
    ASSERT_EQ(
        run_cli("encode " + (dir / "in.wav").string() + " " + (dir / "s.xtr").string()).exit_code,
        0);
    const auto decoded =
        run_cli("decode " + (dir / "s.xtr").string() + " " + (dir / "out.wav").string());
    ASSERT_EQ(decoded.exit_code, 0) << decoded.output;
    const auto back = audio::read_sound_file(dir / "out.wav");
    EXPECT_EQ(back.info.rate_hz, 22050);
    EXPECT_EQ(back.info.channels, 2);
    EXPECT_EQ(back.info.frames, 22050);
    const auto info = run_cli("info --json " + (dir / "s.xtr").string());
    EXPECT_EQ(nlohmann::json::parse(info.output).at("channels"), 2) << info.output;
}

TEST(ExtremaCli, EncodeRejectsMissingAndNonAudioInput) {
    TempDir dir;
    expect_clean_failure(
        run_cli("encode " + (dir / "missing.wav").string() + " " + (dir / "o.xtr").string()),
        "missing.wav", dir / "o.xtr");
    write_bytes(dir / "text.wav", {'h', 'e', 'l', 'l', 'o', '\n'});
    expect_clean_failure(
        run_cli("encode " + (dir / "text.wav").string() + " " + (dir / "o.xtr").string()),
        "text.wav", dir / "o.xtr");
    // A WAV cut inside its header.
    auto wav = read_bytes(kSpeech);
    wav.resize(30);
    write_bytes(dir / "cut.wav", wav);
    expect_clean_failure(
        run_cli("encode " + (dir / "cut.wav").string() + " " + (dir / "o.xtr").string()), "cut.wav",
        dir / "o.xtr");
}

TEST(ExtremaCli, EncodeOfAWavTruncatedInItsDataEncodesWhatIsThere) {
    TempDir dir;
    auto wav = read_bytes(kSpeech);
    wav.resize(wav.size() / 2 + 1);  // cut mid-sample
    write_bytes(dir / "half.wav", wav);
    const auto r =
        run_cli("encode " + (dir / "half.wav").string() + " " + (dir / "o.xtr").string());
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const auto stream = codec::parse_xtr(read_bytes(dir / "o.xtr"));
    EXPECT_GT(stream.samples_per_channel, 0u);
}

TEST(ExtremaCli, DecodeRejectsEveryCorruptStream) {
    TempDir dir;
    ASSERT_EQ(run_cli("encode " + kSpeech + " " + (dir / "good.xtr").string()).exit_code, 0);
    const auto good = read_bytes(dir / "good.xtr");
    struct Case {
        std::string name;
        std::vector<std::uint8_t> bytes;
    };
    std::vector<Case> cases{
        {"truncated.xtr",
         std::vector<std::uint8_t>(good.begin(),
                                   good.begin() + static_cast<std::ptrdiff_t>(good.size() - 7))},
        {"header.xtr", std::vector<std::uint8_t>(good.begin(), good.begin() + 12)},
        {"trailing.xtr",
         [&] {
             auto b = good;
             b.push_back(1);
             b.push_back(2);
             return b;
         }()},
        {"version.xtr",
         [&] {
             auto b = good;
             b[4] = 7;
             return b;
         }()},
        {"bank.xtr",
         [&] {
             auto b = good;
             b[14] = 99;
             return b;
         }()},
        {"raw-partial.xtr", {0, 5, 0, 0, 0, 1, 2, 3}},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        write_bytes(dir / c.name, c.bytes);
        expect_clean_failure(
            run_cli("decode " + (dir / c.name).string() + " " + (dir / "o.wav").string()), c.name,
            dir / "o.wav");
        expect_clean_failure(run_cli("info " + (dir / c.name).string()), c.name, dir / "o.wav");
    }
    expect_clean_failure(
        run_cli("decode " + (dir / "nothing.xtr").string() + " " + (dir / "o.wav").string()),
        "nothing.xtr", dir / "o.wav");
}

TEST(ExtremaCli, DecodeRefusesAStreamThatClaimsDaysOfAudio) {
    TempDir dir;
    // Raw stream: 200 silences of 2^32 - 1 samples = 5 hours each at 44.1 kHz.
    std::vector<std::uint8_t> bomb;
    for (int i = 0; i < 200; ++i) bomb.insert(bomb.end(), {0, 0xFF, 0xFF, 0xFF, 0xFF});
    write_bytes(dir / "bomb.xtr", bomb);
    expect_clean_failure(
        run_cli("decode " + (dir / "bomb.xtr").string() + " " + (dir / "o.wav").string()),
        "bomb.xtr", dir / "o.wav");
}

TEST(ExtremaCli, DecodesAHandBuiltSeedRawStream) {
    TempDir dir;
    write_bytes(dir / "seed.raw", {98, 4, 0, 0xE8, 0x03, 0, 3, 0, 0, 0});
    ASSERT_EQ(
        run_cli("decode " + (dir / "seed.raw").string() + " " + (dir / "o.wav").string()).exit_code,
        0);
    const auto back = audio::read_sound_file(dir / "o.wav");
    EXPECT_EQ(back.info.rate_hz, 44100);
    EXPECT_EQ(back.info.frames, 7);
}

TEST(ExtremaCli, EvalScoresAcrossRatesAndRejectsSilence) {
    TempDir dir;
    // The prompt at a third of its rate (every third sample): eval resamples instead of refusing.
    const auto speech = audio::read_sound_file(kSpeech);
    std::vector<float> third;
    for (std::size_t i = 0; i < speech.samples.size(); i += 3) third.push_back(speech.samples[i]);
    audio::write_sound_file(dir / "third.wav", speech.info.rate_hz / 3, 1, third);
    const auto r = run_cli("eval " + kSpeech + " " + (dir / "third.wav").string());
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("MOS-LQO"), std::string::npos) << r.output;
    const auto json = run_cli("eval --json " + kSpeech + " " + (dir / "third.wav").string());
    EXPECT_EQ(json.exit_code, 0) << json.output;
    EXPECT_TRUE(nlohmann::json::parse(json.output).at("mos").is_number()) << json.output;
    // Not a terminal: no progress bar drawn.
    EXPECT_EQ(json.output.find('\r'), std::string::npos) << json.output;
    // A silent reference has no quality to compare against: one line, non-zero exit, no NaN.
    audio::write_sound_file(dir / "silent.wav", 16000, 1, std::vector<float>(32000, 0.0f));
    const auto silent = run_cli("eval " + (dir / "silent.wav").string() + " " + kSpeech);
    EXPECT_NE(silent.exit_code, 0);
    EXPECT_EQ(silent.output.find("nan"), std::string::npos) << silent.output;
}

TEST(ExtremaCli, HelpAndVersion) {
    EXPECT_EQ(run_cli("--version").exit_code, 0);
    for (const char* sub : {"encode", "decode", "info", "eval"}) {
        const auto r = run_cli(std::string(sub) + " --help");
        EXPECT_EQ(r.exit_code, 0) << sub;
        EXPECT_NE(r.output.find("Usage"), std::string::npos) << sub;
    }
    EXPECT_NE(run_cli("").exit_code, 0);
    EXPECT_NE(run_cli("encode --threshold -5 a b").exit_code, 0);
}

}  // namespace
}  // namespace extrema::test
