#include <gtest/gtest.h>

#include <vector>

#include "extrema/codec/xtr_format.h"

namespace extrema::codec {
namespace {

XtrStream two_channels() {
    XtrStream s;
    s.sample_rate_hz = 48000;
    s.samples_per_channel = 30;
    s.channels = {{Record::curve(3, 10, 100), Record::silence(20)}, {Record::silence(30)}};
    return s;
}

TEST(XtrFormat, RoundTripsAHeaderedStream) {
    const auto bytes = serialize_xtr(two_channels());
    EXPECT_EQ(bytes.size(), 24u + 16u + 3u * 5u);
    const XtrStream back = parse_xtr(bytes);
    EXPECT_FALSE(back.raw);
    EXPECT_EQ(back.sample_rate_hz, 48000u);
    EXPECT_EQ(back.bank_id, 1u);
    EXPECT_EQ(back.samples_per_channel, 30u);
    EXPECT_EQ(back.channels, two_channels().channels);
}

TEST(XtrFormat, HeaderlessBytesAreTheSeedRawStream) {
    const std::vector<std::uint8_t> raw{0, 10, 0, 0, 0};
    const auto s = parse_xtr(raw);
    EXPECT_TRUE(s.raw);
    EXPECT_EQ(s.sample_rate_hz, 44100u);
    EXPECT_EQ(s.samples_per_channel, 10u);
}

TEST(XtrFormat, EmptyFileIsAnEmptyRawStream) {
    const auto s = parse_xtr({});
    EXPECT_EQ(s.samples_per_channel, 0u);
}

TEST(XtrFormat, RejectsEveryMalformedFile) {
    const auto good = serialize_xtr(two_channels());
    auto with = [&](std::size_t at, std::uint8_t value) {
        auto b = good;
        b[at] = value;
        return b;
    };
    const std::vector<std::pair<std::string, std::vector<std::uint8_t>>> bad{
        {"truncated header", std::vector<std::uint8_t>(good.begin(), good.begin() + 10)},
        {"truncated records", std::vector<std::uint8_t>(good.begin(), good.end() - 5)},
        {"trailing partial record",
         [&] {
             auto b = good;
             b.push_back(0);
             return b;
         }()},
        {"version", with(4, 9)},
        {"header size", with(6, 99)},
        {"rate", with(9, 0) /* 48000 -> 128 Hz */},
        {"channels", with(12, 0)},
        {"bank", with(14, 77)},
        {"sample count", with(16, 31)},
        {"record count", with(24, 200)},
    };
    for (const auto& [name, bytes] : bad) {
        EXPECT_THROW(parse_xtr(bytes), FormatError) << name;
    }
    const std::vector<std::uint8_t> partial_raw{0, 1, 0, 0, 0, 7, 1};
    EXPECT_THROW(parse_xtr(partial_raw), FormatError);
}

TEST(XtrFormat, RefusesToWriteInconsistentStreams) {
    XtrStream s = two_channels();
    s.samples_per_channel = 31;
    EXPECT_THROW(serialize_xtr(s), FormatError);
    s.channels.clear();
    EXPECT_THROW(serialize_xtr(s), FormatError);
}

}  // namespace
}  // namespace extrema::codec
