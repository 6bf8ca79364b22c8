// SIGHUP: which changed keys apply live and which wait for a restart; a broken file is refused.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config_test_support.h"

namespace extrema::config::test {
namespace {

std::vector<std::string> keys_of(const std::vector<KeyChange>& changes) {
    std::vector<std::string> keys;
    for (const KeyChange& change : changes) keys.push_back(change.key);
    return keys;
}

LinkConfig running_link() {
    return parse(kPeerSection);
}

TEST(ConfigReload, TheSameConfigChangesNothing) {
    EXPECT_TRUE(diff_for_reload(running_link(), running_link()).empty());
}

TEST(ConfigReload, LiveKeysAndRestartKeysAreSplit) {
    const LinkConfig fresh = parse(
        "[log]\nlevel = \"debug\"\nstats_interval_s = 1\n"
        "[receiver]\njitter_target_ms = 60\n"
        "[compressor]\nenabled = true\nratio = \"inf\"\n"
        "[network]\npeer = \"127.0.0.1:5006\"\npacket_ms = 30\n"
        "[audio]\nrate_hz = 44100\n");
    const ReloadPlan plan = diff_for_reload(running_link(), fresh);
    EXPECT_EQ(keys_of(plan.reloadable),
              (std::vector<std::string>{"receiver.jitter_target_ms", "compressor.enabled",
                                        "compressor.ratio", "log.level", "log.stats_interval_s"}));
    EXPECT_EQ(keys_of(plan.needs_restart),
              (std::vector<std::string>{"audio.rate_hz", "network.packet_ms"}));
    EXPECT_EQ(plan.reloadable[2].before, "4.0");
    EXPECT_EQ(plan.reloadable[2].after, "\"inf\"");
    EXPECT_EQ(plan.needs_restart[1].before, "20.0");
    EXPECT_EQ(plan.needs_restart[1].after, "30.0");
}

TEST(ConfigReload, MergeTakesLiveKeysAndKeepsTheRest) {
    const LinkConfig running = running_link();
    const LinkConfig fresh = parse(
        "[log]\nlevel = \"error\"\n[compressor]\nmakeup_db = \"auto\"\n"
        "[network]\npeer = \"10.0.0.9:5006\"\n");
    const LinkConfig merged = merge_reloadable(running, fresh);
    EXPECT_EQ(merged.log.level, "error");
    EXPECT_TRUE(merged.compressor.config.auto_makeup);
    EXPECT_EQ(merged.network.peer, "127.0.0.1:5006");  // needs a restart: kept
    EXPECT_NO_THROW(validate(merged));
    const ReloadPlan after = diff_for_reload(merged, fresh);
    EXPECT_TRUE(after.reloadable.empty());
    EXPECT_EQ(keys_of(after.needs_restart), std::vector<std::string>{"network.peer"});
}

TEST(ConfigReload, TheLiveKeysAreTheDocumentedOnes) {
    EXPECT_EQ(reloadable_keys(),
              (std::vector<std::string>{
                  "network.redundancy", "receiver.jitter_target_ms", "compressor.enabled",
                  "compressor.threshold_db", "compressor.ratio", "compressor.knee_db",
                  "compressor.attack_ms", "compressor.release_ms", "compressor.makeup_db",
                  "compressor.level", "compressor.rms_window_ms", "log.level",
                  "log.stats_interval_s", "log.stats_json"}));
}

TEST(ConfigReload, RedundancyIsLiveAutoAndCountAlike) {
    const LinkConfig running = running_link();
    const LinkConfig fresh = parse(std::string(kPeerSection) + "redundancy = \"auto\"\n");
    const ReloadPlan plan = diff_for_reload(running, fresh);
    EXPECT_EQ(keys_of(plan.reloadable), std::vector<std::string>{"network.redundancy"});
    EXPECT_TRUE(plan.needs_restart.empty());
    EXPECT_EQ(plan.reloadable[0].before, "0.0");
    EXPECT_EQ(plan.reloadable[0].after, "\"auto\"");
    const LinkConfig merged = merge_reloadable(running, fresh);
    EXPECT_TRUE(merged.network.redundancy_auto);
    const LinkConfig two =
        merge_reloadable(merged, parse(std::string(kPeerSection) + "redundancy = 2\n"));
    EXPECT_FALSE(two.network.redundancy_auto);
    EXPECT_EQ(two.network.redundancy, 2);
    EXPECT_NO_THROW(validate(two));
}

TEST(ConfigReload, RedundancyClashingWithTheRunningRedPayloadTypeIsRefused) {
    // Equal types are valid while the link sends no redundancy; the fresh file fixes the type
    // too, but the type needs a restart, so the merged link would send RED as payload_type.
    const LinkConfig running = parse(std::string(kPeerSection) + "red_payload_type = 96\n");
    const LinkConfig fresh =
        parse(std::string(kPeerSection) + "red_payload_type = 99\nredundancy = 1\n");
    try {
        (void)merge_reloadable(running, fresh);
        ADD_FAILURE() << "the reload was not refused";
    } catch (const ConfigError& error) {
        EXPECT_EQ(error.keys().front(), "network.redundancy");
        EXPECT_THAT(error.what(), ::testing::HasSubstr("key 'network.redundancy'"));
        EXPECT_THAT(error.what(), ::testing::HasSubstr("network.red_payload_type"));
    }
    // The restart applies the file as it is.
    EXPECT_NO_THROW(validate(fresh));
}

TEST(ConfigReload, ABrokenFileIsRefusedWithItsProblem) {
    // The daemon keeps its running config when the reload throws.
    const TempDir dir;
    const auto file = dir.write("link.toml", "[network]\npeer = \"127.0.0.1:5006\"\n");
    const LinkConfig running = load_config(file);
    dir.write("link.toml", "[network]\npeer = \"127.0.0.1:5006\"\npacket_ms = 0\n");
    EXPECT_THAT(config_error([&] { load_config(file); }),
                ::testing::HasSubstr(file.string() + ":3:13: key 'network.packet_ms'"));
    dir.write("link.toml", "[network\n");
    EXPECT_THAT(config_error([&] { load_config(file); }),
                ::testing::HasSubstr(file.string() + ":1:"));
    EXPECT_EQ(running.network.packet_ms, LinkConfig{}.network.packet_ms);  // still the file's
}

}  // namespace
}  // namespace extrema::config::test
