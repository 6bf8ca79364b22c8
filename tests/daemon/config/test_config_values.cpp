// Every key reaches its LinkConfig field, values convert as documented, and the key table is
// consistent with itself and with dsp::validate().
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <toml++/toml.h>
#include <cmath>
#include <limits>
#include <regex>
#include <set>

#include "config/compressor_words.h"
#include "config_test_support.h"
#include "pipeline/setting_keys.h"
#include "service/logging.h"

namespace extrema::config::test {
namespace {

using pipeline::FilePacing;
using pipeline::InputKind;
using pipeline::LinkMode;
using pipeline::OutputKind;
using ::testing::HasSubstr;

TEST(ConfigValues, EveryKeyReachesItsField) {
    const LinkConfig c = parse(kEveryKeyChanged);
    EXPECT_EQ(c.mode, LinkMode::kDuplex);

    EXPECT_EQ(c.audio.input, InputKind::kFile);
    EXPECT_EQ(c.audio.output, OutputKind::kFile);
    EXPECT_EQ(c.audio.input_device, "USB");
    EXPECT_EQ(c.audio.output_device, "3");
    EXPECT_EQ(c.audio.input_file, "in.wav");
    EXPECT_EQ(c.audio.output_file, "out.flac");
    EXPECT_EQ(c.audio.rate_hz, 44100);
    EXPECT_EQ(c.audio.frames_per_buffer, 256);
    EXPECT_EQ(c.audio.device_latency_ms, 12.5);
    EXPECT_EQ(c.audio.file_pacing, FilePacing::kFast);
    EXPECT_EQ(c.audio.tone_hz, 440.0);
    EXPECT_EQ(c.audio.tone_dbfs, -6.5);

    EXPECT_EQ(c.encoder.codec.threshold_lsb, 80.0);
    EXPECT_EQ(c.encoder.codec.lowpass_hz, 3500.0);
    EXPECT_EQ(c.encoder.codec.max_segment_ms, 8.0);
    EXPECT_EQ(c.encoder.codec.target_kbps, 32.0);
    EXPECT_FALSE(c.encoder.dtx);
    EXPECT_EQ(c.encoder.dtx_gate.hangover_ms, 400.0);
    EXPECT_EQ(c.encoder.bank, "swing");

    EXPECT_EQ(c.network.bind, "127.0.0.1:6000");
    EXPECT_EQ(c.network.peer, "[::1]:6002");
    EXPECT_EQ(c.network.allow, (std::vector<std::string>{"10.0.0.1", "10.0.0.2:7000"}));
    EXPECT_TRUE(c.network.accept_any_peer);
    EXPECT_EQ(c.network.payload_type, 101);
    EXPECT_EQ(c.network.packet_ms, 30.0);
    EXPECT_EQ(c.network.max_payload_bytes, 600);
    EXPECT_EQ(c.network.multicast_ttl, 4);
    EXPECT_EQ(c.network.multicast_interface, "192.168.1.10");
    EXPECT_EQ(c.network.srtp_key_file, "/etc/extrema/key");
    EXPECT_EQ(c.network.dtls, "client");
    EXPECT_TRUE(c.network.redundancy_auto);
    EXPECT_EQ(c.network.redundancy_kbps, 16.0);
    EXPECT_EQ(c.network.cn_payload_type, 19);
    EXPECT_EQ(c.network.swing_payload_type, 120);
    EXPECT_EQ(c.network.red_payload_type, 110);
    EXPECT_EQ(c.network.receive_buffer_bytes, 65536);

    EXPECT_EQ(c.receiver.jitter_target_ms, 60.0);
    EXPECT_EQ(c.receiver.latency, "fixed");
    EXPECT_EQ(c.receiver.adaptive.min_latency_ms, 15.0);
    EXPECT_EQ(c.receiver.adaptive.max_latency_ms, 300.0);
    EXPECT_EQ(c.receiver.limits.max_packet_ms, 300.0);
    EXPECT_EQ(c.receiver.limits.ssrc_timeout_ms, 2500.0);
    EXPECT_FALSE(c.receiver.drift_correction);

    EXPECT_TRUE(c.compressor.enabled);
    EXPECT_EQ(c.compressor.config.threshold_db, -30.0);
    EXPECT_TRUE(std::isinf(c.compressor.config.ratio));
    EXPECT_EQ(c.compressor.config.knee_db, 3.0);
    EXPECT_EQ(c.compressor.config.attack_ms, 2.0);
    EXPECT_EQ(c.compressor.config.release_ms, 250.0);
    EXPECT_TRUE(c.compressor.config.auto_makeup);
    EXPECT_EQ(c.compressor.config.makeup_db, 0.0);
    EXPECT_EQ(c.compressor.config.level_mode, dsp::LevelMode::kRms);
    EXPECT_EQ(c.compressor.config.rms_window_ms, 20.0);

    EXPECT_EQ(c.log.level, "debug");
    EXPECT_EQ(c.log.stats_interval_s, 1.5);
    EXPECT_EQ(c.log.stats_json, "/var/log/extremad/stats.jsonl");
}

TEST(ConfigValues, TheRoundTripTextCoversEveryKeyOfTheTable) {
    // A key added to the table without a test value fails here.
    const toml::table document = toml::parse(kEveryKeyChanged);
    const ReloadPlan changed = diff_for_reload(LinkConfig{}, parse(kEveryKeyChanged));
    std::set<std::string> changed_keys;
    for (const auto* list : {&changed.reloadable, &changed.needs_restart}) {
        for (const KeyChange& change : *list) changed_keys.insert(change.key);
    }
    for (const KeySpec& key : config_keys()) {
        EXPECT_TRUE(document.at_path(key.path())) << key.path() << " missing from the test text";
        EXPECT_TRUE(changed_keys.count(key.path())) << key.path() << " did not change its field";
    }
    EXPECT_EQ(changed_keys.size(), config_keys().size());
}

TEST(ConfigValues, DefaultsComeFromLinkConfig) {
    EXPECT_EQ(default_literal(*find_key("network.packet_ms")), "20.0");
    EXPECT_EQ(default_literal(*find_key("network.bind")), "\"0.0.0.0:5004\"");
    EXPECT_EQ(default_literal(*find_key("network.allow")), "[]");
    EXPECT_EQ(default_literal(*find_key("network.receive_buffer_bytes")), "1048576");
    EXPECT_EQ(default_literal(*find_key("receiver.drift_correction")), "true");
    EXPECT_EQ(default_literal(*find_key("compressor.ratio")), "4.0");
    EXPECT_EQ(default_literal(*find_key("compressor.level")), "\"peak\"");
    EXPECT_EQ(default_literal(*find_key("mode")), "\"send\"");
    EXPECT_EQ(default_literal(*find_key("encoder.dtx")), "true");
    EXPECT_EQ(default_literal(*find_key("encoder.dtx_hangover_ms")), "200.0");
    EXPECT_EQ(default_literal(*find_key("network.cn_payload_type")), "13");
    EXPECT_EQ(default_literal(*find_key("network.swing_payload_type")), "98");
    EXPECT_EQ(default_literal(*find_key("encoder.bank")), "\"standard\"");
}

TEST(ConfigValues, IntegersWhereFloatsAreExpectedAndWholeFloatsForIntegers) {
    const LinkConfig c = parse(
        "[network]\npeer = \"127.0.0.1:5006\"\npacket_ms = 30\npayload_type = 97.0\n"
        "receive_buffer_bytes = 1e6\n");
    EXPECT_EQ(c.network.packet_ms, 30.0);
    EXPECT_EQ(c.network.payload_type, 97);
    EXPECT_EQ(c.network.receive_buffer_bytes, 1000000);
}

TEST(ConfigValues, RatioAndMakeupTakeNumbersOrWords) {
    const std::string peer(kPeerSection);
    EXPECT_TRUE(std::isinf(parse("[compressor]\nratio = inf\n" + peer).compressor.config.ratio));
    EXPECT_EQ(parse("[compressor]\nratio = 2\n" + peer).compressor.config.ratio, 2.0);
    const LinkConfig fixed = parse("[compressor]\nmakeup_db = -3.5\n" + peer);
    EXPECT_EQ(fixed.compressor.config.makeup_db, -3.5);
    EXPECT_FALSE(fixed.compressor.config.auto_makeup);
}

TEST(ConfigValues, CompressorWordsMatchTheCommandLine) {
    EXPECT_TRUE(std::isinf(*parse_ratio_text("inf")));
    EXPECT_TRUE(std::isinf(*parse_ratio_text("infinity")));
    EXPECT_EQ(parse_ratio_text("2.5"), 2.5);
    EXPECT_FALSE(parse_ratio_text("2.5x"));
    EXPECT_FALSE(parse_ratio_text("nan"));
    EXPECT_TRUE(parse_makeup_text("auto")->automatic);
    EXPECT_EQ(parse_makeup_text("-6")->db, -6.0);
    EXPECT_FALSE(parse_makeup_text("loud"));
}

TEST(ConfigValues, TableIsConsistent) {
    std::set<std::string> paths;
    std::set<std::string> flags;
    const std::regex kebab("[a-z][a-z0-9]*(-[a-z0-9]+)*");
    for (const KeySpec& key : config_keys()) {
        EXPECT_TRUE(paths.insert(key.path()).second) << "duplicate key " << key.path();
        EXPECT_TRUE(flags.insert(std::string(key.flag)).second) << "duplicate flag " << key.flag;
        EXPECT_TRUE(std::regex_match(std::string(key.flag), kebab)) << key.flag;
        EXPECT_FALSE(key.doc.empty()) << key.path();
        EXPECT_TRUE(key.get != nullptr && key.set != nullptr) << key.path();
        const bool numeric = key.type == ValueType::kInteger || key.type == ValueType::kFloat;
        EXPECT_EQ(numeric, key.range.has_value()) << key.path() << ": numbers need a range";
    }
    EXPECT_EQ(config_keys().size(), 56u);
}

// The keys the pipeline's errors name are keys of the table.
TEST(ConfigValues, ThePipelinesKeyNamesAreTableKeys) {
    for (const std::string_view key : pipeline::keys::kAll) {
        EXPECT_NE(find_key(key), nullptr) << key;
    }
    EXPECT_EQ(pipeline::keys::name_in_section("receiver.max_latency_ms"), "max_latency_ms");
    EXPECT_EQ(pipeline::keys::name_in_section("mode"), "mode");
}

// The table's compressor ranges are dsp::validate()'s: its edges pass, just beyond fails.
TEST(ConfigValues, CompressorRangesAgreeWithDspValidate) {
    for (const KeySpec& key : config_keys()) {
        if (key.section != "compressor" || key.type != ValueType::kFloat) continue;
        const NumberRange range = *key.range;
        const auto accepts = [&](double value) {
            LinkConfig config;
            key.set(config, value);
            try {
                dsp::validate(config.compressor.config);
                return true;
            } catch (const std::invalid_argument&) {
                return false;
            }
        };
        const double inf = std::numeric_limits<double>::infinity();
        const double lowest = range.min_exclusive ? std::nextafter(range.min, inf) : range.min;
        const double below = range.min_exclusive ? range.min : std::nextafter(range.min, -inf);
        EXPECT_TRUE(accepts(lowest)) << key.path();
        EXPECT_FALSE(accepts(below)) << key.path();
        EXPECT_TRUE(accepts(range.max)) << key.path();
        if (std::isfinite(range.max)) {
            EXPECT_FALSE(accepts(std::nextafter(range.max, inf))) << key.path();
        }
    }
}

// log.level's choices are the levels the logger accepts (service/logging.cpp keeps its own list,
// since the config library does not link the service one).
TEST(ConfigValues, LogLevelChoicesAreTheLoggersLevels) {
    const KeySpec* key = find_key("log.level");
    ASSERT_NE(key, nullptr);
    std::string names;
    for (const std::string_view choice : key->choices) {
        if (!names.empty()) names += ", ";
        names += choice;
    }
    EXPECT_EQ(names, service::log_level_names());
}

TEST(ConfigValues, AcceptedValuesInWords) {
    EXPECT_EQ(accepted_values(*find_key("network.packet_ms")), "a number from 1 to 100 ms");
    EXPECT_EQ(accepted_values(*find_key("network.payload_type")), "an integer from 96 to 127");
    EXPECT_EQ(accepted_values(*find_key("compressor.ratio")), "a number >= 1, or \"inf\"");
    EXPECT_EQ(accepted_values(*find_key("audio.file_pacing")), "one of \"realtime\" or \"fast\"");
    EXPECT_EQ(accepted_values(*find_key("receiver.drift_correction")), "true or false");
    EXPECT_THAT(accepted_values(*find_key("network.allow")), HasSubstr("an array of strings"));
}

TEST(ConfigValues, TomlLiterals) {
    EXPECT_EQ(toml_literal(SettingValue{10.0}), "10.0");
    EXPECT_EQ(toml_literal(SettingValue{0.1}), "0.1");
    EXPECT_EQ(toml_literal(SettingValue{std::int64_t{96}}), "96");
    EXPECT_EQ(toml_literal(SettingValue{std::string("a\"b\\c")}), "\"a\\\"b\\\\c\"");
    EXPECT_EQ(toml_literal(SettingValue{std::vector<std::string>{"a", "b"}}), "[\"a\", \"b\"]");
}

TEST(ConfigValues, DescribeSummarisesTheLink) {
    const std::string text = describe(parse(kEveryKeyChanged));
    EXPECT_THAT(text, HasSubstr("mode duplex: 44100 Hz, bind 127.0.0.1:6000\n"));
    EXPECT_THAT(text, HasSubstr("read in.wav (fast) -> [::1]:6002"));
    EXPECT_THAT(text, HasSubstr("write out.flac"));
    EXPECT_THAT(text, HasSubstr("ratio inf (limiter)"));
    EXPECT_THAT(text, HasSubstr("log: debug, stats every 1.5 s"));
    const std::string sender = describe(parse(kPeerSection));
    EXPECT_THAT(sender, ::testing::Not(HasSubstr("receive:")));
    EXPECT_THAT(sender, HasSubstr("compressor: off\n"));
}

}  // namespace
}  // namespace extrema::config::test
