// Packet validator: one hostile packet per rule, each dropped and counted under its own reason;
// the SSRC lock and its timeout; the peer check.
#include "net/packet_validator.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "net_test_support.h"

namespace extrema::net {
namespace {

using boost::asio::ip::make_address;
using boost::asio::ip::udp;
using codec::Record;
using namespace std::chrono_literals;

const udp::endpoint kPeer(make_address("192.0.2.10"), 5004);
const Clock::time_point kT0 = Clock::time_point{} + 1h;

ValidatorConfig test_config() {
    ValidatorConfig config;
    config.sample_rate_hz = 48000.0;
    config.limits.max_packet_ms = 200.0;  // 9600 samples
    config.limits.ssrc_timeout_ms = 1000.0;
    config.peers = {kPeer};
    return config;
}

RtpHeader header(std::uint32_t ssrc = 0xAAAA0001, std::uint32_t timestamp = 0) {
    return RtpHeader{
        .marker = false, .payload_type = 96, .sequence = 1, .timestamp = timestamp, .ssrc = ssrc};
}

const std::vector<Record> kGoodRecords = {Record::anchor(10), Record::curve(4, 240, 500),
                                          Record::silence(240)};

class Validator : public ::testing::Test {
  protected:
    // Validates and expects the packet dropped for exactly `reason`.
    void expect_drop(const std::vector<std::uint8_t>& datagram, DropReason reason,
                     const udp::endpoint& from = kPeer, Clock::time_point now = kT0) {
        const auto before = validator.drops();
        EXPECT_FALSE(validator.validate(datagram, from, now, out)) << to_string(reason);
        EXPECT_EQ(validator.drops()[reason], before[reason] + 1) << to_string(reason);
        EXPECT_EQ(validator.drops().total(), before.total() + 1) << to_string(reason);
    }
    bool accept(const std::vector<std::uint8_t>& datagram, Clock::time_point now = kT0,
                const udp::endpoint& from = kPeer) {
        return validator.validate(datagram, from, now, out);
    }

