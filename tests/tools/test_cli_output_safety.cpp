// Outputs that would be silently corrupt, destroy an input, or be left behind half-written: each
// is refused before writing, with one line naming the file, or cleaned up.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <thread>
#include <vector>

#include "audio/sound_file.h"
#include "cli_runner.h"
#include "extrema/codec/xtr_format.h"

namespace extrema::test {
namespace {

const std::string kSpeech = "/usr/share/sounds/alsa/Front_Center.wav";

// A mono stream of `count` silences of `each` samples: a few bytes for hours of audio.
std::filesystem::path silences(const TempDir& dir, const std::string& name, std::uint32_t rate_hz,
                               int count, std::uint32_t each) {
    codec::XtrStream stream;
    stream.sample_rate_hz = rate_hz;
    stream.channels.emplace_back(static_cast<std::size_t>(count), codec::Record::silence(each));
    stream.samples_per_channel = std::uint64_t{each} * static_cast<std::uint64_t>(count);
    const std::filesystem::path path = dir / name;
    write_bytes(path, codec::serialize_xtr(stream));
    return path;
}

bool any_temporary(const std::filesystem::path& dir) {
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.path().string().find(".tmp-") != std::string::npos) return true;
    }
    return false;
}

void expect_refused(const CliResult& r, const std::string& says,
                    const std::filesystem::path& output) {
    EXPECT_NE(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find(says), std::string::npos) << r.output;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << "one line: " << r.output;
    EXPECT_FALSE(std::filesystem::exists(output)) << output;
    EXPECT_FALSE(any_temporary(output.parent_path()));
}

