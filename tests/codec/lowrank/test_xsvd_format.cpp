// The .xsvd parser: round trip, and every malformed file is a one-line XsvdFormatError.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <iterator>
#include <limits>

#include "extrema/codec/little_endian.h"
#include "extrema/lowrank/svd_codec.h"
#include "extrema/lowrank/xsvd_format.h"
#include "test_signals.h"

namespace extrema::lowrank {
namespace {

std::vector<std::uint8_t> small_file() {
    SvdCodecConfig config;
    config.rank = 2;
    config.block_frames = 8;
    return serialize_xsvd(encode_svd(testing::noise(2 * 20 * 512 + 2, 9), 16000, 2, config));
}

// Overwrites a little-endian field of a file.
using codec::set_le;

std::string parse_error(const std::vector<std::uint8_t>& bytes) {
    try {
        parse_xsvd(bytes);
    } catch (const XsvdFormatError& e) {
        return e.what();
    }
    return "";
}

TEST(XsvdFormat, RoundTrips) {
    const std::vector<std::uint8_t> bytes = small_file();
    const XsvdFile file = parse_xsvd(bytes);
    EXPECT_EQ(file.header.sample_rate_hz, 16000u);
    EXPECT_EQ(file.header.channels, 2u);
    EXPECT_EQ(file.header.n_fft, 1024u);
    EXPECT_EQ(file.header.hop, 512u);
    EXPECT_EQ(file.header.rank, 2u);
    EXPECT_EQ(file.header.samples_per_channel, 20u * 512 + 1);
    EXPECT_EQ(file.header.block_count, 3u);  // 22 frames in blocks of 8
    EXPECT_EQ(serialize_xsvd(file), bytes);
    EXPECT_EQ(parse_xsvd_header(bytes).block_count, 3u);
}

TEST(XsvdFormat, EveryTruncationIsAnError) {
    const std::vector<std::uint8_t> bytes = small_file();
    for (std::size_t size = 0; size < bytes.size(); ++size) {
        const std::vector<std::uint8_t> cut(bytes.begin(), bytes.begin() + size);
        EXPECT_NE(parse_error(cut), "") << "prefix of " << size << " bytes";
    }
    std::vector<std::uint8_t> longer = bytes;
    longer.push_back(0);
    EXPECT_NE(parse_error(longer).find("after the last block"), std::string::npos);
}

TEST(XsvdFormat, RejectsBadHeaders) {
    const std::vector<std::uint8_t> good = small_file();
    struct Case {
        std::size_t at;
        std::uint64_t value;
        int size;
        const char* reason;
    };
    const Case cases[] = {
        {0, 'Y', 1, "bad magic"},
        {4, 2, 2, "version"},
        {6, 47, 2, "header size"},
        {8, 0, 4, "sample rate"},
        {12, 0, 2, "channel count"},
        {12, 60000, 2, "channel count"},
        {14, 9, 2, "quantisation"},
        {16, 1000, 4, "n_fft"},
        {16, std::uint64_t{1} << 30, 4, "n_fft"},
        {20, 0, 4, "hop"},
        {24, 0, 4, "rank"},
        {24, 9, 4, "rank"},  // above the 8 frames per block
        {28, 0, 4, "frames per block"},
        {28, 0xFFFFFFFF, 4, "frames per block"},
        {32, 4, 4, "block count"},
        {32, 0xFFFFFFFF, 4, "block count"},
        {36, 1, 4, "reserved"},
        {40, std::numeric_limits<std::uint64_t>::max(), 8, "sample count"},
        {40, std::uint64_t{1} << 39, 8, "block count"},  // huge but plausible: size disagrees
        {40, 30u * 512, 8, "block count"},
    };
    for (const Case& c : cases) {
        std::vector<std::uint8_t> bytes = good;
        set_le(bytes, c.at, c.value, c.size);
        const std::string error = parse_error(bytes);
        EXPECT_NE(error.find(c.reason), std::string::npos)
            << "field at " << c.at << " = " << c.value << ": '" << error << "'";
        EXPECT_EQ(error.find('\n'), std::string::npos);
    }
}

TEST(XsvdFormat, HugeButConsistentDimensionsAreATruncation) {
    // A header that is self-consistent but promises far more data than the file holds.
    std::vector<std::uint8_t> bytes = small_file();
    set_le(bytes, 40, std::uint64_t{1} << 36, 8);                              // samples
    set_le(bytes, 28, 8192, 4);                                                // frames per block
    set_le(bytes, 32, ((std::uint64_t{1} << 36) / 512 + 1 + 8191) / 8192, 4);  // block count
    EXPECT_NE(parse_error(bytes).find("truncated"), std::string::npos) << parse_error(bytes);
}

// A mono rank-1 file of one block of `block_frames` frames, all factors zero: small on disk, but
// its block is rows x block_frames values.
std::vector<std::uint8_t> one_block_file(std::uint32_t n_fft, std::uint32_t hop,
                                         std::uint32_t block_frames) {
    using codec::put_le;
    const std::uint32_t rows = n_fft / 2 + 1;
    std::vector<std::uint8_t> out(std::begin(kXsvdMagic), std::end(kXsvdMagic));
    put_le(out, kXsvdVersion, 2);
    put_le(out, kXsvdHeaderBytes, 2);
    put_le(out, 48000, 4);
    put_le(out, 1, 2);
    put_le(out, kXsvdQuantInt16, 2);
    put_le(out, n_fft, 4);
    put_le(out, hop, 4);
    put_le(out, 1, 4);  // rank
    put_le(out, block_frames, 4);
    put_le(out, 1, 4);  // block count
    put_le(out, 0, 4);
    put_le(out, std::uint64_t{block_frames - 1} * hop, 8);  // exactly block_frames frames
    put_le(out, block_frames, 2);
    put_le(out, 1, 2);
    for (int part = 0; part < 2; ++part) {
        put_le(out, 0, 4);                                                // scale 0.0f
        out.resize(out.size() + 2 * (std::size_t{rows} + block_frames));  // zero vectors
    }
    return out;
}

TEST(XsvdFormat, RefusesBlocksTooLargeToDecode) {
    // 295 KB on disk; its one block is 8193 x 65535 values, 8.6 GB as the two parts' doubles.
    const std::vector<std::uint8_t> bomb = one_block_file(16384, 8192, 65535);
    EXPECT_LT(bomb.size(), 300000u);
    const std::string error = parse_error(bomb);
    EXPECT_NE(error.find("over the limit"), std::string::npos) << error;
    EXPECT_THROW(parse_xsvd_header(bomb), XsvdFormatError);
    EXPECT_NE(parse_error(one_block_file(1024, 512, 65535)).find("over the limit"),
              std::string::npos);
}

TEST(XsvdFormat, DecodesALargeBlockInBoundedPieces) {
    // Within the limit but 65535 frames long: decoding must not hold the block's frames.
    const std::vector<std::uint8_t> bytes = one_block_file(128, 64, 65535);  // 4.2 M samples
    const XsvdFile file = parse_xsvd(bytes);
    SvdDecoder decoder(file);
    std::vector<float> piece;
    std::uint64_t total = 0;
    std::size_t largest = 0;
    while (decoder.next(piece)) {
        total += piece.size();
        largest = std::max(largest, piece.size());
        for (float v : piece) ASSERT_EQ(v, 0.0f);
    }
    EXPECT_EQ(total, file.header.samples_per_channel);
    EXPECT_LE(largest, SvdDecoder::kMaxPieceSamples + file.header.n_fft);
    EXPECT_LT(largest, total / 3);  // in pieces, not the block at once
}

TEST(SvdCodecConfig, RefusesBlocksOverTheLimit) {
    SvdCodecConfig config;
    config.rank = 1;
    config.block_frames = 65535;  // 513 x 65535
    EXPECT_THROW(validate(config, 48000 * 600), std::invalid_argument);
    config.block_frames = 512;
    EXPECT_NO_THROW(validate(config, 48000 * 600));
}

TEST(XsvdFormat, RejectsBadBlocks) {
    const std::vector<std::uint8_t> good = small_file();
    std::vector<std::uint8_t> bytes = good;
    set_le(bytes, kXsvdHeaderBytes, 7, 2);  // first block claims 7 frames instead of 8
    EXPECT_NE(parse_error(bytes).find("block 0"), std::string::npos);
    bytes = good;
    set_le(bytes, kXsvdHeaderBytes + 2, 1, 2);  // and rank 1 instead of 2
    EXPECT_NE(parse_error(bytes).find("block 0"), std::string::npos);
    bytes = good;
    const float nan = std::numeric_limits<float>::quiet_NaN();
    set_le(bytes, kXsvdHeaderBytes + kXsvdBlockHeaderBytes, std::bit_cast<std::uint32_t>(nan), 4);
    EXPECT_NE(parse_error(bytes).find("non-finite"), std::string::npos);
}

TEST(XsvdFormat, RandomCorruptionNeverCrashes) {
    const std::vector<std::uint8_t> good = small_file();
    std::uint32_t seed = 12345;
    auto next = [&seed] {
        seed = seed * 1664525u + 1013904223u;
        return seed >> 8;
    };
    for (int trial = 0; trial < 3000; ++trial) {
        std::vector<std::uint8_t> bytes = good;
        const int flips = 1 + static_cast<int>(next() % 4);
        for (int i = 0; i < flips; ++i) {
            // Mostly the header and block headers, where the structure lives.
            const std::size_t at = next() % 2 == 0 ? next() % 56 : next() % bytes.size();
            bytes[at] = static_cast<std::uint8_t>(next());
        }
        try {
            const XsvdFile file = parse_xsvd(bytes);
            EXPECT_EQ(decode_svd(file).size(),
                      file.header.samples_per_channel * file.header.channels);
        } catch (const XsvdFormatError&) {
        }
    }
}

}  // namespace
}  // namespace extrema::lowrank
