#pragma once
// RFC 3389 comfort-noise payload (payload type 13 by default; docs/wire.md, "Comfort noise"):
//
//   byte 0:        0 (1 bit, unused) | noise level in -dBov (7 bits): 0 = 0 dBov .. 127 = -127 dBov
//   bytes 1..N:    reflection coefficients k_1 .. k_N of the all-pole noise model, one byte
//                  each: k = (byte - 127) / 128 (the G.711 Appendix II quantisation)
//
// The model order N is the payload length minus one; 0 is white noise at the level. The
// coefficients follow codec/comfort_noise.h's convention. The parser is strict about what RFC
// 3389 fixes (a level byte with its top bit set is refused) and lenient where it leaves room: a
// model longer than the generator's kMaxNoiseOrder keeps its first coefficients (RFC 3389 lets
// a decoder lower the order by zeroing the higher ones). Fuzzed by
// tests/fuzz/fuzz_comfort_noise_payload.cpp. Nothing allocates.
#include <cstddef>
#include <cstdint>
#include <span>

#include "extrema/codec/comfort_noise.h"

namespace extrema::net {

inline constexpr std::size_t kComfortNoiseLevelBytes = 1;
// Largest CN payload we write: the level and a full-order model.
inline constexpr std::size_t kMaxComfortNoiseBytes =
    kComfortNoiseLevelBytes + codec::kMaxNoiseOrder;
// RFC 3551 §6: the static payload type of CN.
inline constexpr std::uint8_t kDefaultComfortNoisePayloadType = 13;

enum class ComfortNoiseParseError {
    kNone,
    kEmpty,     // no level byte
    kBadLevel,  // the level byte's unused top bit is set
};

// Parses a CN payload into `out` (level, order and coefficients; extra coefficients beyond
// kMaxNoiseOrder are ignored).
ComfortNoiseParseError parse_comfort_noise(std::span<const std::uint8_t> payload,
                                           codec::NoiseDescription& out) noexcept;

// Bytes the payload of `description` takes: 1 + its order (capped at kMaxNoiseOrder).
std::size_t comfort_noise_bytes(const codec::NoiseDescription& description) noexcept;

// Writes the payload of `description` into `out`, which holds comfort_noise_bytes(). The level
// is clamped to 0..-127 dBov and each coefficient to what a byte carries. Returns bytes written.
std::size_t write_comfort_noise(const codec::NoiseDescription& description,
                                std::span<std::uint8_t> out) noexcept;

// The quantisation of one coefficient, both ways.
std::uint8_t quantize_reflection(double k) noexcept;
double dequantize_reflection(std::uint8_t byte) noexcept;

}  // namespace extrema::net
