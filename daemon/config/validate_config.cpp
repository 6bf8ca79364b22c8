#include "config/validate_config.h"

#include <fmt/format.h>

#include <stdexcept>

#include "config/config_error.h"
#include "config/setting_text.h"

namespace extrema::config {
namespace {

using pipeline::InputKind;
using pipeline::LinkMode;
using pipeline::OutputKind;

void require(bool ok, std::vector<std::string> keys, const std::string& problem) {
    if (!ok) throw ConfigError(std::move(keys), problem);
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
    require(config.mode == LinkMode::kReceive || !network.peer.empty(), {"network.peer", "mode"},
            fmt::format("mode \"{}\" sends to network.peer: set it to \"host:port\"", mode));
    require(config.mode != LinkMode::kReceive || !network.peer.empty() || !network.allow.empty() ||
                network.accept_any_peer,
            {"network.peer", "network.allow", "network.accept_any_peer", "mode"},
            "mode \"receive\" accepts configured senders only: set network.peer or "
            "network.allow, or network.accept_any_peer = true");
    require(network.dtls == "off" || !network.srtp_key_file.empty(),
            {"network.dtls", "network.srtp_key_file"},
            "network.dtls needs network.srtp_key_file: the pre-shared key that authenticates "
            "the handshake");
    require(network.dtls != "client" || !network.peer.empty(), {"network.dtls", "network.peer"},
            "network.dtls = \"client\" starts the handshake with network.peer: set it");
}

void validate_redundancy(const LinkConfig& config) {
    const auto& network = config.network;
    // A receiver with equal types only takes no RED packets (pipeline/receive_path.cpp).
    const bool sends_red = network.redundancy_auto || network.redundancy > 0;
    require(!sends_red || network.red_payload_type != network.payload_type,
            {"network.red_payload_type", "network.payload_type", "network.redundancy"},
            fmt::format("RED packets need a payload type of their own: network.red_payload_type "
                        "({}) equals network.payload_type",
                        network.red_payload_type));
}

void validate_redundancy_kbps(const LinkConfig& config) {
    const std::string problem = pipeline::redundancy_kbps_problem(config.network.redundancy_kbps,
                                                                  config.encoder.target_kbps);
    require(problem.empty(), {"network.redundancy_kbps", "encoder.target_kbps"}, problem);
}

void validate_comfort_noise(const LinkConfig& config) {
    const auto& network = config.network;
    // A receiver takes CN packets whatever its own dtx, so the type is checked either way.
    require(network.cn_payload_type != network.payload_type,
            {"network.cn_payload_type", "network.payload_type"},
            fmt::format("comfort-noise packets need a payload type of their own: "
                        "network.cn_payload_type ({}) equals network.payload_type",
                        network.cn_payload_type));
    require(network.cn_payload_type != network.red_payload_type,
            {"network.cn_payload_type", "network.red_payload_type"},
            fmt::format("comfort-noise packets need a payload type of their own: "
                        "network.cn_payload_type ({}) equals network.red_payload_type",
                        network.cn_payload_type));
}

void validate_swing_payload_type(const LinkConfig& config) {
    const auto& network = config.network;
    // A receiver takes swing-bank records whatever its own bank, so the type is checked always.
    const std::pair<const char*, int> others[] = {
        {"network.payload_type", network.payload_type},
        {"network.red_payload_type", network.red_payload_type},
        {"network.cn_payload_type", network.cn_payload_type}};
    for (const auto& [key, value] : others) {
        require(network.swing_payload_type != value, {"network.swing_payload_type", key},
                fmt::format("records of the swing bank need a payload type of their own: "
                            "network.swing_payload_type ({}) equals {}",
                            network.swing_payload_type, key));
    }
}

void validate_audio(const LinkConfig& config) {
    const auto& audio = config.audio;
    require(audio.input != InputKind::kFile || !audio.input_file.empty(),
            {"audio.input_file", "audio.input"},
            "audio.input = \"file\" needs the file to read: set audio.input_file");
    require(audio.output != OutputKind::kFile || !audio.output_file.empty(),
            {"audio.output_file", "audio.output"},
            "audio.output = \"file\" needs the file to write: set audio.output_file");
    const double nyquist_hz = audio.rate_hz / 2.0;
    require(audio.tone_hz < nyquist_hz, {"audio.tone_hz", "audio.rate_hz"},
            fmt::format("the tone ({}) must be below half of audio.rate_hz ({})", hz(audio.tone_hz),
                        hz(nyquist_hz)));
    require(config.encoder.lowpass_hz < nyquist_hz, {"encoder.lowpass_hz", "audio.rate_hz"},
            fmt::format("the low-pass cutoff ({}) must be 0 (off) or below half of "
                        "audio.rate_hz ({})",
                        hz(config.encoder.lowpass_hz), hz(nyquist_hz)));
}

void validate_latency(const LinkConfig& config) {
    const auto& receiver = config.receiver;
    require(receiver.min_latency_ms <= receiver.max_latency_ms,
            {"receiver.min_latency_ms", "receiver.max_latency_ms"},
            fmt::format("receiver.min_latency_ms ({}) must not exceed receiver.max_latency_ms ({})",
                        ms(receiver.min_latency_ms), ms(receiver.max_latency_ms)));
}

void validate_packet_sizes(const LinkConfig& config) {
    // A packet covers packet_ms plus at most one more record, which max_segment_ms bounds
    // (net/packetizer.h); a receiver with the same settings must accept it.
    const double honest_ms = config.network.packet_ms + config.encoder.max_segment_ms;
    require(honest_ms <= config.receiver.max_packet_ms,
            {"encoder.max_segment_ms", "receiver.max_packet_ms", "network.packet_ms"},
            fmt::format("a packet may carry network.packet_ms ({}) plus one record of up to "
                        "encoder.max_segment_ms ({}) = {}, more than receiver.max_packet_ms ({}) "
                        "lets a receiver accept",
                        ms(config.network.packet_ms), ms(config.encoder.max_segment_ms),
                        ms(honest_ms), ms(config.receiver.max_packet_ms)));
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
