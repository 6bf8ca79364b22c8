#include "pipeline/link_rules.h"

#include <fmt/format.h>

#include <charconv>
#include <initializer_list>
#include <system_error>
#include <utility>

#include "pipeline/setting_keys.h"

namespace extrema::pipeline {
namespace {

using namespace keys;

// Collects the first broken rule; later checks are skipped once one is found.
class Rules {
  public:
    void require(bool ok, std::initializer_list<std::string_view> keys, std::string problem) {
        if (ok || broken_) return;
        broken_ = BrokenRule{std::vector<std::string_view>(keys), std::move(problem)};
    }
    std::optional<BrokenRule> result() && { return std::move(broken_); }

  private:
    std::optional<BrokenRule> broken_;
};

std::string ms(double value) {
    return format_number(value) + " ms";
}
std::string hz(double value) {
    return format_number(value) + " Hz";
}

void peers(const LinkConfig& config, Rules& rules) {
    const auto& network = config.network;
    const std::string mode = to_string(config.mode);
    rules.require(
        config.mode == LinkMode::kReceive || !network.peer.empty(), {kPeer, kMode},
        fmt::format("{} \"{}\" sends to {}: set it to \"host:port\"", kMode, mode, kPeer));
    rules.require(
        config.mode != LinkMode::kReceive || !network.peer.empty() || !network.allow.empty() ||
            network.accept_any_peer,
        {kPeer, kAllow, kAcceptAnyPeer, kMode},
        fmt::format("{} \"receive\" accepts configured senders only: set {} or {}, or {} = true",
                    kMode, kPeer, kAllow, kAcceptAnyPeer));
    rules.require(network.dtls == "off" || !network.srtp_key_file.empty(), {kDtls, kSrtpKeyFile},
                  fmt::format("{} needs {}: the pre-shared key that authenticates the handshake",
                              kDtls, kSrtpKeyFile));
    rules.require(
        network.dtls != "client" || !network.peer.empty(), {kDtls, kPeer},
        fmt::format("{} = \"client\" starts the handshake with {}: set it", kDtls, kPeer));
}

void payload_types(const LinkConfig& config, Rules& rules) {
    const auto& network = config.network;
    // A receiver with equal types only takes no RED packets (pipeline/receive_path.cpp).
    const bool sends_red = network.redundancy_auto || network.redundancy > 0;
    rules.require(!sends_red || network.red_payload_type != network.payload_type,
                  {kRedPayloadType, kPayloadType, kRedundancy},
                  fmt::format("RED packets need a payload type of their own: {} ({}) equals {}",
                              kRedPayloadType, network.red_payload_type, kPayloadType));
    const std::string blocks =
        redundancy_kbps_problem(network.redundancy_kbps, config.encoder.codec.target_kbps);
    rules.require(blocks.empty(), {kRedundancyKbps, kTargetKbps}, blocks);
    // A receiver takes CN packets whatever its own dtx, so the type is checked either way.
    for (const auto& [other, value] : {std::pair{kPayloadType, network.payload_type},
                                       std::pair{kRedPayloadType, network.red_payload_type}}) {
        rules.require(network.cn_payload_type != value, {kCnPayloadType, other},
                      fmt::format("comfort-noise packets need a payload type of their own: {} ({}) "
                                  "equals {}",
                                  kCnPayloadType, network.cn_payload_type, other));
    }
    // A receiver takes swing-bank records whatever its own bank, so the type is checked always.
    for (const auto& [other, value] : {std::pair{kPayloadType, network.payload_type},
                                       std::pair{kRedPayloadType, network.red_payload_type},
                                       std::pair{kCnPayloadType, network.cn_payload_type}}) {
        rules.require(network.swing_payload_type != value, {kSwingPayloadType, other},
                      fmt::format("records of the swing bank need a payload type of their own: "
                                  "{} ({}) equals {}",
                                  kSwingPayloadType, network.swing_payload_type, other));
    }
}

void audio(const LinkConfig& config, Rules& rules) {
    const auto& audio = config.audio;
    rules.require(audio.input != InputKind::kFile || !audio.input_file.empty(),
                  {kInputFile, kInput},
                  fmt::format("{} = \"file\" needs the file to read: set {}", kInput, kInputFile));
    rules.require(
        audio.output != OutputKind::kFile || !audio.output_file.empty(), {kOutputFile, kOutput},
        fmt::format("{} = \"file\" needs the file to write: set {}", kOutput, kOutputFile));
    const double nyquist_hz = audio.rate_hz / 2.0;
    rules.require(audio.tone_hz < nyquist_hz, {kToneHz, kRateHz},
                  fmt::format("the tone ({}) must be below half of {} ({})", hz(audio.tone_hz),
                              kRateHz, hz(nyquist_hz)));
    const double lowpass_hz = config.encoder.codec.lowpass_hz;
    rules.require(lowpass_hz < nyquist_hz, {kLowpassHz, kRateHz},
                  fmt::format("the low-pass cutoff ({}) must be 0 (off) or below half of {} ({})",
                              hz(lowpass_hz), kRateHz, hz(nyquist_hz)));
}

void latency(const LinkConfig& config, Rules& rules) {
    const double min_ms = config.receiver.adaptive.min_latency_ms;
    const double max_ms = config.receiver.adaptive.max_latency_ms;
    rules.require(min_ms <= max_ms, {kMinLatencyMs, kMaxLatencyMs},
                  fmt::format("{} ({}) must not exceed {} ({})", kMinLatencyMs, ms(min_ms),
                              kMaxLatencyMs, ms(max_ms)));
}

void packet_sizes(const LinkConfig& config, Rules& rules) {
    // A packet covers packet_ms plus at most one more record, which max_segment_ms bounds
    // (net/packetizer.h); a receiver with the same settings must accept it.
    const double packet_ms = config.network.packet_ms;
    const double segment_ms = config.encoder.codec.max_segment_ms;
    const double max_packet_ms = config.receiver.limits.max_packet_ms;
    const double honest_ms = packet_ms + segment_ms;
    rules.require(honest_ms <= max_packet_ms, {kMaxSegmentMs, kMaxPacketMs, kPacketMs},
                  fmt::format("a packet may carry {} ({}) plus one record of up to {} ({}) = {}, "
                              "more than {} ({}) lets a receiver accept",
                              kPacketMs, ms(packet_ms), kMaxSegmentMs, ms(segment_ms),
                              ms(honest_ms), kMaxPacketMs, ms(max_packet_ms)));
}

}  // namespace

std::optional<BrokenRule> first_broken_rule(const LinkConfig& config) {
    Rules rules;
    peers(config, rules);
    payload_types(config, rules);
    audio(config, rules);
    latency(config, rules);
    packet_sizes(config, rules);
    return std::move(rules).result();
}

std::string redundancy_kbps_problem(double redundancy_kbps, double target_kbps) {
    if (redundancy_kbps == 0.0) return "";
    if (!(redundancy_kbps >= kMinRedundancyKbps && redundancy_kbps <= kMaxRedundancyKbps)) {
        return fmt::format("{:g} kbps is neither 0 (copies) nor {:g} to {:g} kbps", redundancy_kbps,
                           kMinRedundancyKbps, kMaxRedundancyKbps);
    }
    if (target_kbps > 0.0 && redundancy_kbps >= target_kbps) {
        return fmt::format(
            "{:g} kbps must be below the encoder's target_kbps ({:g} kbps): "
            "blocks at the packets' own rate cost as much as copies",
            redundancy_kbps, target_kbps);
    }
    return "";
}

std::string format_number(double value) {
    char text[32];
    const auto [end, error] = std::to_chars(text, text + sizeof text, value);
    if (error != std::errc{}) return fmt::format("{}", value);
    return std::string(text, end);
}

}  // namespace extrema::pipeline
