// The command line a newcomer meets, run as a user runs it: exit codes (0 ok, 1 runtime, 2 usage),
// one "extrema:" line per error with a pointer to the right command or spelling, '-' for pipes,
// and the README synopsis and man pages equal to what the parser renders.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <string>

#include "cli_runner.h"

namespace extrema::test {
namespace {

const std::string kSpeech = "/usr/share/sounds/alsa/Front_Center.wav";

void expect_error(const CliResult& r, int code, const std::string& message) {
    EXPECT_EQ(r.exit_code, code) << r.output;
    EXPECT_EQ(r.output.rfind("extrema: ", 0), 0u) << r.output;
    EXPECT_NE(r.output.find(message), std::string::npos) << r.output;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
}

TEST(ExtremaUsage, BareCommandPrintsEveryCommand) {
    const auto r = run_cli("");
    EXPECT_EQ(r.exit_code, 2);
    for (const char* command :
         {"encode", "decode", "info", "eval", "compress", "svd", "report", "devices", "loopback"}) {
        EXPECT_NE(r.output.find("\n  " + std::string(command) + " "), std::string::npos) << command;
    }
}

TEST(ExtremaUsage, MisspeltCommandSuggestsTheCommand) {
    expect_error(run_cli("decod a b"), 2, "unknown command 'decod' (did you mean 'decode'?)");
    expect_error(run_cli("svd decod a b"), 2, "unknown command 'decod' (did you mean 'decode'?)");
}

TEST(ExtremaUsage, MisspeltOptionSuggestsTheNearestFlag) {
    expect_error(run_cli("compress a.wav b.wav --treshold 100"), 2,
                 "unknown option '--treshold' for 'extrema compress' (did you mean "
                 "'--threshold-db'?)");
    expect_error(run_cli("encode a.wav b.xtr --lowpas 100"), 2, "did you mean '--lowpass'?");
}

TEST(ExtremaUsage, ParserErrorsAreUsageErrorsWithTheCommandNamed) {
    expect_error(run_cli("compress a.wav"), 2, "compress: output is required");
    expect_error(run_cli("encode a.wav b.xtr --threshold -5"), 2, "encode:");
    expect_error(run_cli("svd encode a.wav b.xsvd"), 2, "--rank is required");
}

TEST(ExtremaUsage, MissingFileHasOneMessageFormInEveryCommand) {
    TempDir dir;
    const std::string out = (dir / "o").string();
    expect_error(run_cli("encode /nonexistent.wav " + out + ".xtr"), 1,
                 "'/nonexistent.wav': no such file");
    expect_error(run_cli("decode /nonexistent.xtr " + out + ".wav"), 1,
                 "'/nonexistent.xtr': no such file");
    expect_error(run_cli("info /nonexistent.xtr"), 1, "'/nonexistent.xtr': no such file");
    expect_error(run_cli("compress /nonexistent.wav " + out + ".wav"), 1,
                 "'/nonexistent.wav': no such file");
}

TEST(ExtremaUsage, AudioGivenToDecodeOrInfoPointsToEncode) {
    TempDir dir;
    expect_error(run_cli("decode " + kSpeech + " " + (dir / "o.wav").string()), 1,
                 "this is an audio file, not an extrema stream: use 'extrema encode'");
    expect_error(run_cli("info " + kSpeech), 1, "this is an audio file, not an extrema stream");
}

TEST(ExtremaUsage, StreamGivenToEncodePointsToDecode) {
    TempDir dir;
    const std::string xtr = (dir / "s.xtr").string();
    ASSERT_EQ(run_cli("encode " + kSpeech + " " + xtr).exit_code, 0);
    expect_error(run_cli("encode " + xtr + " " + (dir / "again.xtr").string()), 1,
                 "this is an extrema stream (.xtr), not audio: use 'extrema decode'");
    const std::string xsvd = (dir / "s.xsvd").string();
    ASSERT_EQ(run_cli("svd encode " + kSpeech + " " + xsvd + " --rank 8").exit_code, 0);
    expect_error(run_cli("encode " + xsvd + " " + (dir / "x.xtr").string()), 1,
                 "use 'extrema svd decode'");
}

TEST(ExtremaUsage, MismatchedOutputExtensionsAreRefusedBeforeWriting) {
    TempDir dir;
    expect_error(run_cli("encode " + kSpeech + " " + (dir / "out.wav").string()), 1,
                 "writes an extrema stream, not .wav: name the output .xtr");
    const std::string xtr = (dir / "s.xtr").string();
    ASSERT_EQ(run_cli("encode " + kSpeech + " " + xtr).exit_code, 0);
    expect_error(run_cli("decode " + xtr + " " + (dir / "out.mp3").string()), 1,
                 "not .mp3: name the output .wav or .w64 or .rf64 or .flac");
    EXPECT_FALSE(std::filesystem::exists(dir / "out.wav"));
    EXPECT_FALSE(std::filesystem::exists(dir / "out.mp3"));
    // The name asks for FLAC: FLAC is written.
    ASSERT_EQ(run_cli("decode " + xtr + " " + (dir / "out.flac").string()).exit_code, 0);
    EXPECT_EQ(read_text(dir / "out.flac").substr(0, 4), "fLaC");
}

TEST(ExtremaUsage, EncodeSummarisesAndDefaultsToTheDaemonsSegmentCap) {
    TempDir dir;
    const auto r = run_cli("encode " + kSpeech + " " + (dir / "a.xtr").string());
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("a.xtr: 1.43 s, 48000 Hz, 1 channel, "), std::string::npos) << r.output;
    EXPECT_NE(r.output.find(" kbps, "), std::string::npos) << r.output;
    EXPECT_NE(r.output.find(" records\n"), std::string::npos) << r.output;
    // Same stream as with the cap spelt out: the default is extremad's encoder.max_segment_ms.
    ASSERT_EQ(run_cli("encode " + kSpeech + " " + (dir / "b.xtr").string() + " --max-segment-ms 20")
                  .exit_code,
              0);
    EXPECT_EQ(read_text(dir / "a.xtr"), read_text(dir / "b.xtr"));
    // And another cap gives another stream. (No cap at all would not: the default frames close
    // a segment at every packet end anyway, as the link does.)
    ASSERT_EQ(run_cli("encode " + kSpeech + " " + (dir / "c.xtr").string() + " --max-segment-ms 5")
                  .exit_code,
              0);
    EXPECT_TRUE(read_text(dir / "a.xtr") != read_text(dir / "c.xtr"));  // not printed: binary
}

TEST(ExtremaUsage, StdinAndStdoutRoundTripEqualsFiles) {
    TempDir dir;
    const std::string cli = EXTREMA_CLI;
    const std::string files_xtr = (dir / "f.xtr").string();
    const std::string files_wav = (dir / "f.wav").string();
    ASSERT_EQ(run_cli("encode " + kSpeech + " " + files_xtr).exit_code, 0);
    ASSERT_EQ(run_cli("decode " + files_xtr + " " + files_wav).exit_code, 0);
    const std::string piped = (dir / "p.wav").string();
    const auto r =
        run_shell(cli + " encode - - < " + kSpeech + " | " + cli + " decode - - > " + piped);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(read_text(piped), read_text(files_wav));
    // The summaries went to stderr, naming standard output; nothing else was printed.
    EXPECT_NE(r.output.find("standard output: 1.43 s"), std::string::npos) << r.output;
    const std::string compressed = (dir / "c.wav").string();
    ASSERT_EQ(run_shell("cat " + kSpeech + " | " + cli + " compress - " + compressed).exit_code, 0);
    EXPECT_EQ(read_text(compressed).substr(0, 4), "RIFF");
    // A failed run writes nothing to standard output.
    const auto bad = run_shell("echo junkjunk | " + cli + " decode - - | wc -c");
    EXPECT_NE(bad.output.find("extrema: standard input: "), std::string::npos) << bad.output;
    EXPECT_NE(bad.output.find("\n0\n"), std::string::npos) << bad.output;
}

TEST(ExtremaUsage, HelpIsWrappedShowsDefaultsAndEndsWithExamples) {
    for (const char* command : {"encode", "decode", "info", "eval", "compress", "svd encode",
                                "svd decode", "report", "devices", "loopback"}) {
        const auto r = run_cli(std::string(command) + " --help");
        EXPECT_EQ(r.exit_code, 0) << command;
        std::istringstream lines(r.output);
        std::string line;
        while (std::getline(lines, line)) EXPECT_LE(line.size(), 80u) << command << ": " << line;
        EXPECT_EQ(r.output.find("FLOAT"), std::string::npos) << r.output;
        EXPECT_EQ(r.output.find("{true}"), std::string::npos) << r.output;
        EXPECT_NE(r.output.find("\nExamples:\n  extrema " + std::string(command)),
                  std::string::npos)
            << r.output;
    }
    EXPECT_NE(run_cli("encode --help").output.find("default 50)"), std::string::npos);
}

TEST(ExtremaUsage, ReadmeSynopsisIsTheParsers) {
    const std::string readme = read_text(std::filesystem::path(EXTREMA_SOURCE_DIR) / "README.md");
    const auto generated = run_shell(std::string(EXTREMA_DOCS) + " synopsis");
    ASSERT_EQ(generated.exit_code, 0) << generated.output;
    EXPECT_NE(readme.find(generated.output), std::string::npos)
        << "README.md's synopsis differs from the parser: run `cmake --build build/release "
           "--target readme_synopsis`\n"
        << generated.output;
    // Every synopsis line works as the parser reads it: each command's --help accepts it.
    EXPECT_NE(generated.output.find("--still-hold-ms MS"), std::string::npos);
    EXPECT_NE(generated.output.find("--jitter-target-ms MS"), std::string::npos);
}

TEST(ExtremaUsage, ManPagesRenderWithoutWarnings) {
    for (const char* page : {"extrema.1", "extremad.8", "extremad.toml.5"}) {
        const std::string path = std::string(EXTREMA_DOCS_DIR) + "/" + page;
        const auto r = run_shell("MANWIDTH=80 man --warnings -l " + path + " 2>&1 >/dev/null");
        EXPECT_EQ(r.exit_code, 0) << page;
        EXPECT_EQ(r.output, "") << page;
        const auto text = run_shell("MANWIDTH=80 man -l " + path + " 2>/dev/null");
        EXPECT_NE(text.output.find("NAME"), std::string::npos) << page;
    }
    const auto extrema = run_shell("MANWIDTH=200 man -l " + std::string(EXTREMA_DOCS_DIR) +
                                   "/extrema.1 2>/dev/null");
    // man justifies a wrapped line by widening its spaces: compare with single spaces.
    std::string words;
    for (const char c : extrema.output) {
        const bool space = c == ' ' || c == '\n';
        if (!space || (!words.empty() && words.back() != ' ')) words += space ? ' ' : c;
    }
    EXPECT_NE(words.find("extrema encode INPUT OUTPUT [--threshold LSB]"), std::string::npos);
    const auto config = run_shell("MANWIDTH=200 man -l " + std::string(EXTREMA_DOCS_DIR) +
                                  "/extremad.toml.5 2>/dev/null");
    EXPECT_NE(config.output.find("max_segment_ms"), std::string::npos);
}

TEST(ExtremaUsage, BashCompletionOffersCommandsOptionsAndChoices) {
    const std::string script = std::string(EXTREMA_DOCS_DIR) + "/bash/extrema";
    const auto complete = [&](const std::string& words, int cword) {
        return run_shell("bash -c 'source " + script + "; COMP_WORDS=(" + words +
                         "); COMP_CWORD=" + std::to_string(cword) +
                         "; _extrema; printf \"%s\\n\" \"${COMPREPLY[@]}\"'")
            .output;
    };
    EXPECT_NE(complete("extrema dec", 1).find("decode\n"), std::string::npos);
    EXPECT_NE(complete("extrema encode --seg", 2).find("--segmentation\n"), std::string::npos);
    EXPECT_NE(complete("extrema encode --segmentation \"\"", 3).find("seed\n"), std::string::npos);
    EXPECT_NE(complete("extrema svd e", 2).find("encode\n"), std::string::npos);
}

#ifdef EXTREMA_LINK_CPU
TEST(LinkCpuUsage, ParsesItsArgumentsInsteadOfRunningForZeroSeconds) {
    const auto help = run_shell(std::string(EXTREMA_LINK_CPU) + " --help");
    EXPECT_EQ(help.exit_code, 0);
    EXPECT_NE(help.output.find("SECONDS"), std::string::npos) << help.output;
    EXPECT_EQ(help.output.find("inf%"), std::string::npos) << help.output;
    const auto bad = run_shell(std::string(EXTREMA_LINK_CPU) + " abc");
    EXPECT_EQ(bad.exit_code, 2) << bad.output;
    EXPECT_EQ(bad.output.find("inf%"), std::string::npos) << bad.output;
    EXPECT_EQ(run_shell(std::string(EXTREMA_LINK_CPU) + " 0").exit_code, 2);
}
#endif

}  // namespace
}  // namespace extrema::test