    PacketValidator validator{test_config()};
    ValidatedPacket out;
};

TEST_F(Validator, AcceptsWellFormedPacket) {
    ASSERT_TRUE(accept(test::make_datagram(header(0xAAAA0001, 4800), kGoodRecords)));
    EXPECT_EQ(out.header.timestamp, 4800u);
    EXPECT_EQ(out.header.ssrc, 0xAAAA0001u);
    EXPECT_EQ(out.samples, 480u);
    EXPECT_TRUE(out.has_anchor);
    EXPECT_TRUE(out.ssrc_changed);  // first sender: the lock is taken
    ASSERT_EQ(out.records().size(), kGoodRecords.size());
    for (std::size_t i = 0; i < kGoodRecords.size(); ++i)
        EXPECT_EQ(out.records()[i], kGoodRecords[i]);
    EXPECT_EQ(validator.locked_ssrc(), 0xAAAA0001u);

    ASSERT_TRUE(accept(test::make_datagram(header(), kGoodRecords)));
    EXPECT_FALSE(out.ssrc_changed);
    EXPECT_EQ(validator.accepted(), 2u);
    EXPECT_EQ(validator.drops().total(), 0u);
}

TEST_F(Validator, DropsWrongVersion) {
    auto datagram = test::make_datagram(header(), kGoodRecords);
    datagram[0] = (datagram[0] & 0x3F) | (1 << 6);
    expect_drop(datagram, DropReason::kBadVersion);
}

TEST_F(Validator, DropsWrongPayloadType) {
    auto h = header();
    h.payload_type = 97;
    expect_drop(test::make_datagram(h, kGoodRecords), DropReason::kPayloadType);
}

TEST_F(Validator, DropsForeignSsrcWhileLocked) {
    ASSERT_TRUE(accept(test::make_datagram(header(0x1111), kGoodRecords), kT0));
    expect_drop(test::make_datagram(header(0x2222), kGoodRecords), DropReason::kForeignSsrc, kPeer,
                kT0 + 999ms);
    EXPECT_EQ(validator.locked_ssrc(), 0x1111u);
}

TEST_F(Validator, RelocksAfterTimeout) {
    ASSERT_TRUE(accept(test::make_datagram(header(0x1111), kGoodRecords), kT0));
    // The locked sender keeps talking: the newcomer stays out however long it tries.
    ASSERT_TRUE(accept(test::make_datagram(header(0x1111), kGoodRecords), kT0 + 900ms));
    expect_drop(test::make_datagram(header(0x2222), kGoodRecords), DropReason::kForeignSsrc, kPeer,
                kT0 + 1500ms);
    // The locked sender goes quiet for the timeout: the next valid sender takes over.
    ASSERT_TRUE(accept(test::make_datagram(header(0x2222), kGoodRecords), kT0 + 1900ms));
    EXPECT_TRUE(out.ssrc_changed);
    EXPECT_EQ(validator.locked_ssrc(), 0x2222u);
    expect_drop(test::make_datagram(header(0x1111), kGoodRecords), DropReason::kForeignSsrc, kPeer,
                kT0 + 1901ms);
}

TEST_F(Validator, InvalidPacketCannotTakeTheLock) {
    auto h = header(0x6666);
    h.payload_type = 0;
    expect_drop(test::make_datagram(h, kGoodRecords), DropReason::kPayloadType);
    ASSERT_TRUE(accept(test::make_datagram(header(0x7777), kGoodRecords)));
    EXPECT_EQ(validator.locked_ssrc(), 0x7777u);
}

TEST_F(Validator, DropsLengthNotMultipleOfFive) {
    auto datagram = test::make_datagram(header(), kGoodRecords);
    datagram.pop_back();
    expect_drop(datagram, DropReason::kPartialRecord);
    datagram.push_back(0);
    datagram.push_back(0);
    expect_drop(datagram, DropReason::kPartialRecord);
}

TEST_F(Validator, DropsEmptyPayload) {
    expect_drop(test::make_datagram(header(), {}), DropReason::kEmptyPayload);
    // A payload that is all padding is empty too.
    auto padded = test::make_datagram(header(), {});
    padded[0] |= 0x20;
    padded.insert(padded.end(), {0, 0, 0, 4});
    expect_drop(padded, DropReason::kEmptyPayload);
}

TEST_F(Validator, DropsSilenceCountOverCap) {
    expect_drop(test::make_datagram(header(), std::vector{Record::silence(9601)}),
                DropReason::kSampleCap);
    // The u32 maximum: 25 hours at 48 kHz.
    expect_drop(
        test::make_datagram(header(), std::vector{Record::anchor(0), Record::silence(0xFFFFFFFF)}),
        DropReason::kSampleCap);
    EXPECT_TRUE(accept(test::make_datagram(header(), std::vector{Record::silence(9600)})));
}

TEST_F(Validator, DropsCurvesSummingOverCap) {
    std::vector<Record> records(20, Record::curve(9, 481, 100));  // 9620 > 9600
    expect_drop(test::make_datagram(header(), records), DropReason::kSampleCap);
    std::vector<Record> huge(200, Record::curve(9, 65535, 100));  // 13 M samples
    expect_drop(test::make_datagram(header(), huge), DropReason::kSampleCap);
}

TEST_F(Validator, DropsPacketWithoutSamples) {
    expect_drop(test::make_datagram(header(), std::vector{Record::anchor(5)}),
                DropReason::kNoSamples);
    expect_drop(test::make_datagram(header(), std::vector{Record::silence(0), Record::silence(0)}),
                DropReason::kNoSamples);
}

TEST_F(Validator, DropsAnchorAnywhereButFirst) {
    expect_drop(
        test::make_datagram(header(), std::vector{Record::curve(2, 10, 5), Record::anchor(5)}),
        DropReason::kMisplacedAnchor);
    expect_drop(test::make_datagram(header(), std::vector{Record::anchor(1), Record::anchor(5),
                                                          Record::silence(5)}),
                DropReason::kMisplacedAnchor);
}

TEST_F(Validator, DropsPayloadOverCap) {
    auto config = test_config();
    config.max_payload_bytes = 50;
    PacketValidator small(config);
    std::vector<Record> records(11, Record::curve(1, 1, 0));  // 55 bytes
    EXPECT_FALSE(small.validate(test::make_datagram(header(), records), kPeer, kT0, out));
    EXPECT_EQ(small.drops()[DropReason::kPayloadTooLong], 1u);
    records.pop_back();
    EXPECT_TRUE(small.validate(test::make_datagram(header(), records), kPeer, kT0, out));
}

TEST_F(Validator, DropsWrongSourceAddress) {
    const auto datagram = test::make_datagram(header(), kGoodRecords);
    expect_drop(datagram, DropReason::kForeignPeer,
                udp::endpoint(make_address("192.0.2.11"), 5004));
    expect_drop(datagram, DropReason::kForeignPeer,
                udp::endpoint(make_address("192.0.2.10"), 5005));
    expect_drop(datagram, DropReason::kForeignPeer,
                udp::endpoint(make_address("2001:db8::10"), 5004));
    // The same IPv4 peer seen through a dual-stack socket.
    EXPECT_TRUE(accept(datagram, kT0, udp::endpoint(make_address("::ffff:192.0.2.10"), 5004)));
}

TEST_F(Validator, PeerWithPortZeroMatchesAnyPort) {
    auto config = test_config();
    config.peers = {udp::endpoint(make_address("192.0.2.10"), 0)};
    PacketValidator any_port(config);
    const auto datagram = test::make_datagram(header(), kGoodRecords);
    EXPECT_TRUE(
        any_port.validate(datagram, udp::endpoint(make_address("192.0.2.10"), 40000), kT0, out));
    EXPECT_FALSE(
        any_port.validate(datagram, udp::endpoint(make_address("192.0.2.9"), 40000), kT0, out));
}

TEST_F(Validator, AcceptAnyPeerOnlyWhenAsked) {
    auto config = test_config();
    config.peers.clear();
    EXPECT_THROW(PacketValidator{config}, std::invalid_argument);
    config.accept_any_peer = true;
    PacketValidator open(config);
    EXPECT_TRUE(open.validate(test::make_datagram(header(), kGoodRecords),
                              udp::endpoint(make_address("198.51.100.1"), 1), kT0, out));
}

TEST_F(Validator, DropsTruncatedHeader) {
    const auto datagram = test::make_datagram(header(), kGoodRecords);
    expect_drop(std::vector<std::uint8_t>(datagram.begin(), datagram.begin() + 11),
                DropReason::kTruncatedHeader);
    expect_drop({}, DropReason::kTruncatedHeader);
}

TEST_F(Validator, DropsCsrcListBeyondPacket) {
    auto datagram = test::make_datagram(header(), kGoodRecords);  // 15 bytes of payload
    datagram[0] |= 4;                                             // 16 bytes of CSRCs announced
    expect_drop(datagram, DropReason::kBadCsrc);
}

TEST_F(Validator, DropsExtensionBeyondPacket) {
    auto datagram = test::make_datagram(header(), kGoodRecords);
    datagram[0] |= 0x10;  // the first record is read as the extension header: 0x01 0x00 ... words
    datagram[14] = 0x40;  // 16384 words
    expect_drop(datagram, DropReason::kBadExtension);
}

TEST_F(Validator, DropsBadPadding) {
    auto datagram = test::make_datagram(header(), kGoodRecords);
    datagram[0] |= 0x20;
    datagram.back() = 200;
    expect_drop(datagram, DropReason::kBadPadding);
}

TEST_F(Validator, AcceptsCsrcExtensionAndPaddingAroundRecords) {
    auto datagram = test::make_datagram(header(), {});
    datagram[0] |= 0x20 | 0x10 | 1;
    const std::vector<std::uint8_t> csrc_and_extension = {1, 2, 3, 4, 0xBE, 0xDE, 0, 1, 9, 9, 9, 9};
    datagram.insert(datagram.end(), csrc_and_extension.begin(), csrc_and_extension.end());
    std::vector<std::uint8_t> payload(kGoodRecords.size() * codec::kRecordBytes);
    codec::pack_records(kGoodRecords, payload);
    datagram.insert(datagram.end(), payload.begin(), payload.end());
    datagram.insert(datagram.end(), {0, 0, 3});
    ASSERT_TRUE(accept(datagram));
    EXPECT_EQ(out.samples, 480u);
}

TEST_F(Validator, ExternalDropsAreCounted) {
    validator.count_drop(DropReason::kAuth);
    validator.count_drop(DropReason::kReplay);
    EXPECT_EQ(validator.drops()[DropReason::kAuth], 1u);
    EXPECT_EQ(validator.drops()[DropReason::kReplay], 1u);
    EXPECT_EQ(validator.drops().total(), 2u);
}

TEST(DropReasonNames, AreUniqueAndNamed) {
    std::set<std::string> names;
    for (std::size_t i = 0; i < kDropReasonCount; ++i) {
        const std::string name = to_string(static_cast<DropReason>(i));
        EXPECT_NE(name, "unknown");
        EXPECT_TRUE(names.insert(name).second) << name;
    }
}

TEST_F(Validator, DoesNotAllocate) {
    const auto good = test::make_datagram(header(), kGoodRecords);
    const auto bad = test::make_datagram(header(0x999), kGoodRecords);
    test::AllocationCounter counter;
    for (int i = 0; i < 1000; ++i) {
        validator.validate(good, kPeer, kT0, out);
        validator.validate(bad, kPeer, kT0, out);
    }
    EXPECT_EQ(counter.count(), 0u);
}

}  // namespace
}  // namespace extrema::net

