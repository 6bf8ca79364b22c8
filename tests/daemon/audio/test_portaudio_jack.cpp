// Real PortAudio on a private JACK dummy server (48 kHz, 64-frame periods), started and torn
// down by each test. The test's own JACK clients (JackProbe) play speech into the PortAudio
// capture port and record the PortAudio playback port:
//
//   probe-play:out -> <pa>:in_0 -> PortAudioSource -> SampleRing -> RingReader -> PortAudioSink
//                                                                   -> <pa>:out_0 -> probe-rec:in
//
// The recording must equal the speech bit for bit (float32 through JACK is exact), shifted by a
// latency the test measures on JACK's frame clock and prints; and during the run, the PortAudio
// callbacks must make no allocation, lock call or syscall (rt_counters).
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <thread>

#include "audio/device_list.h"
#include "audio/portaudio_backend.h"
#include "audio/portaudio_session.h"
#include "audio/sound_file.h"
#include "audio_test_support.h"
#include "jack_probe.h"
#include "jack_server.h"

#if EXTREMA_RT_COUNTERS
#include "rt_counters.h"
#endif

namespace extrema::audio {
namespace {

using namespace std::chrono_literals;

constexpr int kRateHz = 48000;
constexpr int kPeriodFrames = 64;

class PortAudioOnJack : public ::testing::Test {
  protected:
    void SetUp() override {
        server_ = std::make_unique<test::JackServer>(kRateHz, kPeriodFrames);
        const std::string wanted = "extrema-pa-" + std::to_string(::getpid());
        session_ = std::make_unique<PortAudioSession>(wanted);
        ASSERT_EQ(session_->jack_client_name(), wanted)
            << "PortAudio did not reach the test's JACK server " << server_->name();
    }
    void TearDown() override {
        session_.reset();  // streams are gone by now (test locals); the session before the server
        server_.reset();
    }

