// Two real daemons on one host, set up from the example configs: the sender streams a speech
// file in real time and exits by itself, the receiver writes what it heard to a file on SIGTERM.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <cmath>
#include <span>

#include "audio/sound_file.h"
#include "daemon_process.h"
#include "test_support.h"
#include "udp_ports.h"

namespace extrema::daemon::testing {
namespace {

using namespace std::chrono_literals;

double energy(std::span<const float> samples) {
    double sum = 0.0;
    for (const float x : samples) sum += static_cast<double>(x) * x;
    return sum;
}

TEST(ExtremadLoopback, SpeechFileReachesTheReceiversOutputFile) {
    ASSERT_TRUE(std::filesystem::exists(kSpeechFile)) << kSpeechFile << " is missing (alsa-utils)";
    const audio::SoundData input = audio::read_sound_file(kSpeechFile);
    const double input_s = static_cast<double>(input.info.frames) / input.info.rate_hz;
    TempDir dir;
    const std::filesystem::path output = dir / "received.wav";
    const int sender_port = free_udp_port();
    const int receiver_port = free_udp_port();

    DaemonProcess receiver({"--config", (kExampleConfigs / "loopback-receiver.toml").string(),
                            "--output-file", output.string(), "--bind",
                            loopback_address(receiver_port), "--peer",
                            loopback_address(sender_port), "--stats-interval-s", "0.5"});
    ASSERT_TRUE(receiver.await_stderr("running: receive", 3s)) << describe_stderr(receiver);

    DaemonProcess sender({"--config", (kExampleConfigs / "loopback-sender.toml").string(),
                          "--input-file", kSpeechFile.string(), "--bind",
                          loopback_address(sender_port), "--peer",
                          loopback_address(receiver_port)});
    const auto send_time = std::chrono::milliseconds(static_cast<int>(input_s * 1000.0));
    ASSERT_EQ(sender.wait_exit(send_time + 3s), 0) << describe_stderr(sender);
    EXPECT_TRUE(sender.await_stderr("input finished", 0s)) << describe_stderr(sender);

    // While the sender ran (more than two intervals), the receiver logged its figures.
    EXPECT_TRUE(receiver.await_stderr("pkts, lost", 1s)) << describe_stderr(receiver);
    receiver.send_signal(SIGTERM);
    ASSERT_EQ(receiver.wait_exit(1s), 0) << describe_stderr(receiver);
    EXPECT_TRUE(receiver.await_stderr("summary: up", 0s)) << describe_stderr(receiver);

    ASSERT_TRUE(std::filesystem::exists(output)) << describe_stderr(receiver);
    const audio::SoundData received = audio::read_sound_file(output);
    ASSERT_EQ(received.info.rate_hz, input.info.rate_hz);
    ASSERT_EQ(received.info.channels, 1);
    // The receiver plays out in real time from its start to its stop, which bracket the send.
    const double received_s = static_cast<double>(received.info.frames) / received.info.rate_hz;
    EXPECT_GE(received_s, input_s - 0.05);
    EXPECT_LE(received_s, input_s + 1.5);
    // The speech came through: about its energy (the rest of the output is silence), and its
    // peaks.
    const double ratio = energy(received.samples) / energy(input.samples);
    EXPECT_GT(ratio, 0.7) << "output much quieter than the input";
    EXPECT_LT(ratio, 1.4) << "output much louder than the input";
    const auto peak = [](const std::vector<float>& samples) {
        float most = 0.0f;
        for (const float x : samples) most = std::max(most, std::abs(x));
        return most;
    };
    EXPECT_GT(peak(received.samples), 0.5f * peak(input.samples));
}

}  // namespace
}  // namespace extrema::daemon::testing
