#include "config/validate_config.h"

#include <fmt/format.h>

#include <initializer_list>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "config/config_error.h"
#include "config/setting_text.h"
#include "pipeline/setting_keys.h"

namespace extrema::config {
namespace {

using pipeline::InputKind;
using pipeline::LinkMode;
using pipeline::OutputKind;
using namespace pipeline::keys;

// `keys`: the table's names of the keys involved (pipeline/setting_keys.h).
void require(bool ok, std::initializer_list<std::string_view> keys, const std::string& problem) {
    if (!ok) throw ConfigError(std::vector<std::string>(keys.begin(), keys.end()), problem);
}

std::string ms(double value) {
    return format_number(value) + " ms";
}
std::string hz(double value) {
    return format_number(value) + " Hz";
}

void validate_each_key(const LinkConfig& config) {
    for (const KeySpec& key : config_keys()) {
        try {
            check_value(key, key.get(config));
        } catch (const std::invalid_argument& error) {
            throw ConfigError({key.path()}, error.what());
        }
    }
}

void validate_peers(const LinkConfig& config) {
    const auto& network = config.network;
    const std::string mode = pipeline::to_string(config.mode);
    require(config.mode == LinkMode::kReceive || !network.peer.empty(), {kPeer, kMode},
            fmt::format("{} \"{}\" sends to {}: set it to \"host:port\"", kMode, mode, kPeer));
    require(
        config.mode != LinkMode::kReceive || !network.peer.empty() || !network.allow.empty() ||
            network.accept_any_peer,
        {kPeer, kAllow, kAcceptAnyPeer, kMode},
        fmt::format("{} \"receive\" accepts configured senders only: set {} or {}, or {} = true",
                    kMode, kPeer, kAllow, kAcceptAnyPeer));
    require(network.dtls == "off" || !network.srtp_key_file.empty(), {kDtls, kSrtpKeyFile},
            fmt::format("{} needs {}: the pre-shared key that authenticates the handshake", kDtls,
                        kSrtpKeyFile));
    require(network.dtls != "client" || !network.peer.empty(), {kDtls, kPeer},
            fmt::format("{} = \"client\" starts the handshake with {}: set it", kDtls, kPeer));
}

void validate_redundancy(const LinkConfig& config) {
    const auto& network = config.network;
    // A receiver with equal types only takes no RED packets (pipeline/receive_path.cpp).
    const bool sends_red = network.redundancy_auto || network.redundancy > 0;
    require(!sends_red || network.red_payload_type != network.payload_type,
            {kRedPayloadType, kPayloadType, kRedundancy},
            fmt::format("RED packets need a payload type of their own: {} ({}) equals {}",
                        kRedPayloadType, network.red_payload_type, kPayloadType));
}

void validate_redundancy_kbps(const LinkConfig& config) {
    const std::string problem = pipeline::redundancy_kbps_problem(config.network.redundancy_kbps,
                                                                  config.encoder.target_kbps);
    require(problem.empty(), {kRedundancyKbps, kTargetKbps}, problem);
}

void validate_comfort_noise(const LinkConfig& config) {
    const auto& network = config.network;
    // A receiver takes CN packets whatever its own dtx, so the type is checked either way.
    for (const auto& [other, value] : {std::pair{kPayloadType, network.payload_type},
                                       std::pair{kRedPayloadType, network.red_payload_type}}) {
        require(network.cn_payload_type != value, {kCnPayloadType, other},
                fmt::format("comfort-noise packets need a payload type of their own: {} ({}) "
                            "equals {}",
                            kCnPayloadType, network.cn_payload_type, other));
    }
}

void validate_swing_payload_type(const LinkConfig& config) {
    const auto& network = config.network;
    // A receiver takes swing-bank records whatever its own bank, so the type is checked always.
    for (const auto& [other, value] : {std::pair{kPayloadType, network.payload_type},
                                       std::pair{kRedPayloadType, network.red_payload_type},
                                       std::pair{kCnPayloadType, network.cn_payload_type}}) {
        require(network.swing_payload_type != value, {kSwingPayloadType, other},
                fmt::format("records of the swing bank need a payload type of their own: "
                            "{} ({}) equals {}",
                            kSwingPayloadType, network.swing_payload_type, other));
    }
}

void validate_audio(const LinkConfig& config) {
    const auto& audio = config.audio;
    require(audio.input != InputKind::kFile || !audio.input_file.empty(), {kInputFile, kInput},
            fmt::format("{} = \"file\" needs the file to read: set {}", kInput, kInputFile));
    require(audio.output != OutputKind::kFile || !audio.output_file.empty(), {kOutputFile, kOutput},
            fmt::format("{} = \"file\" needs the file to write: set {}", kOutput, kOutputFile));
    const double nyquist_hz = audio.rate_hz / 2.0;
    require(audio.tone_hz < nyquist_hz, {kToneHz, kRateHz},
            fmt::format("the tone ({}) must be below half of {} ({})", hz(audio.tone_hz), kRateHz,
                        hz(nyquist_hz)));
    require(config.encoder.lowpass_hz < nyquist_hz, {kLowpassHz, kRateHz},
            fmt::format("the low-pass cutoff ({}) must be 0 (off) or below half of {} ({})",
                        hz(config.encoder.lowpass_hz), kRateHz, hz(nyquist_hz)));
}

void validate_latency(const LinkConfig& config) {
    const auto& receiver = config.receiver;
    require(receiver.min_latency_ms <= receiver.max_latency_ms, {kMinLatencyMs, kMaxLatencyMs},
            fmt::format("{} ({}) must not exceed {} ({})", kMinLatencyMs,
                        ms(receiver.min_latency_ms), kMaxLatencyMs, ms(receiver.max_latency_ms)));
}

void validate_packet_sizes(const LinkConfig& config) {
    // A packet covers packet_ms plus at most one more record, which max_segment_ms bounds
    // (net/packetizer.h); a receiver with the same settings must accept it.
    const double honest_ms = config.network.packet_ms + config.encoder.max_segment_ms;
    require(honest_ms <= config.receiver.max_packet_ms, {kMaxSegmentMs, kMaxPacketMs, kPacketMs},
            fmt::format("a packet may carry {} ({}) plus one record of up to {} ({}) = {}, more "
                        "than {} ({}) lets a receiver accept",
                        kPacketMs, ms(config.network.packet_ms), kMaxSegmentMs,
                        ms(config.encoder.max_segment_ms), ms(honest_ms), kMaxPacketMs,
                        ms(config.receiver.max_packet_ms)));
}

void validate_compressor(const LinkConfig& config) {
    try {
        dsp::validate(config.compressor.config);
    } catch (const std::invalid_argument& error) {
        // dsp::validate() names the field; the config keys carry the same names.
        const std::string message = error.what();
        std::string key = "compressor";
        for (const KeySpec& spec : config_keys()) {
            if (spec.section == "compressor" &&
                message.find(" " + std::string(spec.name) + " ") != std::string::npos) {
                key = spec.path();
            }
        }
        throw ConfigError({key}, message);
    }
}

}  // namespace

void validate(const LinkConfig& config) {
    validate_each_key(config);
    validate_peers(config);
    validate_redundancy(config);
    validate_redundancy_kbps(config);
    validate_comfort_noise(config);
    validate_swing_payload_type(config);
    validate_audio(config);
    validate_latency(config);
    validate_packet_sizes(config);
    validate_compressor(config);
}

}  // namespace extrema::config
