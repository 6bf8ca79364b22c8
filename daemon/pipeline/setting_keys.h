#pragma once
// The config keys that errors name: the pipeline's (setting_errors.h), the rules between keys
// (link_rules.cpp) and the reload's (config/reload_plan.cpp). The key table
// (config/config_keys.cpp) takes these keys' names from here, so a key renamed there is renamed in
// every error; the pipeline cannot read the table itself (the config library builds on it).
#include <array>
#include <string_view>

namespace extrema::pipeline::keys {

inline constexpr std::string_view kMode = "mode";
inline constexpr std::string_view kInput = "audio.input";
inline constexpr std::string_view kOutput = "audio.output";
inline constexpr std::string_view kInputDevice = "audio.input_device";
inline constexpr std::string_view kOutputDevice = "audio.output_device";
inline constexpr std::string_view kInputFile = "audio.input_file";
inline constexpr std::string_view kOutputFile = "audio.output_file";
inline constexpr std::string_view kBind = "network.bind";
inline constexpr std::string_view kPeer = "network.peer";
inline constexpr std::string_view kAllow = "network.allow";
inline constexpr std::string_view kAcceptAnyPeer = "network.accept_any_peer";
inline constexpr std::string_view kMulticastTtl = "network.multicast_ttl";
inline constexpr std::string_view kMulticastInterface = "network.multicast_interface";
inline constexpr std::string_view kSrtpKeyFile = "network.srtp_key_file";
inline constexpr std::string_view kDtls = "network.dtls";
inline constexpr std::string_view kToneHz = "audio.tone_hz";
inline constexpr std::string_view kRateHz = "audio.rate_hz";
inline constexpr std::string_view kLowpassHz = "encoder.lowpass_hz";
inline constexpr std::string_view kMaxSegmentMs = "encoder.max_segment_ms";
inline constexpr std::string_view kTargetKbps = "encoder.target_kbps";
inline constexpr std::string_view kPayloadType = "network.payload_type";
inline constexpr std::string_view kPacketMs = "network.packet_ms";
inline constexpr std::string_view kRedundancy = "network.redundancy";
inline constexpr std::string_view kRedundancyKbps = "network.redundancy_kbps";
inline constexpr std::string_view kRedPayloadType = "network.red_payload_type";
inline constexpr std::string_view kCnPayloadType = "network.cn_payload_type";
inline constexpr std::string_view kSwingPayloadType = "network.swing_payload_type";
inline constexpr std::string_view kMinLatencyMs = "receiver.min_latency_ms";
inline constexpr std::string_view kMaxLatencyMs = "receiver.max_latency_ms";
inline constexpr std::string_view kMaxPacketMs = "receiver.max_packet_ms";

// Every key above (a test finds each in the table).
inline constexpr std::array kAll = {kMode,
                                    kInput,
                                    kOutput,
                                    kInputDevice,
                                    kOutputDevice,
                                    kInputFile,
                                    kOutputFile,
                                    kBind,
                                    kPeer,
                                    kAllow,
                                    kAcceptAnyPeer,
                                    kMulticastTtl,
                                    kMulticastInterface,
                                    kSrtpKeyFile,
                                    kDtls,
                                    kToneHz,
                                    kRateHz,
                                    kLowpassHz,
                                    kMaxSegmentMs,
                                    kTargetKbps,
                                    kPayloadType,
                                    kPacketMs,
                                    kRedundancy,
                                    kRedundancyKbps,
                                    kRedPayloadType,
                                    kCnPayloadType,
                                    kSwingPayloadType,
                                    kMinLatencyMs,
                                    kMaxLatencyMs,
                                    kMaxPacketMs};

// "max_latency_ms" of "receiver.max_latency_ms": the key within its section.
constexpr std::string_view name_in_section(std::string_view key) noexcept {
    return key.substr(key.find('.') + 1);
}

}  // namespace extrema::pipeline::keys
