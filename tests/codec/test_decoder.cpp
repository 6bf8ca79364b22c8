#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <vector>

#include "extrema/codec/decoder.h"
#include "extrema/codec/xtr_format.h"

namespace extrema::codec {
namespace {

TEST(Decoder, CurveFollowsTheContractFormulaAndEndsOnItsValue) {
    const CurveBank& bank = CurveBank::standard();
    Decoder decoder(bank);
    decoder.push(Record::curve(98, 4, 1000));
    std::array<float, 4> out{};
    ASSERT_EQ(decoder.read_raw(out), 4u);
    for (int i = 0; i < 3; ++i) EXPECT_FLOAT_EQ(out[i], 1000.0f * bank.value(98, (i + 1) / 4.0f));
    EXPECT_EQ(out[3], 1000.0f);
    EXPECT_EQ(decoder.position(), 1000);
}

// The decoder's prerendered short curves and vector rendering of long ones give, bit for bit, the
// contract's formula evaluated one sample at a time, however the reads split the record.
TEST(Decoder, RendersEverySampleAsTheScalarFormula) {
    for (const CurveBank* bank : {&CurveBank::standard(), &CurveBank::power()}) {
        Decoder decoder(*bank);
        for (unsigned id = 1; id <= kBankCurves; id += 3) {
            for (std::uint32_t n : {1u, 2u, 3u, 7u, 15u, 16u, 17u, 24u, 31u, 100u, 1023u, 4099u}) {
                const auto curve = static_cast<std::uint8_t>(id);
                const std::int16_t from = -1234, to = static_cast<std::int16_t>(id * 97);
                decoder.set_position(from);
                decoder.push(Record::curve(curve, static_cast<std::uint16_t>(n), to));
                const float step = static_cast<float>(kBankPoints - 1) / static_cast<float>(n);
                const float height = static_cast<float>(to) - static_cast<float>(from);
                std::array<float, 13> block{};
                std::uint32_t k = 0;
                while (decoder.pending() > 0) {
                    const std::size_t got = decoder.read_raw(block);
                    for (std::size_t i = 0; i < got; ++i) {
                        ++k;
                        const float expected =
                            k == n ? static_cast<float>(to)
                                   : static_cast<float>(from) +
                                         height * render_point(bank->table(curve).data(),
                                                               static_cast<float>(k), step);
                        ASSERT_EQ(block[i], expected) << "curve " << id << " n " << n << " k " << k;
                    }
                }
                ASSERT_EQ(k, n);
            }
        }
    }
}

TEST(Decoder, SilenceHoldsThePosition) {
    Decoder decoder;
    decoder.push(Record::curve(5, 1, -300));
    std::array<std::int16_t, 8> out{};
    decoder.read(out);
    decoder.push(Record::silence(5));
    ASSERT_EQ(decoder.read(std::span<std::int16_t>(out).first(5)), 5u);
    for (int i = 0; i < 5; ++i) EXPECT_EQ(out[i], -300);
}

TEST(Decoder, AnchorSetsThePositionAndEmitsNothing) {
    Decoder decoder;
    decoder.push(Record::anchor(1234));
    EXPECT_EQ(decoder.pending(), 0u);
    EXPECT_EQ(decoder.position(), 1234);
    decoder.push(Record::silence(2));
    std::array<std::int16_t, 2> out{};
    decoder.read(out);
    EXPECT_EQ(out[0], 1234);
}

TEST(Decoder, ReadsInPiecesOfAnySize) {
    const std::vector<Record> records{Record::curve(98, 100, 20000), Record::silence(37),
                                      Record::curve(200, 55, -9000)};
    const auto whole = decode_all(records);
    Decoder decoder;
    std::vector<std::int16_t> pieces;
    std::array<std::int16_t, 7> block{};
    for (const auto& r : records) {
        decoder.push(r);
        while (decoder.pending() > 0) {
            const auto n = decoder.read(block);
            pieces.insert(pieces.end(), block.begin(),
                          block.begin() + static_cast<std::ptrdiff_t>(n));
        }
    }
    EXPECT_EQ(pieces, whole);
}

TEST(Decoder, HugeSilenceNeedsNoHugeBuffer) {
    Decoder decoder;
    decoder.push(Record::silence(0xFFFFFFFF));
    std::array<float, 64> out{};
    EXPECT_EQ(decoder.read(out), 64u);
    EXPECT_EQ(decoder.pending(), 0xFFFFFFFFull - 64);
}

TEST(Decoder, FloatOutputIsNormalisedByFullScale) {
    Decoder decoder;
    decoder.push(Record::curve(1, 1, 32767));
    std::array<float, 1> out{};
    decoder.read(out);
    EXPECT_FLOAT_EQ(out[0], 1.0f);
}

TEST(Decoder, HandBuiltSeedRawStreamDecodes) {
    // A headerless stream as the seed wrote it (but with the contract's u32 silence):
    // curve 98 (half-cosine) over 4 samples to 1000, then 3 samples of silence.
    const std::vector<std::uint8_t> raw{98, 4, 0, 0xE8, 0x03, 0, 3, 0, 0, 0};
    const XtrStream stream = parse_xtr(raw);
    ASSERT_TRUE(stream.raw);
    EXPECT_EQ(stream.sample_rate_hz, 44100u);
    ASSERT_EQ(stream.channels.size(), 1u);
    const auto samples = decode_all(stream.channels[0]);
    const double half_cos_quarter = 0.5 - 0.5 * std::cos(M_PI * 0.25);
    const std::vector<std::int16_t> expected{
        static_cast<std::int16_t>(std::lround(1000 * half_cos_quarter)),
        500,
        static_cast<std::int16_t>(std::lround(1000 * (1 - half_cos_quarter))),
        1000,
        1000,
        1000,
        1000};
    EXPECT_EQ(samples, expected);
}

}  // namespace
}  // namespace extrema::codec
