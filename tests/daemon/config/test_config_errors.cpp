// Every class of config error: the message names the file, the line (and column) and the key,
// and says what is accepted.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "config_test_support.h"

namespace extrema::config::test {
namespace {

using ::testing::HasSubstr;

std::string with_peer(std::string_view text) {
    return std::string(text) + std::string(kPeerSection);
}

// The peer section with these lines added.
std::string network_with(std::string_view lines) {
    return std::string(kPeerSection) + std::string(lines);
}

TEST(ConfigErrors, SyntaxErrorNamesLineAndColumn) {
    const std::string message = parse_error("mode = \"send\"\n[audio\nrate_hz = 48000\n");
    EXPECT_THAT(message, HasSubstr("test.toml:2:"));
    EXPECT_THAT(message, HasSubstr("syntax error"));
}

TEST(ConfigErrors, DuplicateKeyIsASyntaxError) {
    const std::string message = parse_error("[audio]\nrate_hz = 48000\nrate_hz = 44100\n");
    EXPECT_THAT(message, HasSubstr("test.toml:3:"));
    EXPECT_THAT(message, HasSubstr("rate_hz"));
}

TEST(ConfigErrors, UnknownSectionIsAnError) {
    const std::string message = parse_error(with_peer("[audo]\nrate_hz = 48000\n"));
    EXPECT_THAT(message, HasSubstr("test.toml:1:"));
    EXPECT_THAT(message, HasSubstr("section [audo]: unknown section"));
    EXPECT_THAT(message, HasSubstr("did you mean [audio]?"));
}

TEST(ConfigErrors, UnknownKeyIsAnErrorWithASuggestion) {
    const std::string message = parse_error(with_peer("[audio]\nrat_hz = 48000\n"));
    EXPECT_EQ(message.substr(0, message.find(';')),
              "test.toml:2:1: key 'audio.rat_hz': unknown key (did you mean 'rate_hz'?)");
    EXPECT_THAT(message, HasSubstr("[audio] holds input, output,"));
}

TEST(ConfigErrors, KeyInTheWrongSectionSaysWhereItBelongs) {
    const std::string message = parse_error(with_peer("[audio]\npacket_ms = 10\n"));
    EXPECT_THAT(message, HasSubstr("test.toml:2:1: key 'audio.packet_ms': unknown key"));
    EXPECT_THAT(message, HasSubstr("belongs in [network]"));
    EXPECT_THAT(parse_error(with_peer("[audio]\nmode = \"send\"\n")),
                HasSubstr("belongs at the top level"));
}

TEST(ConfigErrors, UnknownTopLevelKeyIsAnError) {
    const std::string message = parse_error(with_peer("verbose = true\n"));
    EXPECT_THAT(message, HasSubstr("test.toml:1:1: key 'verbose': unknown key"));
}

TEST(ConfigErrors, NestedTableInASectionIsAnUnknownKey) {
    const std::string message = parse_error(with_peer("[audio.extra]\nx = 1\n"));
    EXPECT_THAT(message, HasSubstr("key 'audio.extra': unknown key"));
}

TEST(ConfigErrors, SectionThatIsNotATableIsAnError) {
    const std::string message = parse_error(with_peer("audio = 5\n"));
    EXPECT_THAT(message, HasSubstr("test.toml:1:9: key 'audio': expected the section [audio]"));
}

TEST(ConfigErrors, WrongTypeListsWhatIsAccepted) {
    const std::string message =
        parse_error("[network]\npeer = \"127.0.0.1:5006\"\npacket_ms = \"ten\"\n");
    EXPECT_EQ(message,
              "test.toml:3:13: key 'network.packet_ms': expected a number from 1 to 100 ms, "
              "got string \"ten\"");
}

TEST(ConfigErrors, WrongTypeForBooleanAndString) {
    EXPECT_THAT(parse_error(with_peer("[receiver]\ndrift_correction = 1\n")),
                HasSubstr("test.toml:2:20: key 'receiver.drift_correction': expected true or "
                          "false, got integer 1"));
    EXPECT_THAT(parse_error(with_peer("[log]\nlevel = 3\n")),
                HasSubstr("key 'log.level': expected one of \"trace\", \"debug\""));
}

TEST(ConfigErrors, ArrayElementOfWrongType) {
    const std::string message =
        parse_error("mode = \"receive\"\n[network]\nallow = [\"10.0.0.1\", 5]\n");
    EXPECT_THAT(message, HasSubstr("test.toml:3:9: key 'network.allow': element 2 is integer 5"));
}

TEST(ConfigErrors, OutOfRange) {
    const std::string message =
        parse_error("[network]\npeer = \"127.0.0.1:5006\"\npacket_ms = 500\n");
    EXPECT_EQ(message,
              "test.toml:3:13: key 'network.packet_ms': 500 is out of range: expected a number "
              "from 1 to 100 ms");
    EXPECT_THAT(parse_error(with_peer("[audio]\nrate_hz = 4000\n")),
                HasSubstr("key 'audio.rate_hz': 4000 is out of range: expected an integer from "
                          "8000 to 192000 Hz"));
    EXPECT_THAT(parse_error(with_peer("[compressor]\nrms_window_ms = 0\n")),
                HasSubstr("expected a number above 0 ms, at most 10000 ms"));
}

TEST(ConfigErrors, TargetRateOutOfRange) {
    EXPECT_THAT(parse_error(with_peer("[encoder]\ntarget_kbps = -1\n")),
                HasSubstr("test.toml:2:15: key 'encoder.target_kbps': -1 is out of range: "
                          "expected a number from 0 to 4000 kbps"));
    EXPECT_THAT(parse_error(with_peer("[encoder]\ntarget_kbps = 5000\n")),
                HasSubstr("key 'encoder.target_kbps': 5000 is out of range"));
}

TEST(ConfigErrors, NotANumber) {
    EXPECT_THAT(parse_error("[network]\npeer = \"127.0.0.1:5006\"\npacket_ms = nan\n"),
                HasSubstr("test.toml:3:13: key 'network.packet_ms': nan is not a number"));
}

TEST(ConfigErrors, BadEnumListsTheChoices) {
    const std::string message = parse_error(with_peer("[audio]\ninput = \"mic\"\n"));
    EXPECT_EQ(message,
              "test.toml:2:9: key 'audio.input': \"mic\" is not accepted: expected one of "
              "\"device\", \"file\" or \"tone\"");
    EXPECT_THAT(parse_error("mode = \"listen\"\n"),
                HasSubstr("test.toml:1:8: key 'mode': \"listen\" is not accepted: expected one "
                          "of \"send\", \"receive\" or \"duplex\""));
}

TEST(ConfigErrors, FractionalValueForAnIntegerKey) {
    const std::string message =
        parse_error("[network]\npeer = \"127.0.0.1:5006\"\npayload_type = 96.5\n");
    EXPECT_EQ(message,
              "test.toml:3:16: key 'network.payload_type': 96.5 is not a whole number: expected "
              "an integer from 96 to 127");
}

TEST(ConfigErrors, CompressorWords) {
    EXPECT_THAT(parse_error(with_peer("[compressor]\nratio = 0.5\n")),
                HasSubstr("key 'compressor.ratio': 0.5 is out of range: expected a number >= 1, "
                          "or \"inf\""));
    EXPECT_THAT(parse_error(with_peer("[compressor]\nratio = \"infinite\"\n")),
                HasSubstr("key 'compressor.ratio': \"infinite\" is not accepted"));
    EXPECT_THAT(parse_error(with_peer("[compressor]\nmakeup_db = \"loud\"\n")),
                HasSubstr("key 'compressor.makeup_db': \"loud\" is not accepted: expected a "
                          "number from -60 to 60 dB, or \"auto\""));
    EXPECT_THAT(parse_error(with_peer("[compressor]\nlevel = \"average\"\n")),
                HasSubstr("expected one of \"peak\" or \"rms\""));
}

TEST(ConfigErrors, RedundancyIsACountOrAuto) {
    const LinkConfig two = parse(network_with("redundancy = 2\n"));
    EXPECT_EQ(two.network.redundancy, 2);
    EXPECT_FALSE(two.network.redundancy_auto);
    EXPECT_TRUE(parse(network_with("redundancy = \"auto\"\n")).network.redundancy_auto);
    EXPECT_THAT(parse_error(network_with("redundancy = 4\n")),
                HasSubstr("key 'network.redundancy': 4 is out of range: expected a number from "
                          "0 to 3 packets, or \"auto\""));
    EXPECT_THAT(parse_error(network_with("redundancy = -1\n")),
                HasSubstr("key 'network.redundancy': -1 is out of range"));
    EXPECT_THAT(parse_error(network_with("redundancy = 1.5\n")),
                HasSubstr("key 'network.redundancy': expected a whole number"));
    EXPECT_THAT(parse_error(network_with("redundancy = \"always\"\n")),
                HasSubstr("key 'network.redundancy': \"always\" is not accepted"));
}

// network.redundancy_kbps: 0 (copies), or 8..256 and below the encoder's own target.
TEST(ConfigErrors, RedundancyKbpsIsZeroOrALowerRate) {
    // The encoder's target 0 (a fixed threshold) leaves the whole range open.
    const auto fixed = [](std::string_view lines) {
        return "[encoder]\ntarget_kbps = 0\n" + network_with(lines);
    };
    EXPECT_EQ(parse(fixed("redundancy = 1\nredundancy_kbps = 16\n")).network.redundancy_kbps, 16.0);
    EXPECT_EQ(parse(fixed("redundancy_kbps = 8\n")).network.redundancy_kbps, 8.0);
    EXPECT_EQ(parse(fixed("redundancy_kbps = 256\n")).network.redundancy_kbps, 256.0);
    EXPECT_EQ(parse(fixed("redundancy_kbps = 0\n")).network.redundancy_kbps, 0.0);
    EXPECT_THAT(parse_error(fixed("redundancy_kbps = 300\n")),
                HasSubstr("key 'network.redundancy_kbps': 300 is out of range: expected a number "
                          "from 0 to 256 kbps"));
    EXPECT_THAT(parse_error(fixed("redundancy_kbps = -1\n")),
                HasSubstr("key 'network.redundancy_kbps': -1 is out of range"));
    EXPECT_THAT(parse_error(fixed("redundancy_kbps = 4\n")),
                HasSubstr("key 'network.redundancy_kbps': 4 kbps is neither 0 (copies) nor 8 to "
                          "256 kbps"));
    const auto steered = [](std::string_view lines) {
        return "[encoder]\ntarget_kbps = 24\n" + network_with(lines);
    };
    EXPECT_EQ(parse(steered("redundancy_kbps = 16\n")).network.redundancy_kbps, 16.0);
    EXPECT_THAT(parse_error(steered("redundancy_kbps = 24\n")),
                HasSubstr("key 'network.redundancy_kbps': 24 kbps must be below the encoder's "
                          "target_kbps (24 kbps)"));
}

TEST(ConfigErrors, BadAddresses) {
    EXPECT_THAT(parse_error("[network]\npeer = \"localhost\"\n"),
                HasSubstr("test.toml:2:8: key 'network.peer': bad address 'localhost': expected "
                          "host:port"));
    EXPECT_THAT(parse_error("[network]\npeer = \"127.0.0.1:5006\"\nbind = \"0.0.0.0:http\"\n"),
                HasSubstr("key 'network.bind': bad port in '0.0.0.0:http'"));
    EXPECT_THAT(
        parse_error("[network]\npeer = \"127.0.0.1:5006\"\nmulticast_interface = \"eth0\"\n"),
        HasSubstr("key 'network.multicast_interface': \"eth0\" is not a numeric IP address"));
    EXPECT_THAT(parse_error("mode = \"receive\"\n[network]\nallow = [\"10.0.0.1:x\"]\n"),
                HasSubstr("key 'network.allow': bad port in '10.0.0.1:x'"));
}

TEST(ConfigErrors, EveryProblemIsReportedInFileOrder) {
    const std::string message = parse_error(
        "[network]\npeer = \"127.0.0.1:5006\"\npacket_ms = 0\n[audio]\nrate_hz = 1\nbogus = 2\n");
    EXPECT_EQ(message,
              "test.toml:3:13: key 'network.packet_ms': 0 is out of range: expected a number "
              "from 1 to 100 ms\n"
              "test.toml:5:11: key 'audio.rate_hz': 1 is out of range: expected an integer from "
              "8000 to 192000 Hz\n"
              "test.toml:6:1: key 'audio.bogus': unknown key; [audio] holds input, output, "
              "input_device, output_device, input_file, output_file, rate_hz, "
              "frames_per_buffer, device_latency_ms, file_pacing, tone_hz, tone_dbfs");
}

TEST(ConfigErrors, MissingFileIsNamed) {
    const TempDir dir;
    const auto missing = dir.path() / "missing.toml";
    const std::string message = config_error([&] { load_config(missing); });
    EXPECT_EQ(message,
              "cannot read config file '" + missing.string() + "': No such file or directory");
}

TEST(ConfigErrors, UnreadableFileIsNamed) {
    const TempDir dir;
    const auto file = dir.write("locked.toml", "mode = \"send\"\n");
    ASSERT_EQ(::chmod(file.c_str(), 0), 0);
    const std::string expected =
        "cannot read config file '" + file.string() + "': Permission denied";
    if (::access(file.c_str(), R_OK) != 0) {
        EXPECT_EQ(config_error([&] { load_config(file); }), expected);
        return;
    }
    // Root reads any file: try again as nobody, in a child process.
    ASSERT_EQ(::chmod(dir.path().c_str(), 0755), 0);
    EXPECT_EXIT(
        {
            if (::setgid(65534) != 0 || ::setuid(65534) != 0) std::_Exit(2);
            try {
                load_config(file);
            } catch (const ConfigError& error) {
                std::_Exit(error.what() == expected ? 0 : 3);
            }
            std::_Exit(4);
        },
        ::testing::ExitedWithCode(0), "");
}

TEST(ConfigErrors, DirectoryIsNotAConfigFile) {
    const TempDir dir;
    const std::string message = config_error([&] { load_config(dir.path()); });
    EXPECT_EQ(message, "cannot read config file '" + dir.path().string() + "': Is a directory");
}

TEST(ConfigErrors, ErrorsInAFileNameTheFile) {
    const TempDir dir;
    const auto file = dir.write("link.toml", "[network]\npeer = \"127.0.0.1:5006\"\nbogus = 1\n");
    EXPECT_EQ(config_error([&] { load_config(file); }),
              file.string() +
                  ":3:1: key 'network.bogus': unknown key; [network] holds bind, "
                  "peer, allow, accept_any_peer, payload_type, packet_ms, "
                  "max_payload_bytes, redundancy, redundancy_kbps, red_payload_type, "
                  "cn_payload_type, swing_payload_type, multicast_ttl, "
                  "multicast_interface, "
                  "srtp_key_file, dtls, receive_buffer_bytes");
}

// Cross-key rules: the message points at the line that set one of the keys involved.

TEST(ConfigCrossField, SenderNeedsAPeer) {
    EXPECT_EQ(parse_error("# a sender\nmode = \"duplex\"\n"),
              "test.toml:2:8: key 'mode': mode \"duplex\" sends to network.peer: set it to "
              "\"host:port\"");
    // Nothing set at all: the file is named, without a line.
    EXPECT_EQ(parse_error(""),
              "test.toml: key 'network.peer': mode \"send\" sends to network.peer: set it to "
              "\"host:port\"");
}

TEST(ConfigCrossField, RedPayloadTypeIsNotTheRecordsOne) {
    EXPECT_THAT(parse_error(network_with("redundancy = 1\nred_payload_type = 96\n")),
                HasSubstr("RED packets need a payload type of their own"));
    // Without redundancy to send, equal types only mean no RED is taken.
    EXPECT_NO_THROW(parse(network_with("payload_type = 97\n")));
    EXPECT_NO_THROW(parse(network_with("payload_type = 97\nred_payload_type = 96\n")));
}

TEST(ConfigCrossField, ComfortNoisePayloadTypeIsItsOwn) {
    EXPECT_THAT(parse_error(network_with("cn_payload_type = 96\n")),
                HasSubstr("key 'network.cn_payload_type': comfort-noise packets need a payload "
                          "type of their own: network.cn_payload_type (96) equals "
                          "network.payload_type"));
    EXPECT_THAT(parse_error(network_with("cn_payload_type = 97\n")),
                HasSubstr("key 'network.cn_payload_type': comfort-noise packets need a payload "
                          "type of their own: network.cn_payload_type (97) equals "
                          "network.red_payload_type"));
    EXPECT_NO_THROW(parse(network_with("cn_payload_type = 0\n")));
}

TEST(ConfigCrossField, SwingPayloadTypeIsItsOwn) {
    struct Clash {
        const char* set;
        const char* message;
    };
    for (const Clash& clash :
         {Clash{"swing_payload_type = 96\n", "(96) equals network.payload_type"},
          Clash{"swing_payload_type = 97\n", "(97) equals network.red_payload_type"},
          Clash{"cn_payload_type = 98\n", "(98) equals network.cn_payload_type"}}) {
        EXPECT_THAT(parse_error(network_with(clash.set)),
                    HasSubstr(std::string("records of the swing bank need a payload type of their "
                                          "own: network.swing_payload_type ") +
                              clash.message))
            << clash.set;
    }
    EXPECT_NO_THROW(parse(network_with("swing_payload_type = 127\n")));
}

TEST(ConfigErrors, BankKeysOutOfRangeNameTheKey) {
    EXPECT_THAT(parse_error(network_with("swing_payload_type = 95\n")),
                HasSubstr("key 'network.swing_payload_type': 95 is out of range"));
    EXPECT_THAT(parse_error(network_with("swing_payload_type = 128\n")),
                HasSubstr("key 'network.swing_payload_type': 128 is out of range"));
    const std::string peer(kPeerSection);
    EXPECT_THAT(parse_error("[encoder]\nbank = \"power\"\n" + peer),
                HasSubstr("key 'encoder.bank'"));
    EXPECT_THAT(parse_error("[encoder]\nbank = 3\n" + peer), HasSubstr("key 'encoder.bank'"));
}

TEST(ConfigErrors, DtxKeysOutOfRangeNameTheKey) {
    EXPECT_THAT(parse_error(network_with("cn_payload_type = 128\n")),
                HasSubstr("key 'network.cn_payload_type': 128 is out of range"));
    EXPECT_THAT(parse_error(network_with("cn_payload_type = -1\n")),
                HasSubstr("key 'network.cn_payload_type': -1 is out of range"));
    const std::string peer(kPeerSection);
    EXPECT_THAT(parse_error("[encoder]\ndtx_hangover_ms = 2500\n" + peer),
                HasSubstr("key 'encoder.dtx_hangover_ms': 2500 is out of range"));
    EXPECT_THAT(parse_error("[encoder]\ndtx_hangover_ms = -5\n" + peer),
                HasSubstr("key 'encoder.dtx_hangover_ms': -5 is out of range"));
    EXPECT_THAT(parse_error("[encoder]\ndtx = \"yes\"\n" + peer), HasSubstr("key 'encoder.dtx'"));
    EXPECT_FALSE(parse("[encoder]\ndtx = false\n" + peer).encoder.dtx);
    EXPECT_TRUE(parse(peer).encoder.dtx);
}

TEST(ConfigCrossField, ReceiverNeedsSendersToAccept) {
    EXPECT_THAT(parse_error("mode = \"receive\"\n"),
                HasSubstr("test.toml:1:8: key 'mode': mode \"receive\" accepts configured "
                          "senders only"));
    EXPECT_NO_THROW(parse("mode = \"receive\"\n[network]\nallow = [\"10.0.0.7\"]\n"));
    EXPECT_NO_THROW(parse("mode = \"receive\"\n[network]\naccept_any_peer = true\n"));
}

TEST(ConfigCrossField, FileInputNeedsAFile) {
    EXPECT_EQ(parse_error(with_peer("[audio]\ninput = \"file\"\n")),
              "test.toml:2:9: key 'audio.input': audio.input = \"file\" needs the file to read: "
              "set audio.input_file");
}

TEST(ConfigCrossField, FileOutputNeedsAFile) {
    EXPECT_THAT(parse_error(with_peer("[audio]\noutput = \"file\"\n")),
                HasSubstr("test.toml:2:10: key 'audio.output': audio.output = \"file\" needs "
                          "the file to write: set audio.output_file"));
}

TEST(ConfigCrossField, RecordsMustFitTheReceiversPacketCap) {
    const std::string message = parse_error(
        with_peer("[encoder]\nmax_segment_ms = 250\n[receiver]\nmax_packet_ms = 200\n"));
    EXPECT_THAT(message, HasSubstr("test.toml:2:18: key 'encoder.max_segment_ms': a packet may "
                                   "carry network.packet_ms (20 ms) plus one record of up to "
                                   "encoder.max_segment_ms (250 ms) = 270 ms, more than "
                                   "receiver.max_packet_ms (200 ms)"));
    // Only the receiver's cap set: the message points at it.
    EXPECT_THAT(parse_error(with_peer("[receiver]\nmax_packet_ms = 12\n")),
                HasSubstr("test.toml:2:17: key 'receiver.max_packet_ms'"));
}

TEST(ConfigCrossField, ToneAndLowpassStayBelowNyquist) {
    EXPECT_THAT(parse_error(with_peer("[audio]\nrate_hz = 8000\ntone_hz = 5000\n")),
                HasSubstr("test.toml:3:11: key 'audio.tone_hz': the tone (5000 Hz) must be below "
                          "half of audio.rate_hz (4000 Hz)"));
    EXPECT_THAT(parse_error(with_peer("[audio]\nrate_hz = 8000\n[encoder]\nlowpass_hz = 4000\n")),
                HasSubstr("test.toml:4:14: key 'encoder.lowpass_hz'"));
}

TEST(ConfigCrossField, ValidateAloneNamesTheKeys) {
    LinkConfig config;
    config.network.peer = "127.0.0.1:5006";
    EXPECT_NO_THROW(validate(config));
    config.network.packet_ms = 0.0;
    try {
        validate(config);
        FAIL() << "expected a ConfigError";
    } catch (const ConfigError& error) {
        EXPECT_EQ(error.keys(), std::vector<std::string>{"network.packet_ms"});
        EXPECT_STREQ(error.what(),
                     "key 'network.packet_ms': 0 is out of range: expected a number from 1 to "
                     "100 ms");
    }
    config.network.packet_ms = 10.0;
    config.compressor.config.auto_makeup = false;
    config.compressor.config.level_mode = static_cast<dsp::LevelMode>(7);
    EXPECT_THROW(validate(config), ConfigError);
}

}  // namespace
}  // namespace extrema::config::test
