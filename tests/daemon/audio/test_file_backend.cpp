// File source and sink: bit-exact fast runs, real-time pacing, mix-down and channel choice, and
// the errors a user meets (missing file, wrong rate, no such channel).
#include <gtest/gtest.h>

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <thread>

#include "audio/file_backend.h"
#include "audio/sound_file.h"
#include "audio_test_support.h"
#include "temp_dir.h"

namespace extrema::audio {
namespace {

using extrema::test::TempDir;
using test::first_bit_difference;
using test::RingDrain;
using test::wait_until;

// Runs a fast file source into a small ring (so it has to wait for room) and returns what came
// out.
std::vector<float> run_fast(const FileSourceConfig& config, std::size_t ring_frames = 1000) {
    SampleRing ring(ring_frames);
    FileSource source(ring, config);
    RingDrain drain(ring);
    source.start();
    EXPECT_TRUE(wait_until([&] { return source.finished(); }, std::chrono::seconds(20)));
    source.stop();
    return drain.finish();
}

TEST(FileSource, FastModeDeliversEverySampleBitExactly) {
    TempDir dir;
    const auto signal = test::noise(48000 + 123, 7);  // not a whole number of blocks
    write_sound_file(dir / "noise.wav", 48000, 1, signal, SampleFormat::kFloat32);
    FileSourceConfig config;
    config.path = dir / "noise.wav";
    config.pacing = Pacing::kAsFastAsPossible;
    const auto out = run_fast(config);
    EXPECT_EQ(out.size(), signal.size());
    EXPECT_EQ(first_bit_difference(out, signal), -1);
}

TEST(FileSource, SpeechComesOutAsLibsndfileReadsIt) {
    const SoundData speech = read_sound_file(test::kSpeechWav);
    ASSERT_EQ(speech.info.rate_hz, 48000);
    FileSourceConfig config;
    config.path = test::kSpeechWav;
    config.pacing = Pacing::kAsFastAsPossible;
    const auto out = run_fast(config);
    EXPECT_EQ(first_bit_difference(out, speech.samples), -1);
}

TEST(FileSource, MixesDownOrPicksAChannel) {
    TempDir dir;
    const auto left = test::noise(4800, 1);
    const auto right = test::noise(4800, 2);
    std::vector<float> stereo;
    for (std::size_t i = 0; i < left.size(); ++i) {
        stereo.push_back(left[i]);
        stereo.push_back(right[i]);
    }
    write_sound_file(dir / "stereo.wav", 48000, 2, stereo, SampleFormat::kFloat32);
    FileSourceConfig config;
    config.path = dir / "stereo.wav";
    config.pacing = Pacing::kAsFastAsPossible;
    config.channel = 1;
    EXPECT_EQ(first_bit_difference(run_fast(config), right), -1);
    config.channel = 0;
    EXPECT_EQ(first_bit_difference(run_fast(config), left), -1);
    config.channel = -1;
    std::vector<float> mean(left.size());
    for (std::size_t i = 0; i < left.size(); ++i) mean[i] = (left[i] + right[i]) / 2.0f;
    EXPECT_EQ(first_bit_difference(run_fast(config), mean), -1);
}

TEST(FileSource, PacedRunTakesRealTime) {
    TempDir dir;
    const double seconds = 0.6;
    const auto signal = test::noise(static_cast<std::size_t>(48000 * seconds), 3);
    write_sound_file(dir / "paced.wav", 48000, 1, signal, SampleFormat::kFloat32);
    SampleRing ring(48000);
    FileSourceConfig config;
    config.path = dir / "paced.wav";
    FileSource source(ring, config);
    RingDrain drain(ring);
    const auto t0 = std::chrono::steady_clock::now();
    source.start();
    wait_until([&] { return source.finished(); }, std::chrono::seconds(10));
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    source.stop();
    std::printf("[file] paced %.3f s of audio in %.3f s\n", seconds, elapsed);
    // Loose: a loaded 2-core machine may be late, never early.
    EXPECT_GT(elapsed, seconds * 0.8);
    EXPECT_LT(elapsed, seconds * 1.2);
    EXPECT_EQ(first_bit_difference(drain.finish(), signal), -1);
    EXPECT_EQ(ring.counters().overrun_samples, 0u);
}

TEST(FileSource, WrongRateIsAClearError) {
    TempDir dir;
    write_sound_file(dir / "cd.wav", 44100, 1, test::noise(441, 4), SampleFormat::kFloat32);
    SampleRing ring(1024);
    FileSourceConfig config;
    config.path = dir / "cd.wav";
    try {
        FileSource source(ring, config);
        FAIL() << "a 44100 Hz file was accepted for a 48000 Hz stream";
    } catch (const AudioError& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("cd.wav"), std::string::npos) << message;
        EXPECT_NE(message.find("44100 Hz"), std::string::npos) << message;
        EXPECT_NE(message.find("48000 Hz"), std::string::npos) << message;
    }
    config.rate_hz = 0;  // take the file's rate
    FileSource source(ring, config);
    EXPECT_EQ(source.rate_hz(), 44100);
}

TEST(FileSource, MissingFileIsAClearError) {
    SampleRing ring(1024);
    FileSourceConfig config;
    config.path = "/nonexistent/speech.wav";
    try {
        FileSource source(ring, config);
        FAIL() << "a missing file was accepted";
    } catch (const AudioError& e) {
        EXPECT_STREQ(e.what(), "'/nonexistent/speech.wav': no such file");
    }
}

TEST(FileSource, NoSuchChannelIsAClearError) {
    SampleRing ring(1024);
    FileSourceConfig config;
    config.path = test::kSpeechWav;
    config.channel = 1;
    try {
        FileSource source(ring, config);
        FAIL() << "channel 1 of a mono file was accepted";
    } catch (const AudioError& e) {
        EXPECT_NE(std::string(e.what()).find("1 channel(s)"), std::string::npos) << e.what();
    }
}

// A pulling sink at the fastest pace: a second of audio in 50 ms of the steady clock.
FileSinkConfig fast_sink(const std::filesystem::path& path) {
    FileSinkConfig config;
    config.path = path;
    config.pace = Pace(Pace::kMaxSpeed);
    return config;
}

// What a sink pulling a ring wrote: `signal`, then the silence the ring zero-filled once empty.
void expect_signal_then_silence(const std::vector<float>& written, std::span<const float> signal) {
    ASSERT_GE(written.size(), signal.size());
    EXPECT_EQ(first_bit_difference(std::span<const float>(written).first(signal.size()), signal),
              -1);
    EXPECT_TRUE(std::all_of(written.begin() + static_cast<std::ptrdiff_t>(signal.size()),
                            written.end(), [](float s) { return s == 0.0f; }));
}

TEST(FileSink, WritesWhatItPullsAndCommitsAtStop) {
    TempDir dir;
    const auto signal = test::noise(30000, 5);
    SampleRing ring(signal.size());
    ring.push(signal);
    test::RingReader reader(ring);
    const FileSinkConfig config = fast_sink(dir / "out.wav");
    FileSink sink(reader, config);
    sink.start();
    ASSERT_TRUE(
        wait_until([&] { return sink.stats().frames >= signal.size(); }, std::chrono::seconds(5)));
    EXPECT_FALSE(std::filesystem::exists(config.path)) << "visible before commit";
    sink.stop();
    ASSERT_TRUE(std::filesystem::exists(config.path));
    const SoundData back = read_sound_file(config.path);
    EXPECT_EQ(back.info.rate_hz, 48000);
    EXPECT_EQ(back.samples.size(), sink.stats().frames);
    expect_signal_then_silence(back.samples, signal);
}

// The pump pulls at the pace of the clock it stands for: real time, or the link's Pace.
TEST(FileSink, PullsInRealTime) {
    TempDir dir;
    SampleRing ring(48000);
    test::RingReader reader(ring);
    FileSinkConfig config;
    config.path = dir / "out.wav";
    FileSink sink(reader, config);
    sink.start();
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    sink.stop();
    const double frames = static_cast<double>(sink.stats().frames);
    EXPECT_GT(frames, 24000 * 0.8);
    EXPECT_LT(frames, 24000 * 1.2);
}

TEST(FileSink, WithoutStopLeavesNothingBehind) {
    TempDir dir;
    SampleRing ring(1024);
    ring.push(test::noise(512, 6));
    test::RingReader reader(ring);
    {
        FileSink sink(reader, fast_sink(dir / "abandoned.wav"));
        sink.start();
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_TRUE(std::filesystem::is_empty(dir / ""));
}

TEST(FileSink, UnwritablePathIsAClearError) {
    SampleRing ring(1024);
    test::RingReader reader(ring);
    FileSinkConfig config;
    config.path = "/nonexistent-dir/out.wav";
    EXPECT_THROW(FileSink(reader, config), AudioError);
}

TEST(FileSink, ADirectoryAsOutputIsRefusedAtStart) {
    TempDir dir;
    SampleRing ring(1024);
    test::RingReader reader(ring);
    FileSinkConfig config;
    config.path = dir.path();
    try {
        FileSink sink(reader, config);
        FAIL() << "a directory was accepted as the output file";
    } catch (const AudioError& e) {
        EXPECT_NE(std::string(e.what()).find("is a directory"), std::string::npos) << e.what();
    }
    EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

// The temporary under way, or an empty path.
std::filesystem::path temporary_in(const std::filesystem::path& dir) {
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.path().string().find(".tmp-") != std::string::npos) return entry.path();
    }
    return {};
}

TEST(FileSink, FlushesTheFileEverySecondSoACrashLosesAtMostThat) {
    TempDir dir;
    const auto signal = test::noise(24000, 8);
    SampleRing ring(signal.size());
    ring.push(signal);
    test::RingReader reader(ring);
    FileSinkConfig config;
    config.path = dir / "out.wav";
    FileSink sink(reader, config);
    sink.start();
    ASSERT_TRUE(
        wait_until([&] { return sink.stats().frames >= signal.size(); }, std::chrono::seconds(3)));
    const std::filesystem::path temp = temporary_in(dir.path());
    ASSERT_FALSE(temp.empty());
    // A crash now would leave the temporary as it is: its header must soon count the audio.
    std::int64_t frames = 0;
    ASSERT_TRUE(wait_until(
        [&] {
            frames = SoundFileReader(temp).info().frames;
            return frames >= static_cast<std::int64_t>(signal.size());
        },
        std::chrono::seconds(3), std::chrono::milliseconds(50)))
        << "the temporary says " << frames << " frames";
    sink.stop();
}

// Files this process writes may not grow past `bytes` (write() fails with EFBIG): a full disk
// without a mount.
class FileSizeLimit {
  public:
    explicit FileSizeLimit(rlim_t bytes) {
        ::getrlimit(RLIMIT_FSIZE, &saved_);
        previous_handler_ = std::signal(SIGXFSZ, SIG_IGN);
        rlimit limit = saved_;
        limit.rlim_cur = bytes;
        ::setrlimit(RLIMIT_FSIZE, &limit);
    }
    ~FileSizeLimit() {
        ::setrlimit(RLIMIT_FSIZE, &saved_);
        std::signal(SIGXFSZ, previous_handler_);
    }

