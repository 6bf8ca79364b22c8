#include <gtest/gtest.h>

#include <array>

#include "extrema/codec/record.h"

namespace extrema::codec {
namespace {

Record round_trip(const Record& r) {
    std::array<std::uint8_t, kRecordBytes> bytes{};
    pack_record(r, bytes);
    return unpack_record(bytes);
}

TEST(Record, CurveLayoutIsIdLengthEndLittleEndian) {
    std::array<std::uint8_t, kRecordBytes> bytes{};
    pack_record(Record::curve(7, 0x1234, -2), bytes);
    EXPECT_EQ(bytes, (std::array<std::uint8_t, 5>{7, 0x34, 0x12, 0xFE, 0xFF}));
}

TEST(Record, SilenceLayoutIsZeroThenU32LittleEndian) {
    std::array<std::uint8_t, kRecordBytes> bytes{};
    pack_record(Record::silence(0xA1B2C3D4), bytes);
    EXPECT_EQ(bytes, (std::array<std::uint8_t, 5>{0, 0xD4, 0xC3, 0xB2, 0xA1}));
}

TEST(Record, RoundTripsExtremes) {
    for (const Record r : {Record::curve(1, 0, 0), Record::curve(255, 65535, 32767),
                           Record::curve(128, 1, -32768), Record::silence(0), Record::silence(1),
                           Record::silence(0xFFFFFFFF), Record::anchor(-12345)}) {
        EXPECT_EQ(round_trip(r), r);
    }
}

TEST(Record, AnchorIsAZeroLengthCurve) {
    const Record a = Record::anchor(100);
    EXPECT_TRUE(a.is_anchor());
    EXPECT_FALSE(a.is_silence());
    EXPECT_EQ(a.samples, 0u);
    EXPECT_FALSE(Record::silence(0).is_anchor());
}

TEST(Record, PackRecordsPacksBackToBack) {
    const std::array<Record, 2> records{Record::curve(3, 10, 5), Record::silence(9)};
    std::array<std::uint8_t, 10> bytes{};
    pack_records(records, bytes);
    EXPECT_EQ(unpack_record(std::span<const std::uint8_t>(bytes).subspan(5).first<5>()),
              records[1]);
}

}  // namespace
}  // namespace extrema::codec
