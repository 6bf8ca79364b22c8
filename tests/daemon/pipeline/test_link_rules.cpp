// The rules between a link's settings, as code that builds a LinkConfig meets them (the config
// loader's reports of the same rules are tests/daemon/config/test_config_errors.cpp's).
#include "pipeline/link_rules.h"

#include <gtest/gtest.h>

#include <string_view>

#include "pipeline/setting_keys.h"

namespace extrema::pipeline {
namespace {

LinkConfig sender() {
    LinkConfig config;
    config.network.peer = "127.0.0.1:5004";
    return config;
}

// The keys of the first broken rule, or nothing.
std::vector<std::string_view> broken_keys(const LinkConfig& config) {
    const auto broken = first_broken_rule(config);
    return broken ? broken->keys : std::vector<std::string_view>{};
}

TEST(LinkRules, TheDefaultsWithAPeerBreakNone) {
    EXPECT_FALSE(first_broken_rule(sender()).has_value());
    LinkConfig receiver;
    receiver.mode = LinkMode::kReceive;
    receiver.network.accept_any_peer = true;
    EXPECT_FALSE(first_broken_rule(receiver).has_value());
}

TEST(LinkRules, EachRuleNamesTheKeyToChangeFirst) {
    EXPECT_EQ(broken_keys(LinkConfig{}).front(), keys::kPeer);

    LinkConfig red = sender();
    red.network.redundancy = 1;
    red.network.red_payload_type = red.network.payload_type;
    EXPECT_EQ(broken_keys(red).front(), keys::kRedPayloadType);

    LinkConfig cn = sender();
    cn.network.cn_payload_type = cn.network.payload_type;
    EXPECT_EQ(broken_keys(cn).front(), keys::kCnPayloadType);

    LinkConfig lowpass = sender();
    lowpass.audio.rate_hz = 8000;
    lowpass.encoder.codec.lowpass_hz = 4000.0;  // the link's default, at Nyquist of 8 kHz
    EXPECT_EQ(broken_keys(lowpass).front(), keys::kLowpassHz);

    LinkConfig latency = sender();
    latency.receiver.adaptive.min_latency_ms = latency.receiver.adaptive.max_latency_ms + 1.0;
    EXPECT_EQ(broken_keys(latency).front(), keys::kMinLatencyMs);

    LinkConfig records = sender();
    records.encoder.codec.max_segment_ms = records.receiver.limits.max_packet_ms;
    EXPECT_EQ(broken_keys(records).front(), keys::kMaxSegmentMs);
}

TEST(LinkRules, TheProblemNamesItsKeys) {
    LinkConfig config = sender();
    config.network.dtls = "server";
    const auto broken = first_broken_rule(config);
    ASSERT_TRUE(broken.has_value());
    for (const std::string_view key : broken->keys) {
        EXPECT_NE(broken->problem.find(key), std::string::npos) << broken->problem;
    }
}

TEST(LinkRules, RedundancyBlocksStayBelowTheTarget) {
    LinkConfig config = sender();
    config.network.redundancy = 1;
    config.network.redundancy_kbps = config.encoder.codec.target_kbps;
    EXPECT_EQ(broken_keys(config).front(), keys::kRedundancyKbps);
    config.encoder.codec.target_kbps = 0.0;  // no target: any rate in range
    EXPECT_FALSE(first_broken_rule(config).has_value());
    EXPECT_NE(redundancy_kbps_problem(4.0, 0.0), "");
}

}  // namespace
}  // namespace extrema::pipeline
