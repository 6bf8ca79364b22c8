// RFC 3389 comfort-noise payload: the level byte, the quantised reflection coefficients, and a
// parser that refuses what the RFC forbids without trusting any length.
#include "net/comfort_noise_payload.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace extrema::net {
namespace {

using codec::NoiseDescription;

TEST(ComfortNoisePayload, WritesLevelThenCoefficients) {
    NoiseDescription noise;
    noise.level_dbov = -63.4;
    noise.order = 3;
    noise.reflection[0] = 0.5;
    noise.reflection[1] = -0.25;
    noise.reflection[2] = 0.0;
    std::vector<std::uint8_t> out(comfort_noise_bytes(noise));
    ASSERT_EQ(out.size(), 4u);
    ASSERT_EQ(write_comfort_noise(noise, out), 4u);
    EXPECT_EQ(out[0], 63);
    EXPECT_EQ(out[1], 127 + 64);
    EXPECT_EQ(out[2], 127 - 32);
    EXPECT_EQ(out[3], 127);
}

TEST(ComfortNoisePayload, RoundTripsWithinOneStep) {
    NoiseDescription noise;
    noise.level_dbov = -40.0;
    noise.order = codec::kMaxNoiseOrder;
    for (std::size_t i = 0; i < noise.order; ++i) noise.reflection[i] = 0.9 * std::sin(i + 1.0);
    std::vector<std::uint8_t> bytes(comfort_noise_bytes(noise));
    write_comfort_noise(noise, bytes);
    NoiseDescription back;
    ASSERT_EQ(parse_comfort_noise(bytes, back), ComfortNoiseParseError::kNone);
    EXPECT_EQ(back.level_dbov, -40.0);
    ASSERT_EQ(back.order, noise.order);
    for (std::size_t i = 0; i < noise.order; ++i) {
        EXPECT_NEAR(back.reflection[i], noise.reflection[i], 0.5 / 128.0 + 1e-12);
    }
}

TEST(ComfortNoisePayload, ClampsLevelAndCoefficientsWhenWriting) {
    NoiseDescription loud;
    loud.level_dbov = 6.0;  // above full scale: 0 dBov is the loudest the byte says
    std::vector<std::uint8_t> out(1);
    write_comfort_noise(loud, out);
    EXPECT_EQ(out[0], 0);
    NoiseDescription quiet;
    quiet.level_dbov = -300.0;
    write_comfort_noise(quiet, out);
    EXPECT_EQ(out[0], 127);
    quiet.level_dbov = std::nan("");
    write_comfort_noise(quiet, out);
    EXPECT_EQ(out[0], 127);
    EXPECT_EQ(quantize_reflection(1.0), 254);  // never k = 1, a pole on the unit circle
    EXPECT_EQ(quantize_reflection(-5.0), 0);
    EXPECT_EQ(quantize_reflection(std::nan("")), 127);
}

TEST(ComfortNoisePayload, LevelOnlyIsWhiteNoise) {
    const std::vector<std::uint8_t> bytes{127};
    NoiseDescription out;
    out.order = 5;
    ASSERT_EQ(parse_comfort_noise(bytes, out), ComfortNoiseParseError::kNone);
    EXPECT_EQ(out.level_dbov, -127.0);
    EXPECT_EQ(out.order, 0u);
}

TEST(ComfortNoisePayload, RefusesEmptyAndTopBitLevel) {
    NoiseDescription out;
    EXPECT_EQ(parse_comfort_noise({}, out), ComfortNoiseParseError::kEmpty);
    for (int level : {128, 200, 255}) {
        const std::vector<std::uint8_t> bytes{static_cast<std::uint8_t>(level), 127};
        EXPECT_EQ(parse_comfort_noise(bytes, out), ComfortNoiseParseError::kBadLevel) << level;
    }
}

TEST(ComfortNoisePayload, LongModelKeepsItsFirstCoefficients) {
    // RFC 3389 leaves the order to the sender; a decoder may lower it. A hostile length
    // (a whole datagram of coefficients) reads no further than kMaxNoiseOrder.
    std::vector<std::uint8_t> bytes(1400, 127 + 64);
    bytes[0] = 30;
    NoiseDescription out;
    ASSERT_EQ(parse_comfort_noise(bytes, out), ComfortNoiseParseError::kNone);
    EXPECT_EQ(out.order, codec::kMaxNoiseOrder);
    EXPECT_EQ(out.reflection[codec::kMaxNoiseOrder - 1], 0.5);
    EXPECT_EQ(out.level_dbov, -30.0);
}

TEST(ComfortNoisePayload, EveryByteDequantizesInsideTheUnitInterval) {
    for (int b = 0; b < 255; ++b) {
        const double k = dequantize_reflection(static_cast<std::uint8_t>(b));
        EXPECT_GT(k, -1.0);
        EXPECT_LT(k, 1.0);
        EXPECT_EQ(quantize_reflection(k), b);
    }
    EXPECT_EQ(dequantize_reflection(255), 1.0);  // on the boundary: the generator clamps it
}

}  // namespace
}  // namespace extrema::net
