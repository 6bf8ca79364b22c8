// Command-line flags: one per key, overriding the file, checked exactly like file values, their
// errors naming the flag.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <toml++/toml.h>
#include <cmath>

#include "config_test_support.h"

namespace extrema::config::test {
namespace {

using ::testing::HasSubstr;

// Parses `args` (without the program name) into overrides, as extremad's main would.
class Flags {
  public:
    Flags() { add_config_flags(app_, overrides_); }

    const ConfigOverrides& parse(std::vector<std::string> args) {
        std::vector<const char*> argv{"extremad"};
        for (const std::string& arg : args) argv.push_back(arg.c_str());
        arguments_ = std::move(args);
        app_.parse(static_cast<int>(argv.size()), argv.data());
        return overrides_;
    }

    ConfigOverrides& overrides() { return overrides_; }

  private:
    CLI::App app_{"extremad"};
    ConfigOverrides overrides_;
    std::vector<std::string> arguments_;
};

LinkConfig with_flags(std::vector<std::string> args, LinkConfig config = {}) {
    Flags flags;
    apply_overrides(flags.parse(std::move(args)), config);
    return config;
}

std::string flag_error(std::vector<std::string> args) {
    Flags flags;
    const ConfigOverrides& overrides = flags.parse(std::move(args));
    return config_error([&] {
        LinkConfig config;
        apply_overrides(overrides, config);
    });
}

const std::vector<std::string> kPeer{"--peer", "127.0.0.1:5006"};

std::vector<std::string> plus(std::vector<std::string> args, const std::vector<std::string>& more) {
    args.insert(args.end(), more.begin(), more.end());
    return args;
}

TEST(ConfigFlags, NoFlagsLeaveTheConfigAlone) {
    Flags flags;
    EXPECT_TRUE(flags.parse({}).empty());
    LinkConfig config;
    config.network.peer = "127.0.0.1:5006";
    apply_overrides(flags.overrides(), config);
    EXPECT_TRUE(diff_for_reload(config,
                                [] {
                                    LinkConfig defaults;
                                    defaults.network.peer = "127.0.0.1:5006";
                                    return defaults;
                                }())
                    .empty());
}

TEST(ConfigFlags, FlagsBeatTheFile) {
    const TempDir dir;
    const auto file = dir.write(
        "link.toml",
        "[network]\npeer = \"127.0.0.1:5006\"\npacket_ms = 10\n[log]\nlevel = \"warn\"\n");
    Flags flags;
    const LinkConfig config =
        load_config(file, flags.parse({"--packet-ms", "20", "--log-level", "debug"}));
    EXPECT_EQ(config.network.packet_ms, 20.0);
    EXPECT_EQ(config.log.level, "debug");
    EXPECT_EQ(config.network.peer, "127.0.0.1:5006");  // from the file
}

TEST(ConfigFlags, AFlagMayCompleteTheFile) {
    const TempDir dir;
    const auto file = dir.write("sender.toml", "mode = \"send\"\n");
    Flags flags;
    EXPECT_EQ(load_config(file, flags.parse(kPeer)).network.peer, "127.0.0.1:5006");
    EXPECT_THAT(config_error([&] { load_config(file); }),
                HasSubstr(file.string() + ":1:8: key 'mode': mode \"send\" sends to network.peer"));
}

TEST(ConfigFlags, BadValuesNameTheFlag) {
    EXPECT_EQ(flag_error(plus(kPeer, {"--packet-ms", "500"})),
              "flag --packet-ms: key 'network.packet_ms': 500 is out of range: expected a number "
              "from 1 to 100 ms");
    EXPECT_EQ(flag_error(plus(kPeer, {"--payload-type", "96.5"})),
              "flag --payload-type: key 'network.payload_type': 96.5 is not a whole number: "
              "expected an integer from 96 to 127");
    EXPECT_EQ(flag_error(plus(kPeer, {"--packet-ms", "ten"})),
              "flag --packet-ms: key 'network.packet_ms': expected a number from 1 to 100 ms, "
              "got string \"ten\"");
    EXPECT_THAT(flag_error(plus(kPeer, {"--input", "mic"})),
                HasSubstr("flag --input: key 'audio.input': \"mic\" is not accepted: expected "
                          "one of \"device\", \"file\" or \"tone\""));
    EXPECT_THAT(flag_error(plus(kPeer, {"--drift-correction=maybe"})),
                HasSubstr("flag --drift-correction: key 'receiver.drift_correction': expected "
                          "true or false, got string \"maybe\""));
    EXPECT_THAT(flag_error({"--peer", "localhost"}),
                HasSubstr("flag --peer: key 'network.peer': bad address 'localhost'"));
}

TEST(ConfigFlags, BadTargetRatesNameTheFlag) {
    EXPECT_EQ(flag_error(plus(kPeer, {"--target-kbps", "-8"})),
              "flag --target-kbps: key 'encoder.target_kbps': -8 is out of range: expected a "
              "number from 0 to 4000 kbps");
    EXPECT_THAT(flag_error(plus(kPeer, {"--target-kbps", "1e9"})),
                HasSubstr("flag --target-kbps: key 'encoder.target_kbps': "));
    EXPECT_THAT(flag_error(plus(kPeer, {"--target-kbps", "nan"})),
                HasSubstr("key 'encoder.target_kbps': nan is not a number"));
}

TEST(ConfigFlags, EveryBadFlagIsReported) {
    const std::string message = flag_error(plus(kPeer, {"--packet-ms", "0", "--rate-hz", "1"}));
    EXPECT_THAT(message, HasSubstr("flag --rate-hz: key 'audio.rate_hz'"));
    EXPECT_THAT(message, HasSubstr("flag --packet-ms: key 'network.packet_ms'"));
}

TEST(ConfigFlags, CrossKeyProblemsNameTheFlagThatSetAKey) {
    EXPECT_EQ(flag_error(plus(kPeer, {"--input", "file"})),
              "flag --input: key 'audio.input': audio.input = \"file\" needs the file to read: "
              "set audio.input_file");
    EXPECT_THAT(flag_error({"--mode", "receive"}),
                HasSubstr("flag --mode: key 'mode': mode \"receive\" accepts configured senders"));
}

TEST(ConfigFlags, BooleanFlags) {
    EXPECT_TRUE(with_flags(plus(kPeer, {"--compressor"})).compressor.enabled);
    EXPECT_FALSE(with_flags(plus(kPeer, {"--compressor", "--no-compressor"})).compressor.enabled);
    EXPECT_FALSE(with_flags(plus(kPeer, {"--no-drift-correction"})).receiver.drift_correction);
    EXPECT_FALSE(with_flags(plus(kPeer, {"--drift-correction=false"})).receiver.drift_correction);
    EXPECT_TRUE(with_flags(plus(kPeer, {"--accept-any-peer=on"})).network.accept_any_peer);
}

TEST(ConfigFlags, ListFlagsRepeatOrTakeCommas) {
    const LinkConfig config =
        with_flags({"--mode", "receive", "--allow", "10.0.0.1,10.0.0.2:5004", "--allow", "::1"});
    EXPECT_EQ(config.network.allow, (std::vector<std::string>{"10.0.0.1", "10.0.0.2:5004", "::1"}));
}

TEST(ConfigFlags, FlagsLeavePositionalArgumentsAlone) {
    CLI::App app{"extremad"};
    ConfigOverrides overrides;
    add_config_flags(app, overrides);
    std::string mode;
    app.add_option("MODE", mode);
    const char* argv[] = {"extremad", "--allow", "10.0.0.1", "--packet-ms", "20", "receive"};
    app.parse(6, argv);
    EXPECT_EQ(mode, "receive");
    EXPECT_EQ(overrides.given_keys(),
              (std::vector<std::string>{"network.allow", "network.packet_ms"}));
}

TEST(ConfigFlags, CompressorWordsAndNumbers) {
    const LinkConfig config =
        with_flags(plus(kPeer, {"--compressor-ratio", "inf", "--compressor-makeup-db", "auto",
                                "--compressor-threshold-db", "-30", "--compressor-level", "rms"}));
    EXPECT_TRUE(std::isinf(config.compressor.config.ratio));
    EXPECT_TRUE(config.compressor.config.auto_makeup);
    EXPECT_EQ(config.compressor.config.threshold_db, -30.0);
    EXPECT_EQ(config.compressor.config.level_mode, dsp::LevelMode::kRms);
    EXPECT_EQ(with_flags(plus(kPeer, {"--compressor-makeup-db", "+6"})).compressor.config.makeup_db,
              6.0);
}

TEST(ConfigFlags, TheLastOfARepeatedFlagWins) {
    EXPECT_EQ(with_flags(plus(kPeer, {"--packet-ms", "5", "--packet-ms", "20"})).network.packet_ms,
              20.0);
}

// Every key as a flag, from the same values as the round-trip file: the same config results.
TEST(ConfigFlags, EveryKeyHasAFlag) {
    const toml::table document = toml::parse(kEveryKeyChanged);
    std::vector<std::string> args;
    for (const KeySpec& key : config_keys()) {
        const toml::node_view node = document.at_path(key.path());
        ASSERT_TRUE(node) << key.path();
        if (const auto* text = node.as_string()) {
            args.push_back(key.option() + "=" + text->get());
        } else if (const auto* array = node.as_array()) {
            std::string joined;
            for (const toml::node& element : *array) {
                joined += (joined.empty() ? "" : ",") + *element.value<std::string>();
            }
            args.push_back(key.option() + "=" + joined);
        } else {
            args.push_back(key.option() + "=" + toml_literal(key.get(parse(kEveryKeyChanged))));
        }
    }
    const ReloadPlan differences = diff_for_reload(parse(kEveryKeyChanged), with_flags(args));
    EXPECT_TRUE(differences.empty());
    for (const auto& change : differences.needs_restart) ADD_FAILURE() << change.key;
    for (const auto& change : differences.reloadable) ADD_FAILURE() << change.key;
}

TEST(ConfigFlags, APositionalModeCanBeSetByName) {
    Flags flags;
    ConfigOverrides overrides = flags.parse(plus(kPeer, {"--mode", "send"}));
    overrides.set("mode", "duplex", "the MODE argument");
    LinkConfig config;
    apply_overrides(overrides, config);
    EXPECT_EQ(config.mode, pipeline::LinkMode::kDuplex);
    EXPECT_EQ(overrides.given_keys(), (std::vector<std::string>{"mode", "network.peer", "mode"}));

    ConfigOverrides bad;
    bad.set("mode", "sideways", "the MODE argument");
    EXPECT_THAT(config_error([&] { apply_overrides(bad, config); }),
                HasSubstr("the MODE argument: key 'mode': \"sideways\" is not accepted"));
    EXPECT_THAT(config_error([&] { bad.set("modes", "send", "the MODE argument"); }),
                HasSubstr("unknown config key 'modes'"));
}

TEST(ConfigFlags, HelpListsTheFlagsWithKeyAndDefault) {
    CLI::App app{"extremad"};
    ConfigOverrides overrides;
    add_config_flags(app, overrides);
    const std::string help = app.help();
    EXPECT_THAT(help, HasSubstr("--packet-ms"));
    EXPECT_THAT(help, HasSubstr("(network.packet_ms, ms, default 20.0)"));
    EXPECT_THAT(help, HasSubstr("--no-compressor"));
    EXPECT_THAT(help, HasSubstr("Config [network]"));
}

}  // namespace
}  // namespace extrema::config::test
