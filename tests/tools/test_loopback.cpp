// `extrema loopback`: a real sender and receiver on 127.0.0.1 through the impairment proxy, in
// real time. Clean, the receiver plays the offline decode sample for sample; impaired, the run
// completes at full length and the receiver counts exactly what the proxy did.
#include "loopback_run.h"

#include <gtest/gtest.h>

#include "audio/sound_file.h"
#include "cli_runner.h"

namespace extrema::cli {
namespace {

const std::filesystem::path kSpeechWav = "/usr/share/sounds/alsa/Front_Center.wav";

std::vector<std::int16_t> read_int16(const std::filesystem::path& path) {
    audio::SoundInfo info;
    return audio::read_sound_file_int16(path, info);
}

TEST(Loopback, CleanLinkPlaysTheOfflineDecodeSampleForSample) {
    test::TempDir dir;
    LoopbackOptions options;
    options.input = kSpeechWav;
    options.output = dir / "out.wav";
    const LoopbackReport report = run_loopback(options);
    EXPECT_TRUE(report.played);
    EXPECT_EQ(report.output_samples, report.input_samples);
    EXPECT_EQ(report.missing_samples, 0u);
    EXPECT_TRUE(report.resyncs.empty());
    EXPECT_TRUE(report.identical) << report.differing_samples << " samples differ";
    EXPECT_EQ(report.receiver.receive.lost, 0u);
    EXPECT_EQ(report.receiver.receive.packets, report.sender.send.packets);
    EXPECT_EQ(report.timeline_error_samples, 0);
    // The file written is what `extrema encode` + `extrema decode` make with the same settings.
    ASSERT_EQ(test::run_cli("encode " + kSpeechWav.string() + " " + (dir / "s.xtr").string() +
                            " --max-segment-ms 5")
                  .exit_code,
              0);
    ASSERT_EQ(
        test::run_cli("decode " + (dir / "s.xtr").string() + " " + (dir / "offline.wav").string())
            .exit_code,
        0);
    EXPECT_EQ(read_int16(dir / "out.wav"), read_int16(dir / "offline.wav"));
}

TEST(Loopback, ImpairedLinkCompletesAndCountsWhatWasInjected) {
    test::TempDir dir;
    LoopbackOptions options;
    options.input = kSpeechWav;
    options.output = dir / "out.wav";
    options.impairment.loss_percent = 10.0;
    options.impairment.jitter_ms = 20.0;
    options.impairment.reorder_percent = 2.0;
    options.impairment.duplicate_percent = 2.0;
    options.impairment.seed = 7;
    const LoopbackReport r = run_loopback(options);
    const pipeline::ReceiveStats& rx = r.receiver.receive;
    EXPECT_TRUE(r.played);
    EXPECT_EQ(r.output_samples, r.input_samples);
    EXPECT_EQ(read_int16(dir / "out.wav").size(), r.input_samples);
    // Something was injected of each kind (seed 7 on 138 packets), and the receiver saw it.
    EXPECT_GT(r.injected.dropped, 0u);
    EXPECT_GT(r.injected.duplicated, 0u);
    EXPECT_GT(r.injected.out_of_order, 0u);
    EXPECT_EQ(rx.datagrams, r.injected.forwarded);
    EXPECT_EQ(rx.packets, rx.datagrams);  // nothing invalid on the way
    EXPECT_EQ(rx.duplicate, r.injected.duplicated);
    // Losses are counted from sequence gaps: a drop at the very end leaves no gap behind it.
    EXPECT_LE(rx.lost, r.injected.dropped);
    EXPECT_GE(rx.lost + 2, r.injected.dropped);
    // The target (20 ms + the 20 ms of jitter) absorbs the jitter and the reordering.
    EXPECT_EQ(rx.late, 0u);
    EXPECT_GT(rx.concealed_samples, 0u);
    EXPECT_EQ(r.timeline_error_samples, 0);
    EXPECT_FALSE(r.identical);
}

TEST(Loopback, CommandPrintsAJsonReport) {
    test::TempDir dir;
    const test::CliResult result =
        test::run_cli("loopback " + kSpeechWav.string() + " " + (dir / "out.wav").string() +
                      " --loss 5 --seed 3 --packet-ms 20 --json");
    ASSERT_EQ(result.exit_code, 0) << result.output;
    for (const char* key :
         {"\"wire_kbps\"", "\"packets_sent\"", "\"lost\"", "\"concealed_samples\"",
          "\"timeline_error_samples\"", "\"timeline_error_end_samples\"", "\"missing_samples\"",
          "\"resyncs\"", "\"vs_offline\"", "\"stoi\""}) {
        EXPECT_NE(result.output.find(key), std::string::npos) << key << " in " << result.output;
    }
    EXPECT_TRUE(std::filesystem::exists(dir / "out.wav"));
}

TEST(Loopback, MissingInputIsAClearError) {
    test::TempDir dir;
    const test::CliResult result =
        test::run_cli("loopback /nonexistent.wav " + (dir / "out.wav").string());
    EXPECT_NE(result.exit_code, 0);
    EXPECT_NE(result.output.find("/nonexistent.wav"), std::string::npos) << result.output;
    EXPECT_FALSE(std::filesystem::exists(dir / "out.wav"));
}

}  // namespace
}  // namespace extrema::cli
