#pragma once
// The defaults of the stream values a link's components share (the packetizer, the RED encoder,
// the validator, the DTX gate, the adaptive latency): the link's keys (pipeline/link_config.h)
// and each component's own config take them from here. Their reasons are in the keys' docs
// (config/config_keys.cpp), from which docs/config.md is generated.
#include <cstddef>
#include <cstdint>

namespace extrema::net {

inline constexpr double kDefaultPacketMs = 20.0;              // network.packet_ms
inline constexpr std::size_t kDefaultMaxPayloadBytes = 1200;  // network.max_payload_bytes
inline constexpr std::uint8_t kDefaultPayloadType = 96;       // network.payload_type
inline constexpr std::uint8_t kDefaultRedPayloadType = 97;    // network.red_payload_type
inline constexpr std::uint8_t kDefaultSwingPayloadType = 98;  // network.swing_payload_type
inline constexpr std::uint8_t kDefaultCnPayloadType = 13;     // network.cn_payload_type

}  // namespace extrema::net
