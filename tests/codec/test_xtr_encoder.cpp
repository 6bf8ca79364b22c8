#include <gtest/gtest.h>

#include <vector>

#include "extrema/codec/xtr_encoder.h"
#include "signals.h"

namespace extrema::codec {
namespace {

TEST(XtrEncoder, EachChannelIsItsOwnStreamWhateverTheBlocks) {
    const auto left = test::sine(440.0, 12000.0, 9000);
    const auto right = test::chirp(50.0, 3000.0, 8000.0, 9000);
    std::vector<std::int16_t> interleaved;
    for (std::size_t i = 0; i < left.size(); ++i) {
        interleaved.push_back(left[i]);
        interleaved.push_back(right[i]);
    }
    EncoderConfig config;
    config.sample_rate_hz = 22050.0;
    XtrEncoder encoder(2, config);
    for (std::size_t at = 0; at < interleaved.size(); at += 2 * 333) {
        encoder.push(std::span<const std::int16_t>(interleaved)
                         .subspan(at, std::min<std::size_t>(2 * 333, interleaved.size() - at)));
    }
    const XtrStream stream = encoder.finish();
    EXPECT_EQ(stream.sample_rate_hz, 22050u);
    EXPECT_EQ(stream.samples_per_channel, left.size());
    ASSERT_EQ(stream.channels.size(), 2u);
    EXPECT_EQ(stream.channels[0], encode_all(left, config));
    EXPECT_EQ(stream.channels[1], encode_all(right, config));
}

TEST(XtrEncoder, RejectsChannelCountsTheFormatCannotHold) {
    EXPECT_THROW(XtrEncoder(0, EncoderConfig{}), std::invalid_argument);
    EXPECT_THROW(XtrEncoder(kMaxXtrChannels + 1, EncoderConfig{}), std::invalid_argument);
}

}  // namespace
}  // namespace extrema::codec
