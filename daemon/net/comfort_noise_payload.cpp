#include "net/comfort_noise_payload.h"

#include <algorithm>
#include <cmath>

namespace extrema::net {
namespace {

constexpr std::uint8_t kUnusedLevelBit = 0x80;
constexpr double kReflectionScale = 128.0;
constexpr int kReflectionZero = 127;

}  // namespace

std::uint8_t quantize_reflection(double k) noexcept {
    if (!std::isfinite(k)) return kReflectionZero;
    // 255 would be k = 1, a pole on the unit circle: the top code is left unused.
    const double code = std::round(k * kReflectionScale) + kReflectionZero;
    return static_cast<std::uint8_t>(std::clamp(code, 0.0, 254.0));
}

double dequantize_reflection(std::uint8_t byte) noexcept {
    return (static_cast<int>(byte) - kReflectionZero) / kReflectionScale;
}

ComfortNoiseParseError parse_comfort_noise(std::span<const std::uint8_t> payload,
                                           codec::NoiseDescription& out) noexcept {
    if (payload.empty()) return ComfortNoiseParseError::kEmpty;
    if ((payload[0] & kUnusedLevelBit) != 0) return ComfortNoiseParseError::kBadLevel;
    out.level_dbov = -static_cast<double>(payload[0]);
    const auto coefficients = payload.subspan(kComfortNoiseLevelBytes);
    out.order = std::min(coefficients.size(), codec::kMaxNoiseOrder);
    out.reflection.fill(0.0);
    for (std::size_t i = 0; i < out.order; ++i) {
        out.reflection[i] = dequantize_reflection(coefficients[i]);
    }
    return ComfortNoiseParseError::kNone;
}

std::size_t comfort_noise_bytes(const codec::NoiseDescription& description) noexcept {
    return kComfortNoiseLevelBytes + std::min(description.order, codec::kMaxNoiseOrder);
}

std::size_t write_comfort_noise(const codec::NoiseDescription& description,
                                std::span<std::uint8_t> out) noexcept {
    const double level = std::isfinite(description.level_dbov) ? description.level_dbov : -127.0;
    out[0] = static_cast<std::uint8_t>(std::clamp(std::round(-level), 0.0, 127.0));
    const std::size_t order = std::min(description.order, codec::kMaxNoiseOrder);
    for (std::size_t i = 0; i < order; ++i) {
        out[kComfortNoiseLevelBytes + i] = quantize_reflection(description.reflection[i]);
    }
    return kComfortNoiseLevelBytes + order;
}

}  // namespace extrema::net
