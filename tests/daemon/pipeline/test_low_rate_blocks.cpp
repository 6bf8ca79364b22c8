// LowRateBlocks (network.redundancy_kbps): the second encoder's records cut into anchored frames
// on the packet_ms grid, found by the span of the packet they stand for, the last kFrames kept.
#include "pipeline/low_rate_blocks.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include "extrema/codec/decoder.h"

namespace extrema::pipeline {
namespace {

constexpr std::uint32_t kPacket = 480;  // 10 ms at 48 kHz

codec::EncoderConfig low_rate() {
    codec::EncoderConfig config;
    config.sample_rate_hz = 48000.0;
    config.frame_ms = 10.0;
    config.max_segment_ms = 5.0;
    config.target_kbps = 16.0;
    return config;
}

std::vector<codec::Record> records_of(std::span<const std::uint8_t> payload) {
    std::vector<codec::Record> records;
    for (std::size_t at = 0; at + codec::kRecordBytes <= payload.size();
         at += codec::kRecordBytes) {
        records.push_back(codec::unpack_record(payload.subspan(at).first<codec::kRecordBytes>()));
    }
    return records;
}

TEST(LowRateBlocks, SilenceIsCutAtGridLinesAndOnlyWholeSpansAreFound) {
    LowRateBlocks blocks(low_rate(), codec::CurveBank::standard(), kPacket);
    const std::vector<float> silence(4 * kPacket, 0.0f);
    blocks.push(silence);
    for (std::uint32_t k = 0; k < 4; ++k) {
        const auto block = blocks.block(k * kPacket, kPacket);
        const auto records = records_of(block);
        ASSERT_GE(records.size(), 2u) << k;
        EXPECT_TRUE(records[0].is_anchor());
        EXPECT_TRUE(std::all_of(records.begin() + 1, records.end(),
                                [](const codec::Record& r) { return r.is_silence(); }));
        EXPECT_EQ(codec::count_samples(records), kPacket) << k;
        // Another span than a frame's (a packet the cap cut short) has no block.
        EXPECT_TRUE(blocks.block(k * kPacket, kPacket / 2).empty());
        EXPECT_TRUE(blocks.block(k * kPacket + kPacket / 2, kPacket / 2).empty());
    }
    EXPECT_TRUE(blocks.block(4 * kPacket, kPacket).empty());  // not encoded yet
}

TEST(LowRateBlocks, FramesDecodeOnTheirOwnAsTheStreamDoesAndTheLastOnesAreKept) {
    const std::size_t frames = 3 * LowRateBlocks::kFrames;
    std::vector<float> tone(frames * kPacket + 100);
    for (std::size_t i = 0; i < tone.size(); ++i) {
        tone[i] = static_cast<float>(0.5 * std::sin(2.0 * std::numbers::pi * 300.0 * i / 48000.0));
    }
    LowRateBlocks blocks(low_rate(), codec::CurveBank::standard(), kPacket);
    codec::Encoder offline(low_rate());
    std::vector<codec::Record> stream;
    offline.push(std::span<const float>(tone), stream);
    offline.flush(stream);
    const auto expected = codec::decode_all(stream);

    for (std::size_t k = 0; k < frames; ++k) {
        blocks.push(std::span<const float>(tone).subspan(k * kPacket, kPacket));
        const auto block = blocks.block(static_cast<std::uint32_t>(k * kPacket), kPacket);
        ASSERT_FALSE(block.empty()) << k;
        // The anchor holds the value before the frame: decoded alone, it is the stream's span.
        const auto decoded = codec::decode_all(records_of(block));
        ASSERT_EQ(decoded.size(), kPacket);
        EXPECT_TRUE(std::equal(decoded.begin(), decoded.end(), expected.begin() + k * kPacket))
            << k;
        if (k >= LowRateBlocks::kFrames) {  // the ring's oldest went
            const auto gone = (k - LowRateBlocks::kFrames) * kPacket;
            EXPECT_TRUE(blocks.block(static_cast<std::uint32_t>(gone), kPacket).empty()) << k;
            EXPECT_FALSE(blocks.block(static_cast<std::uint32_t>(gone + kPacket), kPacket).empty());
        }
    }
    // The stream's end: flush() closes the short last frame.
    blocks.push(std::span<const float>(tone).subspan(frames * kPacket));
    EXPECT_TRUE(blocks.block(static_cast<std::uint32_t>(frames * kPacket), 100).empty());
    blocks.flush();
    EXPECT_EQ(codec::count_samples(
                  records_of(blocks.block(static_cast<std::uint32_t>(frames * kPacket), 100))),
              100u);
}

}  // namespace
}  // namespace extrema::pipeline