  private:
    rlimit saved_{};
    void (*previous_handler_)(int) = nullptr;
};

TEST(FileSink, AWriteErrorIsCountedAtOnceAndWhatWasWrittenIsKept) {
    TempDir dir;
    const auto signal = test::noise(100000, 9);  // 400 kB of float samples
    SampleRing ring(signal.size());
    ring.push(signal);
    test::RingReader reader(ring);
    const FileSinkConfig config = fast_sink(dir / "out.wav");
    FileSink sink(reader, config);
    {
        const FileSizeLimit limit(64 * 1024);
        sink.start();
        // Counted while running, not only at stop.
        EXPECT_TRUE(
            wait_until([&] { return sink.stats().write_errors > 0; }, std::chrono::seconds(5)));
        EXPECT_EQ(sink.stats().write_errors, 1u);
        try {
            sink.stop();
            FAIL() << "a failed write went unreported";
        } catch (const AudioError& e) {
            EXPECT_NE(std::string(e.what()).find("File too large"), std::string::npos) << e.what();
            EXPECT_NE(std::string(e.what()).find("kept"), std::string::npos) << e.what();
        }
    }
    ASSERT_TRUE(std::filesystem::exists(config.path)) << "what was written was lost";
    const SoundData back = read_sound_file(config.path);
    EXPECT_GT(back.info.frames, 10000);
    EXPECT_EQ(static_cast<std::uint64_t>(back.info.frames), sink.stats().frames);
    EXPECT_EQ(first_bit_difference(back.samples,
                                   std::span<const float>(signal).first(back.samples.size())),
              -1);
}

TEST(FileBackends, FileThroughRingToFileIsBitExact) {
    TempDir dir;
    const SoundData speech = read_sound_file(test::kSpeechWav);
    // The whole file fits: the fast source fills it before the sink's clock starts pulling.
    SampleRing ring(speech.samples.size());
    FileSourceConfig in;
    in.path = test::kSpeechWav;
    in.pacing = Pacing::kAsFastAsPossible;
    const FileSinkConfig out = fast_sink(dir / "copy.wav");
    FileSource source(ring, in);
    test::RingReader reader(ring);
    FileSink sink(reader, out);
    source.start();
    ASSERT_TRUE(wait_until([&] { return source.finished(); }, std::chrono::seconds(20)));
    source.stop();
    sink.start();
    ASSERT_TRUE(wait_until([&] { return sink.stats().frames >= speech.samples.size(); },
                           std::chrono::seconds(20)));
    sink.stop();
    expect_signal_then_silence(read_sound_file(out.path).samples, speech.samples);
}

}  // namespace
}  // namespace extrema::audio