TEST(OutputSafety, AWavOver4GiBIsRefusedBeforeWriting) {
    TempDir dir;
    // Ten 380 M-sample silences: 23.9 h at 44.1 kHz, under --max-hours 24; 7.6 GB as 16-bit.
    const auto bomb = silences(dir, "bomb.xtr", 44100, 10, 380'000'000);
    EXPECT_LT(std::filesystem::file_size(bomb), 100u);
    const auto out = dir / "out.wav";
    const CliResult r = run_cli("decode " + bomb.string() + " " + out.string());
    expect_refused(r, "do not fit in a WAV file", out);
    EXPECT_NE(r.output.find(".w64"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find(".rf64"), std::string::npos) << r.output;
}

TEST(OutputSafety, OutputBytesAreLimitedAsWellAsHours) {
    TempDir dir;
    // 768 kHz, 16 silences of 4e9 samples: 23.1 h, under --max-hours 24; 128 GB of 16-bit audio.
    const auto bomb = silences(dir, "bomb.xtr", 768000, 16, 4'000'000'000u);
    EXPECT_LT(std::filesystem::file_size(bomb), 200u);
    for (const char* name : {"out.w64", "out.rf64", "out.wav", "out.flac"}) {
        const auto out = dir / name;
        expect_refused(run_cli("decode " + bomb.string() + " " + out.string()), "--max-bytes", out);
    }
    // The limit is the user's to set: 10 s of 48 kHz mono 16-bit (960 000 bytes) fits in 1 MiB,
    // 20 s do not.
    const auto ten_s = silences(dir, "ten.xtr", 48000, 1, 480000);
    const auto twenty_s = silences(dir, "twenty.xtr", 48000, 1, 960000);
    EXPECT_EQ(run_cli("decode --max-bytes 1MiB " + ten_s.string() + " " + (dir / "a.wav").string())
                  .exit_code,
              0);
    expect_refused(
        run_cli("decode --max-bytes 1MiB " + twenty_s.string() + " " + (dir / "b.wav").string()),
        "--max-bytes", dir / "b.wav");
}

TEST(OutputSafety, W64Rf64AndFlacOutputsWork) {
    TempDir dir;
    const auto xtr = dir / "speech.xtr";
    ASSERT_EQ(run_cli("encode " + kSpeech + " " + xtr.string()).exit_code, 0);
    const auto reference = audio::read_sound_file(kSpeech);
    for (const char* name : {"out.w64", "out.rf64", "out.flac", "out.wav"}) {
        const auto out = dir / name;
        const CliResult r = run_cli("decode " + xtr.string() + " " + out.string());
        ASSERT_EQ(r.exit_code, 0) << name << ": " << r.output;
        const auto back = audio::read_sound_file(out);
        EXPECT_EQ(back.info.frames, reference.info.frames) << name;
        EXPECT_EQ(back.info.rate_hz, reference.info.rate_hz) << name;
    }
    // The four decode to the same samples.
    const auto wav = audio::read_sound_file(dir / "out.wav");
    for (const char* name : {"out.w64", "out.rf64", "out.flac"}) {
        EXPECT_EQ(audio::read_sound_file(dir / name).samples, wav.samples) << name;
    }
}

TEST(OutputSafety, At768kHzTheContainersThatHoldItWork) {
    TempDir dir;
    const auto tenth = silences(dir, "tenth.xtr", 768000, 1, 76800);
    for (const char* name : {"out.wav", "out.w64", "out.rf64"}) {
        const auto out = dir / name;
        const CliResult r = run_cli("decode " + tenth.string() + " " + out.string());
        ASSERT_EQ(r.exit_code, 0) << name << ": " << r.output;
        const auto back = audio::read_sound_file(out);
        EXPECT_EQ(back.info.rate_hz, 768000) << name;
        EXPECT_EQ(back.info.frames, 76800) << name;
    }
}

TEST(OutputSafety, AnOutputThatIsTheInputIsRefused) {
    TempDir dir;
    const auto wav = dir / "x.wav";
    std::filesystem::copy_file(kSpeech, wav);
    const auto xtr = dir / "a.xtr";
    ASSERT_EQ(run_cli("encode " + wav.string() + " " + xtr.string()).exit_code, 0);
    const std::string wav_bytes = read_text(wav), xtr_bytes = read_text(xtr);
    std::filesystem::create_hard_link(xtr, dir / "hard.xtr");
    std::filesystem::create_directory(dir / "sub");
    const std::string other_spelling = (dir / "sub" / ".." / "a.xtr").string();
    for (const std::string& output : {xtr.string(), other_spelling, (dir / "hard.xtr").string()}) {
        const CliResult r = run_cli("decode " + xtr.string() + " " + output);
        EXPECT_NE(r.exit_code, 0) << output << ": " << r.output;
        EXPECT_NE(r.output.find("is the input file"), std::string::npos) << r.output;
    }
    const CliResult enc = run_cli("encode " + wav.string() + " " + wav.string());
    EXPECT_NE(enc.exit_code, 0) << enc.output;
    EXPECT_NE(enc.output.find("is the input file"), std::string::npos) << enc.output;
    EXPECT_EQ(read_text(wav), wav_bytes);
    EXPECT_EQ(read_text(xtr), xtr_bytes);
    EXPECT_FALSE(any_temporary(dir.path()));
}

TEST(OutputSafety, AFailedRenameReportsItsOwnError) {
    TempDir dir;
    // The output name is a directory that is not empty: the rename fails (EISDIR).
    std::filesystem::create_directories(dir / "out.xtr" / "inside");
    const CliResult r = run_cli("encode " + kSpeech + " " + (dir / "out.xtr").string());
    EXPECT_NE(r.exit_code, 0);
    EXPECT_EQ(r.output.find("Success"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("directory"), std::string::npos) << r.output;
    EXPECT_FALSE(any_temporary(dir.path()));
}

// Starts `extrema decode` on hours of silence, waits for its temporary, then signals it.
void interrupt_decode(int signal_number) {
    TempDir dir;
    const auto xtr = silences(dir, "long.xtr", 48000, 4, 3'000'000'000u / 4);  // 6 GB as .w64
    const auto out = dir / "out.w64";
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        ::execl(EXTREMA_CLI, EXTREMA_CLI, "decode", "--max-bytes", "16GiB", xtr.c_str(),
                out.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!any_temporary(dir.path()) && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ASSERT_TRUE(any_temporary(dir.path())) << "the decode never started writing";
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // well into writing
    ::kill(child, signal_number);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status))
        << "exited with " << WEXITSTATUS(status) << " before the signal";
    EXPECT_EQ(WTERMSIG(status), signal_number);
    EXPECT_FALSE(any_temporary(dir.path())) << "left a temporary behind";
    EXPECT_FALSE(std::filesystem::exists(out));
}

TEST(OutputSafety, SigintLeavesNoTemporary) {
    interrupt_decode(SIGINT);
}

TEST(OutputSafety, SigtermLeavesNoTemporary) {
    interrupt_decode(SIGTERM);
}

}  // namespace
}  // namespace extrema::test