// ---- RFC 2198 (RED) packets ----

namespace extrema::net {
namespace {

std::vector<std::uint8_t> packed(const std::vector<Record>& records) {
    std::vector<std::uint8_t> bytes(records.size() * codec::kRecordBytes);
    codec::pack_records(records, bytes);
    return bytes;
}

// A RED datagram (payload type 97) with these redundant blocks (offset, records) and primary.
std::vector<std::uint8_t> red_datagram(
    RtpHeader rtp, const std::vector<std::pair<std::uint32_t, std::vector<Record>>>& copies,
    const std::vector<Record>& primary, std::uint8_t block_type = 96,
    std::uint8_t primary_type = 96) {
    std::vector<std::vector<std::uint8_t>> data;
    std::vector<RedBlock> blocks;
    data.reserve(copies.size());
    for (const auto& [offset, records] : copies) {
        data.push_back(packed(records));
        blocks.push_back(RedBlock{block_type, offset, data.back()});
    }
    const auto primary_data = packed(primary);
    rtp.payload_type = 97;
    std::vector<std::uint8_t> datagram(kRtpHeaderBytes +
                                       red_payload_bytes(blocks, primary_data.size()));
    pack_rtp_header(rtp, std::span(datagram).first<kRtpHeaderBytes>());
    write_red_payload(blocks, RedBlock{primary_type, 0, primary_data},
                      std::span(datagram).subspan(kRtpHeaderBytes));
    return datagram;
}

ValidatorConfig red_config() {
    ValidatorConfig config = test_config();
    config.red_payload_type = 97;
    return config;
}

const std::vector<Record> kOlder = {Record::anchor(-3), Record::curve(9, 480, 700)};
const std::vector<Record> kOld = {Record::anchor(700), Record::silence(480)};

TEST(ValidatorRed, UnwrapsPrimaryAndRedundantBlocks) {
    PacketValidator validator(red_config());
    ValidatedPacket out;
    RtpHeader rtp = header(0xAAAA0001, 10000);
    rtp.marker = true;
    rtp.sequence = 77;
    ASSERT_TRUE(validator.validate(red_datagram(rtp, {{960, kOlder}, {480, kOld}}, kGoodRecords),
                                   kPeer, kT0, out));
    EXPECT_EQ(out.header.payload_type, 96);  // the records' type: the packet plays as usual
    EXPECT_EQ(out.header.timestamp, 10000u);
    EXPECT_EQ(out.header.sequence, 77u);
    EXPECT_TRUE(out.header.marker);
    ASSERT_EQ(out.records().size(), kGoodRecords.size());
    EXPECT_TRUE(std::equal(kGoodRecords.begin(), kGoodRecords.end(), out.records().begin()));
    const auto copies = validator.redundant().packets();
    ASSERT_EQ(copies.size(), 2u);
    EXPECT_EQ(copies[0].header.timestamp, 10000u - 960);
    EXPECT_EQ(copies[1].header.timestamp, 10000u - 480);
    for (const auto& copy : copies) {
        EXPECT_EQ(copy.header.ssrc, 0xAAAA0001u);
        EXPECT_EQ(copy.header.payload_type, 96);
        EXPECT_FALSE(copy.header.marker);
        EXPECT_FALSE(copy.ssrc_changed);
        EXPECT_EQ(copy.samples, 480u);
        EXPECT_TRUE(copy.has_anchor);
    }
    EXPECT_TRUE(std::equal(kOlder.begin(), kOlder.end(), copies[0].records().begin()));
    EXPECT_TRUE(std::equal(kOld.begin(), kOld.end(), copies[1].records().begin()));
    EXPECT_EQ(validator.accepted(), 1u);  // one packet on the wire

    // A plain packet after it leaves no redundant blocks behind.
    ASSERT_TRUE(validator.validate(test::make_datagram(header(), kGoodRecords), kPeer, kT0, out));
    EXPECT_TRUE(validator.redundant().packets().empty());
}

TEST(ValidatorRed, TimestampOffsetWrapsAround) {
    PacketValidator validator(red_config());
    ValidatedPacket out;
    ASSERT_TRUE(validator.validate(red_datagram(header(0xAAAA0001, 100), {{480, kOld}}, kOld),
                                   kPeer, kT0, out));
    EXPECT_EQ(validator.redundant().packets()[0].header.timestamp, 100u - 480u);  // mod 2^32
}

class ValidatorRedDrops : public ::testing::Test {
  protected:
    void expect_drop(const std::vector<std::uint8_t>& datagram, DropReason reason) {
        const auto before = validator.drops();
        EXPECT_FALSE(validator.validate(datagram, kPeer, kT0, out)) << to_string(reason);
        EXPECT_EQ(validator.drops()[reason], before[reason] + 1) << to_string(reason);
        EXPECT_EQ(validator.drops().total(), before.total() + 1) << to_string(reason);
        EXPECT_TRUE(validator.redundant().packets().empty());
    }
    PacketValidator validator{red_config()};
    ValidatedPacket out;
};

TEST_F(ValidatorRedDrops, BrokenFraming) {
    auto datagram = red_datagram(header(), {{480, kOld}}, kGoodRecords);
    datagram.resize(kRtpHeaderBytes + 3);  // inside the first block header
    expect_drop(datagram, DropReason::kBadRedundancy);
    // Block length beyond the payload.
    datagram = red_datagram(header(), {{480, kOld}}, kGoodRecords);
    datagram[kRtpHeaderBytes + 3] = 0xFF;
    datagram[kRtpHeaderBytes + 2] |= 0x03;
    expect_drop(datagram, DropReason::kBadRedundancy);
}

TEST_F(ValidatorRedDrops, BlockOfAnotherPayloadType) {
    expect_drop(red_datagram(header(), {{480, kOld}}, kGoodRecords, 13),
                DropReason::kBadRedundancy);
    // The primary of another type (the RED header's last byte).
    auto datagram = red_datagram(header(), {}, kGoodRecords);
    datagram[kRtpHeaderBytes] = 0;
    expect_drop(datagram, DropReason::kBadRedundancy);
}

TEST_F(ValidatorRedDrops, BadRecordsInABlockDropTheWholePacket) {
    expect_drop(
        red_datagram(header(), {{480, {Record::curve(3, 10, 5), Record::anchor(1)}}}, kGoodRecords),
        DropReason::kMisplacedAnchor);
    expect_drop(red_datagram(header(), {{480, {Record::silence(0)}}}, kGoodRecords),
                DropReason::kNoSamples);
    expect_drop(red_datagram(header(), {{480, {Record::silence(1'000'000)}}}, kGoodRecords),
                DropReason::kSampleCap);
    expect_drop(red_datagram(header(), {{480, {}}}, kGoodRecords), DropReason::kEmptyPayload);
    expect_drop(red_datagram(header(), {{480, kOld}}, {}), DropReason::kEmptyPayload);
}

TEST(ValidatorRed, RedPayloadTypeNeedsConfiguring) {
    PacketValidator plain(test_config());
    ValidatedPacket out;
    EXPECT_FALSE(
        plain.validate(red_datagram(header(), {{480, kOld}}, kGoodRecords), kPeer, kT0, out));
    EXPECT_EQ(plain.drops()[DropReason::kPayloadType], 1u);
    ValidatorConfig same = red_config();
    same.red_payload_type = same.payload_type;
    EXPECT_THROW(PacketValidator{same}, std::invalid_argument);
}

// ---- The swing bank's payload type: the type names the records' bank ----

ValidatorConfig swing_config() {
    ValidatorConfig config = red_config();
    config.swing_payload_type = 98;
    return config;
}

TEST(ValidatorBank, EachRecordsPayloadTypeNamesItsBank) {
    PacketValidator validator(swing_config());
    ValidatedPacket out;
    ASSERT_TRUE(validator.validate(test::make_datagram(header(), kGoodRecords), kPeer, kT0, out));
    EXPECT_EQ(out.bank, codec::BankId::kStandard);
    RtpHeader swing = header();
    swing.payload_type = 98;
    ASSERT_TRUE(validator.validate(test::make_datagram(swing, kGoodRecords), kPeer, kT0, out));
    EXPECT_EQ(out.bank, codec::BankId::kSwing);
    EXPECT_EQ(out.header.payload_type, 98);
    EXPECT_EQ(out.records().size(), kGoodRecords.size());
    // Without the type configured, swing records are another payload type.
    PacketValidator standard_only(red_config());
    EXPECT_FALSE(standard_only.validate(test::make_datagram(swing, kGoodRecords), kPeer, kT0, out));
    EXPECT_EQ(standard_only.drops()[DropReason::kPayloadType], 1u);
}

TEST(ValidatorBank, RedBlocksAndPrimaryKeepTheirOwnBanks) {
    PacketValidator validator(swing_config());
    ValidatedPacket out;
    // A sender that switched banks: the block before the switch is standard, the primary swing.
    ASSERT_TRUE(validator.validate(
        red_datagram(header(0xAAAA0001, 10000), {{480, kOld}}, kGoodRecords, 96, 98), kPeer, kT0,
        out));
    EXPECT_EQ(out.bank, codec::BankId::kSwing);
    EXPECT_EQ(out.header.payload_type, 98);
    ASSERT_EQ(validator.redundant().packets().size(), 1u);
    EXPECT_EQ(validator.redundant().packets()[0].bank, codec::BankId::kStandard);
    ASSERT_TRUE(validator.validate(
        red_datagram(header(0xAAAA0001, 10480), {{480, kGoodRecords}}, kOld, 98, 98), kPeer, kT0,
        out));
    EXPECT_EQ(validator.redundant().packets()[0].bank, codec::BankId::kSwing);
}

TEST(ValidatorBank, SwingPayloadTypeMustBeItsOwn) {
    for (const std::uint8_t clash : {96, 97, 13}) {
        ValidatorConfig config = swing_config();
        config.cn_payload_type = 13;
        config.swing_payload_type = clash;
        EXPECT_THROW(PacketValidator{config}, std::invalid_argument) << int{clash};
    }
    ValidatorConfig config = swing_config();
    config.swing_payload_type = 128;
    EXPECT_THROW(PacketValidator{config}, std::invalid_argument);
}

}  // namespace
}  // namespace extrema::net