    std::unique_ptr<test::JackServer> server_;
    std::unique_ptr<PortAudioSession> session_;
};

enum class Topology { kSourceRingSink, kDuplex };

struct LoopResult {
    std::int64_t latency_frames = -1;    // from the player's output to the recorder's input
    std::int64_t first_difference = -1;  // first sample that differs (-1: bit-exact)
    bool found_signal = false;
    std::uint64_t xruns = 0;  // JACK xruns while the speech was playing
    test::BlockMatch blocks;  // the recording against the speech, xrun slips allowed
    RingCounters ring;
    EndpointStats capture;
    EndpointStats playback;
#if EXTREMA_RT_COUNTERS
    test::RtCounts realtime;
#endif
};

// Wires the probe around the PortAudio client's ports, plays the speech once, and compares.
LoopResult run_loop(const std::string& pa_client, Topology topology) {
    const SoundData speech = read_sound_file(test::kSpeechWav);
    EXPECT_EQ(speech.info.rate_hz, kRateHz);
    const std::vector<float>& signal = speech.samples;
    // 250 ms of margin after the speech: far more than any latency the loop may have.
    test::JackProbe probe("probe-" + std::to_string(::getpid()), signal,
                          signal.size() + kRateHz / 4);
    EXPECT_EQ(probe.rate_hz(), static_cast<std::uint32_t>(kRateHz));
    EXPECT_EQ(probe.period_frames(), static_cast<std::uint32_t>(kPeriodFrames));

    // 4096 frames = 85 ms: room for many periods; the loop keeps at most one in it.
    SampleRing ring(4096);
    test::RingReader reader(ring);
    std::unique_ptr<PortAudioSource> source;
    std::unique_ptr<PortAudioSink> sink;
    std::unique_ptr<PortAudioDuplex> duplex;
    if (topology == Topology::kSourceRingSink) {
        source = std::make_unique<PortAudioSource>(ring, PortAudioConfig{});
        sink = std::make_unique<PortAudioSink>(reader, PortAudioConfig{});
    } else {
        duplex =
            std::make_unique<PortAudioDuplex>(ring, reader, PortAudioConfig{}, PortAudioConfig{});
    }
    LoopResult result;
#if EXTREMA_RT_COUNTERS
    const test::RtCounts before = test::rt_counts();
#endif
    if (duplex) {
        duplex->start();
    } else {
        // Playback first: it plays the empty ring's zeros until the first captured frame, so the
        // ring carries no backlog from the gap between the two starts (which would add latency).
        sink->start();
        source->start();
    }
    // PortAudio's ports are 0-based and auto-connected to system:*, which carries zeros on the
    // dummy backend: cut those links and put the probe in their place.
    const auto inputs = probe.ports("^" + pa_client + ":in_", JackPortIsInput);
    const auto outputs = probe.ports("^" + pa_client + ":out_", JackPortIsOutput);
    EXPECT_EQ(inputs.size(), 1u);
    EXPECT_EQ(outputs.size(), 1u);
    if (inputs.size() == 1 && outputs.size() == 1) {
        std::printf("[jack] PortAudio ports: %s, %s\n", inputs[0].c_str(), outputs[0].c_str());
        probe.disconnect_all(inputs[0]);
        probe.disconnect_all(outputs[0]);
        probe.connect(probe.player_port(), inputs[0]);
        probe.connect(outputs[0], probe.recorder_port());
        EXPECT_EQ(probe.connections(inputs[0]), std::vector<std::string>{probe.player_port()});
        EXPECT_EQ(probe.connections(outputs[0]), std::vector<std::string>{probe.recorder_port()});

        const std::uint64_t xruns_before = probe.xruns();
        probe.start_recording();
        std::this_thread::sleep_for(20ms);
        probe.start_playing();
        EXPECT_TRUE(test::wait_until([&] { return probe.recording_full(); }, 30s, 10ms))
            << "the recording did not fill in 30 s";
        result.xruns = probe.xruns() - xruns_before;
    }
    if (duplex) {
        duplex->stop();
    } else {
        sink->stop();
        source->stop();
    }
#if EXTREMA_RT_COUNTERS
    result.realtime = test::rt_counts() - before;
#endif
    result.ring = ring.counters();
    result.capture = duplex ? duplex->stats() : source->stats();
    result.playback = duplex ? duplex->stats() : sink->stats();

    // Align on the first non-zero sample, then demand every bit of the speech and silence around.
    const auto& recording = probe.recording();
    const auto first_nonzero = [](const std::vector<float>& v) {
        for (std::size_t i = 0; i < v.size(); ++i) {
            if (v[i] != 0.0f) return static_cast<std::int64_t>(i);
        }
        return std::int64_t{-1};
    };
    const std::int64_t s0 = first_nonzero(signal);
    const std::int64_t r0 = first_nonzero(recording);
    if (s0 < 0 || r0 < s0) return result;
    const auto offset = static_cast<std::size_t>(r0 - s0);
    if (offset + signal.size() > recording.size()) return result;
    result.found_signal = true;
    std::vector<float> expected(recording.size(), 0.0f);
    std::copy(signal.begin(), signal.end(), expected.begin() + static_cast<std::ptrdiff_t>(offset));
    result.first_difference = test::first_bit_difference(recording, expected);
    result.blocks = test::match_blocks(recording, signal, static_cast<std::int64_t>(offset),
                                       test::kXrunMatchBlock, test::kXrunMaxSlide);
    result.latency_frames = static_cast<std::int64_t>(probe.record_start_frame()) +
                            static_cast<std::int64_t>(offset) -
                            static_cast<std::int64_t>(probe.play_start_frame());
    return result;
}

void print(const char* what, const LoopResult& r) {
    std::printf(
        "[jack] %s: latency %lld frames (%.3f ms at %d Hz, period %d), bit-exact: %s, "
        "xruns %llu, ring overruns %llu underruns %llu, frames in %llu out %llu\n",
        what, static_cast<long long>(r.latency_frames), r.latency_frames * 1000.0 / kRateHz,
        kRateHz, kPeriodFrames, r.first_difference < 0 ? "yes" : "NO",
        static_cast<unsigned long long>(r.xruns),
        static_cast<unsigned long long>(r.ring.overrun_samples),
        static_cast<unsigned long long>(r.ring.underrun_samples),
        static_cast<unsigned long long>(r.capture.frames),
        static_cast<unsigned long long>(r.playback.frames));
#if EXTREMA_RT_COUNTERS
    std::printf(
        "[jack] %s: on the callback threads: %llu allocations, %llu frees, %llu lock calls, "
        "%llu syscalls\n",
        what, static_cast<unsigned long long>(r.realtime.allocations),
        static_cast<unsigned long long>(r.realtime.frees),
        static_cast<unsigned long long>(r.realtime.locks),
        static_cast<unsigned long long>(r.realtime.syscalls));
#endif
}

// A JACK xrun while the speech plays (a cycle the server ran late: other real-time work on a
// loaded 2-core machine) can drop a period, which is the machine's fault, not the loop's. Such a
// run is repeated, a bounded number of times and saying so; a failure without xruns is final.
// If every attempt had xruns, expect_loop_exact compares blocks instead of every sample.
LoopResult run_loop_until_clean(const std::string& pa_client, Topology topology, const char* what) {
    constexpr int kAttempts = 3;
    LoopResult r;
    for (int attempt = 1; attempt <= kAttempts; ++attempt) {
        r = run_loop(pa_client, topology);
        print(what, r);
        const bool exact = r.found_signal && r.first_difference < 0;
        if (exact || r.xruns == 0) break;
        std::printf("[jack] %s: attempt %d of %d had %llu xrun(s) while playing; %s\n", what,
                    attempt, kAttempts, static_cast<unsigned long long>(r.xruns),
                    attempt < kAttempts ? "running it again" : "giving up");
    }
    return r;
}

void expect_loop_exact(const LoopResult& r) {
    ASSERT_TRUE(r.found_signal) << "the speech never came back";
    if (r.first_difference >= 0 && r.xruns > 0) {
        std::printf(
            "[jack] every attempt had xruns: %zu of %zu blocks are the speech bit for bit "
            "where slips of up to %lld samples are allowed\n",
            r.blocks.exact_blocks, r.blocks.signal_blocks,
            static_cast<long long>(test::kXrunMaxSlide));
        EXPECT_GE(r.blocks.exact_fraction(), test::kMinExactShareWithXruns)
            << "the loop changed the signal";
    } else {
        EXPECT_EQ(r.first_difference, -1) << "the loop changed the signal";
    }
}

TEST_F(PortAudioOnJack, SourceRingSinkLoopIsBitExactAndReportsLatency) {
    const LoopResult r = run_loop_until_clean(session_->jack_client_name(),
                                              Topology::kSourceRingSink, "source -> ring -> sink");
    expect_loop_exact(r);
    EXPECT_GE(r.latency_frames, 0);
    // Two separate streams joined by a ring: at most one period on top of JACK's own.
    EXPECT_LE(r.latency_frames, 2 * kPeriodFrames);
    EXPECT_GT(r.capture.frames, 0u);
    EXPECT_GT(r.playback.frames, 0u);
}

TEST_F(PortAudioOnJack, CallbacksMakeNoAllocationLockOrSyscall) {
#if EXTREMA_RT_COUNTERS
    const LoopResult r = run_loop_until_clean(session_->jack_client_name(),
                                              Topology::kSourceRingSink, "real-time check");
    ASSERT_GT(r.capture.frames, static_cast<std::uint64_t>(kRateHz))
        << "too few callbacks ran to prove anything";
    EXPECT_EQ(r.realtime.allocations, 0u);
    EXPECT_EQ(r.realtime.frees, 0u);
    EXPECT_EQ(r.realtime.locks, 0u);
    EXPECT_EQ(r.realtime.syscalls, 0u);
#else
    GTEST_SKIP() << "allocation and lock counting replaces malloc: not built with sanitizers";
#endif
}

TEST_F(PortAudioOnJack, DuplexLoopIsBitExactAndReportsLatency) {
    const LoopResult r =
        run_loop_until_clean(session_->jack_client_name(), Topology::kDuplex, "duplex");
    expect_loop_exact(r);
    EXPECT_GE(r.latency_frames, 0);
    EXPECT_LE(r.latency_frames, kPeriodFrames);
#if EXTREMA_RT_COUNTERS
    EXPECT_EQ(r.realtime.allocations + r.realtime.frees + r.realtime.locks + r.realtime.syscalls,
              0u);
#endif
}

std::string error_of(const std::function<void()>& open) {
    try {
        open();
    } catch (const AudioError& e) {
        return e.what();
    }
    return "(no error)";
}

TEST_F(PortAudioOnJack, UnknownDeviceNameIsAClearError) {
    SampleRing ring(1024);
    test::RingReader reader(ring);
    PortAudioConfig config;
    config.device = "no-such-card";
    const std::string message = error_of([&] { PortAudioSource source(ring, config); });
    std::printf("[jack] %s\n", message.c_str());
    EXPECT_NE(message.find("no input device matches 'no-such-card'"), std::string::npos) << message;
    EXPECT_NE(message.find("system (JACK Audio Connection Kit)"), std::string::npos) << message;

    config.device = "17";
    const std::string by_index = error_of([&] { PortAudioSink sink(reader, config); });
    EXPECT_NE(by_index.find("no audio device with index 17"), std::string::npos) << by_index;
}

TEST_F(PortAudioOnJack, DeviceFoundByNameCaseInsensitively) {
    SampleRing ring(1024);
    PortAudioConfig config;
    config.device = "SYST";
    PortAudioSource source(ring, config);
    EXPECT_NE(source.describe().find("system"), std::string::npos) << source.describe();
}

TEST_F(PortAudioOnJack, UnsupportedRateIsAClearError) {
    SampleRing ring(1024);
    test::RingReader reader(ring);
    PortAudioConfig config;
    config.rate_hz = 12345;
    const std::string capture = error_of([&] { PortAudioSource source(ring, config); });
    std::printf("[jack] %s\n", capture.c_str());
    EXPECT_NE(capture.find("cannot capture at 12345 Hz"), std::string::npos) << capture;
    EXPECT_NE(capture.find("rates it supports: 48000 Hz"), std::string::npos) << capture;
    const std::string playback = error_of([&] { PortAudioSink sink(reader, config); });
    EXPECT_NE(playback.find("cannot play at 12345 Hz"), std::string::npos) << playback;
}

TEST_F(PortAudioOnJack, DeviceListShowsTheJackSystemDevice) {
    const auto devices = list_devices();
    const auto it = std::find_if(devices.begin(), devices.end(), [](const DeviceInfo& d) {
        return d.name == "system" && d.host_api == "JACK Audio Connection Kit";
    });
    ASSERT_NE(it, devices.end());
    EXPECT_EQ(it->max_input_channels, 2);
    EXPECT_EQ(it->max_output_channels, 2);
    EXPECT_EQ(it->input_rates_hz, std::vector<int>{48000});
    EXPECT_EQ(it->output_rates_hz, std::vector<int>{48000});
}

}  // namespace
}  // namespace extrema::audio
