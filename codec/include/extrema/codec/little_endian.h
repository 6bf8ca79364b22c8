#pragma once
// Little-endian integer fields of the project's file formats (.xtr, .xsvd), byte by byte so the
// layout does not depend on the host.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace extrema::codec {

inline void put_le(std::vector<std::uint8_t>& out, std::uint64_t value, int bytes) {
    for (int i = 0; i < bytes; ++i) out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

// Overwrites `bytes` bytes at `at`; callers check the bounds first.
inline void set_le(std::span<std::uint8_t> out, std::size_t at, std::uint64_t value, int bytes) {
    for (int i = 0; i < bytes; ++i) out[at + i] = static_cast<std::uint8_t>(value >> (8 * i));
}

// Reads `bytes` bytes at `at`; callers check the bounds first.
inline std::uint64_t get_le(std::span<const std::uint8_t> in, std::size_t at, int bytes) {
    std::uint64_t value = 0;
    for (int i = 0; i < bytes; ++i) value |= std::uint64_t{in[at + i]} << (8 * i);
    return value;
}

}  // namespace extrema::codec
