// Packetizer: packet timing, payload cap, timestamps, marker rule, leading anchor, sequence, and
// that each packet decodes on its own to exactly its span of the stream.
#include "net/packetizer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "extrema/codec/decoder.h"
#include "extrema/codec/encoder.h"
#include "extrema/codec/xtr_format.h"
#include "net_test_support.h"

namespace extrema::net {
namespace {

using codec::Record;

struct Sent {
    RtpHeader header;
    std::vector<Record> records;
    std::uint64_t samples = 0;
    bool silence_only = false;
    std::size_t size_bytes = 0;
};

struct Capture {
    std::vector<Sent> packets;
    Packetizer::Sink sink() {
        return [this](OutgoingPacket& packet) {
            RtpPacketView view;
            ASSERT_EQ(parse_rtp_packet(packet.bytes(), view), RtpParseError::kNone);
            ASSERT_EQ(view.header, packet.header);
            packets.push_back({view.header, codec::parse_records(view.payload), packet.samples,
                               packet.silence_only, packet.size_bytes});
            ASSERT_GE(packet.buffer.size(), packet.size_bytes + kSrtpTrailerRoomBytes);
        };
    }
};

PacketizerConfig test_config() {
    PacketizerConfig config;
    config.sample_rate_hz = 48000.0;
    config.packet_ms = 10.0;  // 480 samples
    config.ssrc = 0x5EED5EED;
    config.first_sequence = 100;
    return config;
}

std::uint64_t samples_of(const std::vector<Record>& records) {
    return codec::count_samples(records);
}

TEST(Packetizer, SendsWhenRecordsReachTheNextGridLine) {
    Capture capture;
    Packetizer packetizer(test_config(), capture.sink());
    for (int i = 0; i < 100; ++i) {
        packetizer.push(Record::curve(3, 70, static_cast<std::int16_t>(i % 2 ? 1000 : -1000)));
    }
    ASSERT_EQ(capture.packets.size(), 7000u / 480);  // one a grid line crossed
    std::uint64_t next = 0;
    for (const auto& p : capture.packets) {
        EXPECT_EQ(p.header.timestamp, next);  // contiguous
        const std::uint64_t line = (p.header.timestamp / 480 + 1) * 480;
        const std::uint64_t end = p.header.timestamp + p.samples;
        EXPECT_GE(end, line);       // reaches its grid line ...
        EXPECT_LT(end, line + 70);  // ... and was sent by the record that got there
        EXPECT_EQ(samples_of(p.records), p.samples);
        next = end;
    }
    EXPECT_EQ(capture.packets.front().samples, 490u);
    EXPECT_EQ(packetizer.next_sample(), 7000u);
    packetizer.flush();
    EXPECT_EQ(capture.packets.back().header.timestamp + capture.packets.back().samples, 7000u);
}

TEST(Packetizer, PacketsEndOnThePacketMsGridEvenAfterACapSplit) {
    Capture capture;
    auto config = test_config();
    config.max_payload_bytes = 50;  // 10 records: anchor + 9
    Packetizer packetizer(config, capture.sink());
    for (int i = 0; i < 10; ++i) packetizer.push(Record::curve(1, 2, static_cast<std::int16_t>(i)));
    packetizer.push(Record::curve(1, 460, 7));  // reaches the grid line at 480
    packetizer.push(Record::curve(1, 480, 9));
    ASSERT_EQ(capture.packets.size(), 3u);
    EXPECT_EQ(capture.packets[0].samples, 18u);  // the cap split
    EXPECT_EQ(capture.packets[1].header.timestamp, 18u);
    EXPECT_EQ(capture.packets[1].samples, 462u);  // up to the line, not 480 samples on
    EXPECT_EQ(capture.packets[2].header.timestamp, 480u);
    EXPECT_EQ(capture.packets[2].samples, 480u);
    EXPECT_EQ(packetizer.packet_end_sample(), 1440u);
}

TEST(Packetizer, TimestampIsSampleIndexOfFirstSample) {
    Capture capture;
    Packetizer packetizer(test_config(), capture.sink());
    const std::vector<std::int16_t> signal = test::voice_like(48000, 48000.0);
    codec::EncoderConfig encoder_config;
    encoder_config.sample_rate_hz = 48000.0;
    encoder_config.max_segment_ms = 5.0;
    const auto records = codec::encode_all(signal, encoder_config);
    packetizer.push(records);
    packetizer.flush();

    std::uint64_t index = 0;
    for (const auto& p : capture.packets) {
        EXPECT_EQ(p.header.timestamp, index);
        index += p.samples;
    }
    EXPECT_EQ(index, signal.size());
}

TEST(Packetizer, EveryPacketDecodesAloneToItsSpan) {
    Capture capture;
    Packetizer packetizer(test_config(), capture.sink());
    codec::EncoderConfig encoder_config;
    encoder_config.sample_rate_hz = 48000.0;
    encoder_config.max_segment_ms = 5.0;
    const auto records = codec::encode_all(test::voice_like(24000, 48000.0), encoder_config);
    packetizer.push(records);
    packetizer.flush();
    const auto whole = codec::decode_all(records);

    for (const auto& p : capture.packets) {
        ASSERT_FALSE(p.records.empty());
        EXPECT_TRUE(p.records.front().is_anchor());  // anchor first ...
        for (std::size_t i = 1; i < p.records.size(); ++i)
            EXPECT_FALSE(p.records[i].is_anchor());  // ... only
        const auto alone = codec::decode_all(p.records);
        ASSERT_EQ(alone.size(), p.samples);
        const auto span = std::span(whole).subspan(p.header.timestamp, p.samples);
        EXPECT_TRUE(std::equal(alone.begin(), alone.end(), span.begin()))
            << "packet at " << p.header.timestamp;
    }
}

TEST(Packetizer, AnchorHoldsDecoderPositionBeforePacket) {
    Capture capture;
    Packetizer packetizer(test_config(), capture.sink());
    packetizer.push(Record::curve(1, 480, 1234));  // packet 1
    packetizer.push(Record::silence(480));         // packet 2: starts at 1234
    packetizer.push(Record::curve(1, 480, -77));   // packet 3: starts at 1234
    packetizer.push(Record::curve(1, 480, 5));     // packet 4: starts at -77
    ASSERT_EQ(capture.packets.size(), 4u);
    EXPECT_EQ(capture.packets[0].records.front(), Record::anchor(0));
    EXPECT_EQ(capture.packets[1].records.front(), Record::anchor(1234));
    EXPECT_EQ(capture.packets[2].records.front(), Record::anchor(1234));
    EXPECT_EQ(capture.packets[3].records.front(), Record::anchor(-77));
}

TEST(Packetizer, NoAnchorWhenDisabled) {
    Capture capture;
    auto config = test_config();
    config.lead_with_anchor = false;
    Packetizer packetizer(config, capture.sink());
    packetizer.push(Record::curve(1, 480, 1234));
    packetizer.push(Record::curve(1, 480, 99));
    ASSERT_EQ(capture.packets.size(), 2u);
    for (const auto& p : capture.packets) {
        ASSERT_EQ(p.records.size(), 1u);
        EXPECT_FALSE(p.records.front().is_anchor());
    }
}

TEST(Packetizer, PayloadCapRespected) {
    Capture capture;
    auto config = test_config();
    config.max_payload_bytes = 50;  // 10 records: anchor + 9
    Packetizer packetizer(config, capture.sink());
    EXPECT_EQ(packetizer.max_records(), 10u);
    for (int i = 0; i < 100; ++i)
        packetizer.push(Record::curve(1, 2, static_cast<std::int16_t>(i)));
    packetizer.flush();
    ASSERT_EQ(capture.packets.size(), 12u);  // 100 records, 9 per packet
    for (const auto& p : capture.packets) {
        EXPECT_LE(p.size_bytes, kRtpHeaderBytes + 50);
        EXPECT_LE(p.records.size(), 10u);
    }
    EXPECT_EQ(capture.packets.front().records.size(), 10u);
    EXPECT_EQ(capture.packets.front().samples, 18u);  // sent by the cap, well before 480 samples
}

TEST(Packetizer, DefaultCapAndTimingAtTypicalRates) {
    Capture capture;
    Packetizer packetizer(test_config(), capture.sink());
    EXPECT_EQ(packetizer.packet_samples(), 480u);
    EXPECT_EQ(packetizer.max_records(), 240u);  // 1200 bytes
    for (int i = 0; i < 1000; ++i)
        packetizer.push(Record::curve(1, 1, static_cast<std::int16_t>(i)));
    for (const auto& p : capture.packets) EXPECT_LE(p.size_bytes, kRtpHeaderBytes + 1200);
}

TEST(Packetizer, SequenceIncrementsAndWraps) {
    Capture capture;
    auto config = test_config();
    config.first_sequence = 65534;
    Packetizer packetizer(config, capture.sink());
    for (int i = 0; i < 4; ++i) packetizer.push(Record::curve(1, 480, 0));
    ASSERT_EQ(capture.packets.size(), 4u);
    EXPECT_EQ(capture.packets[0].header.sequence, 65534);
    EXPECT_EQ(capture.packets[1].header.sequence, 65535);
    EXPECT_EQ(capture.packets[2].header.sequence, 0);
    EXPECT_EQ(capture.packets[3].header.sequence, 1);
    for (const auto& p : capture.packets) {
        EXPECT_EQ(p.header.ssrc, 0x5EED5EEDu);
        EXPECT_EQ(p.header.payload_type, 96);
    }
}

TEST(Packetizer, RandomSsrcAndSequencePerSession) {
    Capture a;
    Capture b;
    PacketizerConfig config;
    Packetizer first(config, a.sink());
    Packetizer second(config, b.sink());
    // 2^-48 chance of a false failure.
    EXPECT_FALSE(first.ssrc() == second.ssrc() && first.next_sequence() == second.next_sequence());
}

TEST(Packetizer, MarkerOnFirstPacketAndAfterSilence) {
    Capture capture;
    Packetizer packetizer(test_config(), capture.sink());
    packetizer.push(Record::curve(1, 480, 100));  // 0: first packet            -> marker
    packetizer.push(Record::curve(1, 480, 200));  // 1: talk continues          -> no marker
    packetizer.push(Record::silence(960));        // 2, 3: silence only         -> no marker
    packetizer.push(Record::curve(1, 480, 300));  // 4: first after silence     -> marker
    packetizer.push(Record::curve(1, 480, 400));  // 5: talk continues          -> no marker
    ASSERT_EQ(capture.packets.size(), 6u);
    const std::vector<bool> expected = {true, false, false, false, true, false};
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(capture.packets[i].header.marker, expected[i]) << "packet " << i;
    }
    EXPECT_TRUE(capture.packets[2].silence_only);
    EXPECT_FALSE(capture.packets[4].silence_only);
}

TEST(Packetizer, LongSilenceIsSplitIntoPacketMsPieces) {
    std::uint64_t packets = 0;
    std::uint64_t wrong_size = 0;
    std::size_t first_records = 0;
    Packetizer packetizer(test_config(), [&](OutgoingPacket& p) {
        if (packets++ == 0) first_records = p.records;
        if (p.samples != 480) ++wrong_size;
    });
    packetizer.push(Record::curve(1, 100, 50));
    packetizer.push(Record::silence(4'000'000'000u));  // a u32 silence: about a day at 48 kHz
    EXPECT_EQ(packets, 4'000'000'100u / 480);
    EXPECT_EQ(wrong_size, 0u);
    EXPECT_EQ(first_records, 3u);  // anchor, curve, first silence piece
    EXPECT_EQ(packetizer.next_sample(), 4'000'000'100u);
}

TEST(Packetizer, LongCurveIsSentAlone) {
    Capture capture;
    Packetizer packetizer(test_config(), capture.sink());
    packetizer.push(Record::curve(1, 100, 50));
    packetizer.push(Record::curve(1, 2000, -50));  // longer than packet_ms: cannot be split
    packetizer.push(Record::curve(1, 100, 7));
    packetizer.flush();
    ASSERT_EQ(capture.packets.size(), 3u);
    EXPECT_EQ(capture.packets[0].samples, 100u);  // what was in hand goes first
    EXPECT_EQ(capture.packets[1].samples, 2000u);
    EXPECT_EQ(capture.packets[1].records.size(), 2u);  // anchor + the curve
    EXPECT_EQ(capture.packets[1].header.timestamp, 100u);
    EXPECT_EQ(capture.packets[2].header.timestamp, 2100u);
}

TEST(Packetizer, EncoderAnchorLeadsNextPacket) {
    Capture capture;
    Packetizer packetizer(test_config(), capture.sink());
    packetizer.push(Record::curve(1, 100, 50));
    packetizer.push(Record::anchor(900));  // ends the packet in hand
    packetizer.push(Record::curve(1, 480, 10));
    ASSERT_EQ(capture.packets.size(), 2u);
    EXPECT_EQ(capture.packets[0].samples, 100u);
    EXPECT_EQ(capture.packets[1].records.front(), Record::anchor(900));
}

TEST(Packetizer, FlushSendsRemainderOnlyIfItHasSamples) {
    Capture capture;
    Packetizer packetizer(test_config(), capture.sink());
    packetizer.flush();
    EXPECT_TRUE(capture.packets.empty());
    packetizer.push(Record::curve(1, 10, 1));
    packetizer.flush();
    packetizer.flush();
    ASSERT_EQ(capture.packets.size(), 1u);
    EXPECT_EQ(capture.packets[0].samples, 10u);
}

TEST(Packetizer, RejectsBadConfig) {
    auto config = test_config();
    config.packet_ms = 0.0;
    EXPECT_THROW(Packetizer(config, [](OutgoingPacket&) {}), std::invalid_argument);
    config = test_config();
    config.max_payload_bytes = kMaxPayloadBytes + 1;
    EXPECT_THROW(Packetizer(config, [](OutgoingPacket&) {}), std::invalid_argument);
    config = test_config();
    config.payload_type = 128;
    EXPECT_THROW(Packetizer(config, [](OutgoingPacket&) {}), std::invalid_argument);
}

TEST(Packetizer, DoesNotAllocateInSteadyState) {
    std::size_t packets = 0;
    Packetizer packetizer(test_config(), [&](OutgoingPacket&) { ++packets; });
    std::vector<Record> records;
    for (int i = 0; i < 5000; ++i) {
        records.push_back(i % 5 == 0 ? Record::silence(300)
                                     : Record::curve(7, 60, static_cast<std::int16_t>(i)));
    }
    test::AllocationCounter counter;
    packetizer.push(records);
    packetizer.flush();
    EXPECT_EQ(counter.count(), 0u);
    EXPECT_GT(packets, 500u);
}

}  // namespace
}  // namespace extrema::net
