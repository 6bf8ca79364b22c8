// Jitter buffer: in-order playout equal to the offline decode, duplicates, late and early
// packets, gap concealment without clicks, reordering, truncation, timestamp wraparound,
// underruns, resynchronisation (and none after a stall), repair from redundant copies (RFC 2198),
// and no allocation on the real-time path.
#include "net/jitter_buffer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "extrema/codec/decoder.h"
#include "extrema/codec/encoder.h"
#include "extrema/codec/loss_concealer.h"
#include "extrema/codec/xtr_format.h"
#include "net/packetizer.h"
#include "net_test_support.h"

namespace extrema::net {
namespace {

using codec::Record;
using namespace std::chrono_literals;

constexpr double kRate = 48000.0;
constexpr std::size_t kPacket = 480;  // 10 ms
const Clock::time_point kT0 = Clock::time_point{} + 1h;

JitterBufferConfig test_config() {
    JitterBufferConfig config;
    config.sample_rate_hz = kRate;
    config.target_delay_ms = 20.0;
    config.slot_count = 256;  // room for a whole test stream inserted at once
    return config;
}

// A voice-like stream, encoded live-style and packetized: the packets and the stream's records.
struct Stream {
    std::vector<Record> records;
    std::vector<ValidatedPacket> packets;
    std::vector<float> reference;  // offline int16 decode, normalised
};

// The payload type of swing-bank records in these streams (the validator's swing_payload_type).
constexpr std::uint8_t kSwingPayloadType = 98;

// `framed`: a record closes at every packet end, as the link's encoder does, so that two
// streams' packets cover the same spans (a bank switch between packets).
Stream make_stream(std::size_t samples, std::uint32_t timestamp_base = 0, bool anchors = true,
                   const codec::CurveBank& bank = codec::CurveBank::standard(),
                   bool framed = false) {
    Stream stream;
    const bool swing = bank.id() == codec::BankId::kSwing;
    codec::EncoderConfig encoder;
    encoder.sample_rate_hz = kRate;
    encoder.max_segment_ms = 5.0;
    if (framed) encoder.frame_ms = 1000.0 * kPacket / kRate;
    stream.records = codec::encode_all(test::voice_like(samples, kRate), encoder, bank);

    ValidatorConfig vc;
    vc.sample_rate_hz = kRate;
    vc.accept_any_peer = true;
    vc.swing_payload_type = kSwingPayloadType;
    PacketValidator validator(vc);
    PacketizerConfig pc;
    pc.packet_ms = 10.0;
    pc.sample_rate_hz = kRate;
    pc.ssrc = 42;
    pc.lead_with_anchor = anchors;
    if (swing) pc.payload_type = kSwingPayloadType;
    Packetizer packetizer(pc, [&](OutgoingPacket& packet) {
        // Shift the timestamps (wraparound tests): rewrite them in the datagram.
        const std::uint32_t ts = packet.header.timestamp + timestamp_base;
        auto bytes = packet.bytes();
        for (int i = 0; i < 4; ++i) bytes[4 + i] = static_cast<std::uint8_t>(ts >> (24 - 8 * i));
        ValidatedPacket validated;
        EXPECT_TRUE(validator.validate(bytes, {}, kT0, validated));
        stream.packets.push_back(validated);
    });
    packetizer.push(stream.records);
    packetizer.flush();

    // The offline decode as `extrema decode` writes it (int16), normalised.
    for (const std::int16_t v : codec::decode_all(stream.records, bank)) {
        stream.reference.push_back(static_cast<float>(v) / codec::kFullScale);
    }
    return stream;
}

std::vector<float> read_all(JitterBuffer& buffer, std::size_t samples, std::size_t block = 64) {
    std::vector<float> out(samples, 99.0f);
    for (std::size_t at = 0; at < samples; at += block) {
        buffer.read(std::span(out).subspan(at, std::min(block, samples - at)));
    }
    return out;
}

float max_step(std::span<const float> signal) {
    float step = 0.0f;
    for (std::size_t i = 1; i < signal.size(); ++i)
        step = std::max(step, std::abs(signal[i] - signal[i - 1]));
    return step;
}

TEST(JitterBuffer, InOrderPlaysOfflineDecodeExactly) {
    const Stream stream = make_stream(48000);
    JitterBuffer buffer(test_config());
    for (const auto& p : stream.packets) ASSERT_EQ(buffer.insert(p, kT0), InsertResult::kAccepted);
    EXPECT_EQ(buffer.level_samples(), stream.reference.size());
    const auto out = read_all(buffer, stream.reference.size());
    EXPECT_EQ(out, stream.reference);
    EXPECT_EQ(buffer.counters().accepted, stream.packets.size());
    EXPECT_EQ(buffer.counters().concealed_samples, 0u);
    EXPECT_EQ(buffer.counters().played_samples, stream.reference.size());
    EXPECT_EQ(buffer.level_samples(), 0u);
}

// The payload type names each packet's bank: a sender that switches banks between two packets
// plays as the offline decode of each bank on its side of the switch.
TEST(JitterBuffer, EachPacketPlaysInTheBankItsPayloadTypeNames) {
    const Stream standard = make_stream(48000, 0, true, codec::CurveBank::standard(), true);
    const Stream swing = make_stream(48000, 0, true, codec::CurveBank::swing(), true);
    ASSERT_EQ(swing.packets.front().bank, codec::BankId::kSwing);
    const std::int64_t switch_at = 24000;  // a packet boundary of both streams
    std::vector<ValidatedPacket> packets;
    for (const auto& p : standard.packets) {
        if (p.header.timestamp < switch_at) packets.push_back(p);
    }
    for (const auto& p : swing.packets) {
        if (p.header.timestamp >= switch_at) packets.push_back(p);
    }
    ASSERT_EQ(packets.size(), 100u);  // 1 s of 10 ms packets: the spans met at the switch
    std::vector<float> reference(standard.reference.begin(),
                                 standard.reference.begin() + switch_at);
    reference.insert(reference.end(), swing.reference.begin() + switch_at, swing.reference.end());
    ASSERT_NE(reference, standard.reference);

    JitterBuffer buffer(test_config());
    for (const auto& p : packets) ASSERT_EQ(buffer.insert(p, kT0), InsertResult::kAccepted);
    EXPECT_EQ(read_all(buffer, reference.size()), reference);
    EXPECT_EQ(buffer.counters().concealed_samples, 0u);
    EXPECT_EQ(buffer.counters().truncated, 0u);
}

TEST(JitterBuffer, WaitsForTargetDelayBeforePlaying) {
    const Stream stream = make_stream(4800);
    JitterBuffer buffer(test_config());  // 960 samples
    std::vector<float> out(64);
    std::size_t packet = 0;
    while (buffer.level_samples() < 960) {
        buffer.read(out);
        EXPECT_FALSE(buffer.playing());
        EXPECT_TRUE(std::all_of(out.begin(), out.end(), [](float v) { return v == 0.0f; }));
        ASSERT_EQ(buffer.insert(stream.packets[packet++], kT0), InsertResult::kAccepted);
    }
    EXPECT_NEAR(buffer.level_ms(), 20.0, 10.0);
    buffer.read(out);
    EXPECT_TRUE(buffer.playing());
}

TEST(JitterBuffer, StartsAfterTargetDelayOfWaitingEvenIfShort) {
    const Stream stream = make_stream(480 * 3);
    JitterBuffer buffer(test_config());
    ASSERT_EQ(buffer.insert(stream.packets[0], kT0),
              InsertResult::kAccepted);  // 10 ms < 20 ms target
    auto out = read_all(buffer, 960);    // waited the target delay
    EXPECT_FALSE(buffer.playing());
    out = read_all(buffer, 480);
    EXPECT_TRUE(buffer.playing());
    EXPECT_TRUE(std::equal(out.begin(), out.end(), stream.reference.begin()));
}

TEST(JitterBuffer, RealTimeWithJitterPlaysDelayedReferenceExactly) {
    const Stream stream = make_stream(96000);  // 2 s
    auto config = test_config();
    config.target_delay_ms = 40.0;
    JitterBuffer buffer(config);
    std::mt19937 rng(7);
    // Playout starts once 40 ms are in hand; a packet (<= 15 ms of audio) is complete 15 ms after
    // its first sample, so up to 25 ms of jitter never makes one late.
    std::uniform_real_distribution<double> jitter_ms(0.0, 20.0);
    std::vector<std::pair<double, std::size_t>> arrivals;  // (arrival ms, packet)
    for (std::size_t i = 0; i < stream.packets.size(); ++i) {
        const auto& p = stream.packets[i];
        const double sent_ms = static_cast<double>(p.header.timestamp + p.samples) /
                               48.0;  // when its audio is complete
        arrivals.emplace_back(sent_ms + jitter_ms(rng), i);
    }
    std::sort(arrivals.begin(), arrivals.end());  // jitter reorders them
    std::vector<float> out;
    std::vector<float> block(48);
    std::size_t next = 0;
    for (int ms = 0; ms < 2200; ++ms) {
        while (next < arrivals.size() && arrivals[next].first <= ms) {
            const auto& p = stream.packets[arrivals[next++].second];
            EXPECT_EQ(buffer.insert(p, kT0 + std::chrono::microseconds(ms * 1000)),
                      InsertResult::kAccepted);
        }
        buffer.read(block);
        out.insert(out.end(), block.begin(), block.end());
    }
    EXPECT_EQ(out.size(), 2200u * 48);
    const auto delay =
        static_cast<std::size_t>(static_cast<std::int64_t>(out.size()) - buffer.playout_position());
    ASSERT_LT(delay + stream.reference.size(), out.size());
    EXPECT_TRUE(std::equal(stream.reference.begin(), stream.reference.end(),
                           out.begin() + static_cast<std::ptrdiff_t>(delay)));
    EXPECT_EQ(buffer.counters().late, 0u);
    EXPECT_GT(buffer.jitter_ms(), 2.0);  // the RFC 3550 estimate sees the jitter
    EXPECT_LT(buffer.jitter_ms(), 20.0);
}

TEST(JitterBuffer, DropsDuplicates) {
    const Stream stream = make_stream(4800);
    JitterBuffer buffer(test_config());
    for (const auto& p : stream.packets) {
        ASSERT_EQ(buffer.insert(p, kT0), InsertResult::kAccepted);
        ASSERT_EQ(buffer.insert(p, kT0), InsertResult::kDuplicate);  // while buffered
    }
    const auto out = read_all(buffer, stream.reference.size());
    EXPECT_EQ(out, stream.reference);
    // Already played: still recognised as a duplicate, not as a late packet.
    EXPECT_EQ(buffer.insert(stream.packets[3], kT0), InsertResult::kDuplicate);
    EXPECT_EQ(buffer.counters().duplicate, stream.packets.size() + 1);
    EXPECT_EQ(buffer.counters().late, 0u);
}

TEST(JitterBuffer, DropsLatePackets) {
    const Stream stream = make_stream(9600);
    JitterBuffer buffer(test_config());
    const std::size_t lost = 5;
    for (std::size_t i = 0; i < stream.packets.size(); ++i) {
        if (i != lost) {
            ASSERT_EQ(buffer.insert(stream.packets[i], kT0), InsertResult::kAccepted);
        }
    }
    const std::size_t played =
        stream.packets[lost].header.timestamp + 10;  // its first sample is gone
    auto out = read_all(buffer, played);
    EXPECT_EQ(buffer.insert(stream.packets[lost], kT0), InsertResult::kLate);
    EXPECT_EQ(buffer.counters().late, 1u);
    const auto rest = read_all(buffer, stream.reference.size() - played);
    out.insert(out.end(), rest.begin(), rest.end());
    ASSERT_EQ(out.size(), stream.reference.size());
    // Everything after the concealed packet and the merge into its successor (at most 10 ms)
    // is the sender's timeline again, sample for sample.
    const std::size_t resume =
        stream.packets[lost + 1].header.timestamp + codec::LossConcealer(kRate).max_merge_samples();
    EXPECT_TRUE(std::equal(out.begin() + static_cast<std::ptrdiff_t>(resume), out.end(),
                           stream.reference.begin() + static_cast<std::ptrdiff_t>(resume)));
}

// Spoofed late packets (timestamps far behind the playout position) between the sender's own,
// which arrive on time: the RFC 3550 estimate must stay that of the real stream, near zero.
TEST(JitterBuffer, LateDuplicateAndRefusedPacketsDoNotFeedJitterEstimate) {
    const Stream stream = make_stream(96000);  // 2 s
    JitterBuffer buffer(test_config());
    std::vector<float> block(480);
    for (std::size_t i = 0; i < stream.packets.size(); ++i) {
        const auto& p = stream.packets[i];
        const auto at = kT0 + std::chrono::microseconds(p.header.timestamp * 1000 / 48);
        ASSERT_EQ(buffer.insert(p, at), InsertResult::kAccepted);
        if (buffer.playing()) {
            auto late = p;
            late.header.timestamp = p.header.timestamp - (1u << 30);  // 6 h behind
            EXPECT_EQ(buffer.insert(late, at), InsertResult::kLate);
            auto early = p;
            early.header.timestamp = p.header.timestamp + (1u << 30);
            EXPECT_EQ(buffer.insert(early, at), InsertResult::kTooEarly);
            EXPECT_EQ(buffer.insert(p, at + 7ms), InsertResult::kDuplicate);
        }
        buffer.read(std::span(block).first(std::min<std::size_t>(p.samples, block.size())));
    }
    EXPECT_GT(buffer.counters().late, 100u);
    EXPECT_EQ(buffer.counters().resyncs, 0u);
    EXPECT_LT(buffer.jitter_ms(), 1.0);
}

// Finds a packet across which the waveform moves far: a step there would be a loud click.
std::size_t loud_packet(const Stream& stream) {
    for (std::size_t i = 2; i + 2 < stream.packets.size(); ++i) {
        const auto& p = stream.packets[i];
        const float before = stream.reference[p.header.timestamp - 1];
        const float last = stream.reference[p.header.timestamp + p.samples - 1];
        if (std::abs(before - last) > 0.1f) return i;
    }
    return 0;
}

TEST(JitterBuffer, ConcealsGapSmoothlyAndKeepsTimeline) {
    const Stream stream = make_stream(48000);
    const std::size_t lost = loud_packet(stream);
    ASSERT_GT(lost, 0u);
    JitterBuffer buffer(test_config());
    for (std::size_t i = 0; i < stream.packets.size(); ++i) {
        if (i != lost) buffer.insert(stream.packets[i], kT0);
    }
    const auto out = read_all(buffer, stream.reference.size(), 100);
    ASSERT_EQ(out.size(), stream.reference.size());  // output length is exact

    const auto& gap = stream.packets[lost];
    const std::size_t from = gap.header.timestamp;
    const std::size_t to = from + gap.samples;
    const std::size_t merged = to + codec::LossConcealer(kRate).max_merge_samples();
    EXPECT_EQ(buffer.counters().concealed_samples, gap.samples);
    EXPECT_EQ(buffer.counters().gaps, 1u);
    // Before the gap, and after the merge into the next packet: the reference exactly.
    EXPECT_TRUE(std::equal(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(from),
                           stream.reference.begin()));
    EXPECT_TRUE(std::equal(out.begin() + static_cast<std::ptrdiff_t>(merged), out.end(),
                           stream.reference.begin() + static_cast<std::ptrdiff_t>(merged)));
    // The concealment is what the concealer makes of the same history (the buffer adds nothing).
    codec::LossConcealer concealer(kRate);
    std::vector<float> expected(stream.reference.begin(),
                                stream.reference.begin() + static_cast<std::ptrdiff_t>(from));
    concealer.receive(expected);
    std::vector<float> substitute(gap.samples);
    concealer.conceal(substitute);
    EXPECT_TRUE(std::equal(substitute.begin(), substitute.end(),
                           out.begin() + static_cast<std::ptrdiff_t>(from)));
    // No click at either end: no step beyond twice the signal's own steepest.
    const float natural = max_step(stream.reference) + 1e-6f;
    EXPECT_LE(max_step(std::span(out).subspan(from - 1, merged - from + 1)), 2.0f * natural);
}

// RFC 2198: the lost packets' copies, arriving with the packets after them, play in their place.
TEST(JitterBuffer, RedundantCopiesRepairLostPacketsExactly) {
    const Stream stream = make_stream(48000);
    JitterBuffer buffer(test_config());
    const std::vector<std::size_t> lost = {5, 6, 20, 40, 41, 42};
    std::size_t copies_filed = 0;
    for (std::size_t i = 0; i < stream.packets.size(); ++i) {
        if (std::find(lost.begin(), lost.end(), i) != lost.end()) continue;
        ASSERT_EQ(buffer.insert(stream.packets[i], kT0), InsertResult::kAccepted);
        // Every packet carries copies of the three before it.
        for (std::size_t back = 3; back >= 1; --back) {
            if (i < back) continue;
            const InsertResult result =
                buffer.insert(stream.packets[i - back], kT0, PacketOrigin::kRedundant);
            if (result == InsertResult::kAccepted) ++copies_filed;
        }
    }
    EXPECT_EQ(copies_filed, lost.size());  // only the missing ones were filed
    const auto out = read_all(buffer, stream.reference.size());
    EXPECT_EQ(out, stream.reference);  // nothing concealed: the offline decode exactly
    EXPECT_EQ(buffer.counters().repaired, lost.size());
    EXPECT_EQ(buffer.counters().concealed_samples, 0u);
    // The copies of packets that arrived were not the network's duplicates.
    EXPECT_EQ(buffer.counters().duplicate, 0u);
    EXPECT_EQ(buffer.counters().accepted, stream.packets.size() - lost.size());
}

TEST(JitterBuffer, LateCopyIsDroppedSilentlyAndDoesNotResync) {
    JitterBufferConfig config = test_config();
    config.resync_after_drops = 3;
    const Stream stream = make_stream(48000);
    JitterBuffer buffer(config);
    const std::size_t lost = 10;
    for (std::size_t i = 0; i < stream.packets.size(); ++i) {
        if (i != lost) buffer.insert(stream.packets[i], kT0);
    }
    // Played past the lost packet: concealed. Its copies come too late, many times.
    (void)read_all(buffer, stream.packets[lost + 2].header.timestamp);
    for (int k = 0; k < 10; ++k) {
        EXPECT_EQ(buffer.insert(stream.packets[lost], kT0, PacketOrigin::kRedundant),
                  InsertResult::kLate);
    }
    EXPECT_EQ(buffer.counters().late, 0u);
    EXPECT_EQ(buffer.counters().resyncs, 0u);
    EXPECT_EQ(buffer.counters().repaired, 0u);
    EXPECT_GT(buffer.counters().concealed_samples, 0u);
}

TEST(JitterBuffer, OriginalAfterItsCopyIsNoDuplicate) {
    const Stream stream = make_stream(9600);
    JitterBuffer buffer(test_config());
    const std::size_t slow = 4;
    for (std::size_t i = 0; i < stream.packets.size(); ++i) {
        if (i == slow) continue;
        buffer.insert(stream.packets[i], kT0);
        if (i == slow + 1) {
            EXPECT_EQ(buffer.insert(stream.packets[slow], kT0, PacketOrigin::kRedundant),
                      InsertResult::kAccepted);
            // The original, reordered behind its copy, still arrives before it plays.
            EXPECT_EQ(buffer.insert(stream.packets[slow], kT0), InsertResult::kAccepted);
        }
    }
    const auto out = read_all(buffer, stream.reference.size());
    EXPECT_EQ(out, stream.reference);
    EXPECT_EQ(buffer.counters().duplicate, 0u);
    EXPECT_EQ(buffer.counters().repaired, 0u);  // it played as itself
    EXPECT_EQ(buffer.counters().accepted, stream.packets.size());
}

TEST(JitterBuffer, CopyNeverEvictsANetworkPacket) {
    JitterBufferConfig config = test_config();
    config.slot_count = 4;
    const Stream stream = make_stream(9600);
    JitterBuffer buffer(config);
    for (std::size_t i = 1; i <= 4; ++i) {
        ASSERT_EQ(buffer.insert(stream.packets[i], kT0), InsertResult::kAccepted);
    }
    EXPECT_EQ(buffer.insert(stream.packets[0], kT0, PacketOrigin::kRedundant),
              InsertResult::kTooEarly);
    EXPECT_EQ(buffer.buffered_packets(), 4u);
    EXPECT_EQ(buffer.counters().early, 0u);
}

TEST(JitterBuffer, LongGapFadesToSilenceAndMergesBack) {
    // 100 ms lost: concealment for 60 ms, then silence until the packets return.
    const Stream stream = make_stream(48000);
    const std::size_t first = loud_packet(stream);
    ASSERT_GT(first, 0u);
    JitterBuffer buffer(test_config());
    for (std::size_t i = 0; i < stream.packets.size(); ++i) {
        if (i < first || i >= first + 10) buffer.insert(stream.packets[i], kT0);
    }
    const auto out = read_all(buffer, stream.reference.size());
    const std::size_t from = stream.packets[first].header.timestamp;
    const std::size_t to = stream.packets[first + 10].header.timestamp;
    const codec::LossConcealer concealer(kRate);
    EXPECT_EQ(buffer.counters().gaps, 1u);
    EXPECT_EQ(buffer.counters().concealed_samples, to - from);
    for (std::size_t i = from + concealer.silence_after_samples(); i < to; ++i)
        ASSERT_EQ(out[i], 0.0f) << i;
    const float natural = max_step(stream.reference) + 1e-6f;
    EXPECT_LE(max_step(std::span(out).subspan(from - 1, to - from + kPacket)), 2.0f * natural);
    const std::size_t merged = to + concealer.max_merge_samples();
    EXPECT_TRUE(std::equal(out.begin() + static_cast<std::ptrdiff_t>(merged), out.end(),
                           stream.reference.begin() + static_cast<std::ptrdiff_t>(merged)));
}

TEST(JitterBuffer, GapBeforePacketWithoutAnchorHasNoClick) {
    const Stream stream = make_stream(9600, 0, /*anchors=*/false);
    JitterBuffer buffer(test_config());
    for (std::size_t i = 0; i < stream.packets.size(); ++i) {
        if (i != 4) buffer.insert(stream.packets[i], kT0);
    }
    const auto out = read_all(buffer, stream.reference.size());
    const float natural = max_step(stream.reference) + 1e-6f;
    EXPECT_LE(
        max_step(std::span(out).subspan(stream.packets[4].header.timestamp - 1, 2 * kPacket + 1)),
        2.0f * natural);
}

TEST(JitterBuffer, RepairsReordering) {
    const Stream stream = make_stream(48000);
    JitterBuffer buffer(test_config());
    auto order = stream.packets;
    for (std::size_t i = 0; i + 1 < order.size(); i += 3) std::swap(order[i], order[i + 1]);
    // First packets in hand, then the rest arrive swapped while playing.
    for (std::size_t i = 0; i < 4; ++i) buffer.insert(order[i], kT0);
    std::vector<float> out;
    std::size_t next = 4;
    while (out.size() < stream.reference.size()) {
        if (next < order.size()) {
            EXPECT_EQ(buffer.insert(order[next++], kT0), InsertResult::kAccepted);
        }
        const auto block =
            read_all(buffer, std::min(kPacket, stream.reference.size() - out.size()));
        out.insert(out.end(), block.begin(), block.end());
    }
    EXPECT_EQ(out, stream.reference);
    EXPECT_EQ(buffer.counters().concealed_samples, 0u);
}

ValidatedPacket hand_packet(std::uint32_t timestamp, std::vector<Record> records) {
    ValidatedPacket p;
    p.header.timestamp = timestamp;
    p.header.ssrc = 1;
    std::copy(records.begin(), records.end(), p.storage.begin());
    p.record_count = records.size();
    p.samples = codec::count_samples(records);
    p.has_anchor = records.front().is_anchor();
    return p;
}

TEST(JitterBuffer, TruncatesPacketRunningPastNextTimestamp) {
    auto config = test_config();
    config.target_delay_ms = 0.0;
    JitterBuffer buffer(config);
    // 600 samples claimed at 0, but the next packet starts at 480: cut at 480.
    buffer.insert(hand_packet(0, {Record::anchor(0), Record::curve(1, 600, 6000)}), kT0);
    buffer.insert(hand_packet(480, {Record::anchor(-3000), Record::silence(480)}), kT0);
    const auto out = read_all(buffer, 960);
    EXPECT_EQ(buffer.counters().truncated, 1u);
    EXPECT_EQ(buffer.counters().played_samples, 960u);
    EXPECT_EQ(buffer.counters().concealed_samples, 0u);
    for (std::size_t i = 480; i < 960; ++i)
        ASSERT_FLOAT_EQ(out[i], -3000.0f / codec::kFullScale) << i;
}

TEST(JitterBuffer, ConcealsRemainderOfShortPacket) {
    auto config = test_config();
    config.target_delay_ms = 0.0;
    JitterBuffer buffer(config);
    buffer.insert(hand_packet(0, {Record::anchor(0), Record::curve(1, 300, 6000)}), kT0);
    buffer.insert(hand_packet(480, {Record::anchor(2000), Record::silence(480)}), kT0);
    const auto out = read_all(buffer, 960);
    EXPECT_EQ(buffer.counters().concealed_samples, 180u);
    EXPECT_EQ(buffer.counters().truncated, 0u);
    EXPECT_FLOAT_EQ(out[299], 6000.0f / codec::kFullScale);
    // The 180 samples are concealed from what played (a ramp: no period to find, so they stay
    // within its range) and the next packet's anchor is merged in, then held exactly.
    for (std::size_t i = 300; i < 480; ++i) {
        ASSERT_TRUE(std::abs(out[i]) <= 6000.0f / codec::kFullScale * 2.0f) << i;
    }
    const std::size_t merged = 480 + codec::LossConcealer(kRate).max_merge_samples();
    for (std::size_t i = merged; i < 960; ++i)
        ASSERT_FLOAT_EQ(out[i], 2000.0f / codec::kFullScale) << i;
}

TEST(JitterBuffer, HandlesTimestampWraparound) {
    const std::uint32_t base = 0xFFFFFFFFu - 10000;  // wraps after about 10000 samples
    const Stream stream = make_stream(48000, base);
    JitterBuffer buffer(test_config());
    std::vector<float> out;
    std::size_t next = 0;
    while (out.size() < stream.reference.size()) {
        while (next < stream.packets.size() && buffer.level_samples() < 1500) {
            EXPECT_EQ(buffer.insert(stream.packets[next++], kT0), InsertResult::kAccepted);
        }
        const auto block =
            read_all(buffer, std::min(kPacket, stream.reference.size() - out.size()));
        out.insert(out.end(), block.begin(), block.end());
    }
    const auto delay = static_cast<std::ptrdiff_t>(out.size()) - (buffer.playout_position() - base);
    ASSERT_GE(delay, 0);
    EXPECT_TRUE(std::equal(out.begin() + delay, out.end(), stream.reference.begin()));
    EXPECT_EQ(buffer.counters().late + buffer.counters().early + buffer.counters().resyncs, 0u);
    EXPECT_GT(buffer.playout_position(), std::int64_t{0xFFFFFFFF});  // it ran past 2^32
}

TEST(JitterBuffer, UnderrunIsConcealedThenSilentWithExactLength) {
    const Stream stream = make_stream(4800);
    JitterBuffer buffer(test_config());
    for (const auto& p : stream.packets) buffer.insert(p, kT0);
    std::vector<float> out(stream.reference.size() + 4000, 99.0f);
    // Stop playing exactly in a loud spot so the concealment has something to do.
    buffer.read(std::span(out).first(stream.reference.size()));
    buffer.read(std::span(out).subspan(stream.reference.size(), 1000));
    buffer.read(std::span(out).subspan(stream.reference.size() + 1000));
    EXPECT_EQ(buffer.counters().underruns, 2u);
    EXPECT_EQ(buffer.counters().gaps, 1u);
    EXPECT_EQ(buffer.counters().concealed_samples, 4000u);
    // Concealed, then silent from 60 ms on.
    const std::size_t silent =
        stream.reference.size() + codec::LossConcealer(kRate).silence_after_samples();
    for (std::size_t i = silent; i < out.size(); ++i) ASSERT_EQ(out[i], 0.0f) << i;
    const float natural = max_step(stream.reference) + 1e-6f;
    EXPECT_LE(max_step(std::span(out).subspan(stream.reference.size() - 1)), 2.0f * natural);
}

TEST(JitterBuffer, TooEarlyPacketIsRefused) {
    const Stream stream = make_stream(4800);
    JitterBuffer buffer(test_config());
    buffer.insert(stream.packets[0], kT0);
    buffer.insert(stream.packets[1], kT0);
    buffer.insert(stream.packets[2], kT0);
    auto far = stream.packets[3];
    far.header.timestamp += 48000 * 2;  // 2 s ahead: beyond max_ahead_ms
    EXPECT_EQ(buffer.insert(far, kT0), InsertResult::kTooEarly);
    EXPECT_EQ(buffer.counters().early, 1u);
}

TEST(JitterBuffer, FullBufferEvictsFurthestForEarlierPacket) {
    auto config = test_config();
    config.slot_count = 4;
    JitterBuffer buffer(config);
    const Stream stream = make_stream(4800);
    for (std::size_t i : {0, 1, 2, 4})
        ASSERT_EQ(buffer.insert(stream.packets[i], kT0), InsertResult::kAccepted);
    EXPECT_EQ(buffer.insert(stream.packets[5], kT0),
              InsertResult::kTooEarly);  // full, and furthest
    EXPECT_EQ(buffer.insert(stream.packets[3], kT0), InsertResult::kAccepted);  // evicts packet 4
    EXPECT_EQ(buffer.counters().early, 2u);
    EXPECT_EQ(buffer.buffered_packets(), 4u);
}

TEST(JitterBuffer, ResynchronisesWhenSenderTimelineJumps) {
    const Stream stream = make_stream(48000);
    JitterBuffer buffer(test_config());
    for (std::size_t i = 0; i < 10; ++i) buffer.insert(stream.packets[i], kT0);
    read_all(buffer, 4800);
    // The sender restarts its timeline 10 minutes ahead with the same SSRC.
    std::size_t refused = 0;
    std::size_t i = 10;
    for (; i < 60; ++i) {
        auto jumped = stream.packets[i];
        jumped.header.timestamp += 48000 * 600;
        if (buffer.insert(jumped, kT0) == InsertResult::kTooEarly) {
            ++refused;
        } else {
            break;
        }
    }
    EXPECT_EQ(refused, JitterBufferConfig{}.resync_after_drops - 1);
    EXPECT_EQ(buffer.counters().resyncs, 1u);
    EXPECT_FALSE(buffer.playing());  // buffering the new timeline
}

// A sender (or the host under it) stalls for longer than the target delay plus
// resync_after_drops packets, then sends its backlog at once: the playout concealed that span,
// so most of the backlog is late. Those packets gain on the playout: they are the same timeline
// coming late, not a jump, so they are dropped and the output stays on the sender's timeline
// (following them would replay concealed audio and shift everything after, for good). With
// `late_first`, the packet before the stall already comes late, alone, before the stall's
// silence: the backlog must still read as gaining on the playout.
void backlog_after_stall_keeps_the_timeline(bool late_first) {
    const Stream stream = make_stream(48000 * 3);
    JitterBuffer buffer(test_config());
    // The sender's clock, in samples: a packet leaves once its last sample is captured; none
    // leaves from 1 s to 1.6 s (60 packets of 10 ms), then all that waited leave together.
    constexpr std::int64_t kStallFrom = 48000, kStallTo = 48000 + 28800;
    // The late one leaves 40 ms into the stall (its playout time has passed by then).
    constexpr std::int64_t kLateOneAt = kStallFrom + 4 * kPacket;
    std::vector<float> out;
    std::size_t next = 0;
    std::int64_t lead = -1;  // output samples ahead of the timeline, once playing
    for (std::int64_t now = 0; out.size() < stream.reference.size() + 4800; now += kPacket) {
        const std::int64_t held_from = late_first ? kStallFrom - 2 * kPacket : kStallFrom;
        const bool stalled = now >= held_from && now < kStallTo;
        if (late_first && now == kLateOneAt) {
            EXPECT_EQ(buffer.insert(stream.packets[next++], kT0), InsertResult::kLate);
        }
        while (!stalled && next < stream.packets.size() &&
               stream.packets[next].header.timestamp + stream.packets[next].samples <=
                   static_cast<std::uint64_t>(now)) {
            buffer.insert(stream.packets[next++], kT0 + std::chrono::microseconds(now * 1000 / 48));
        }
        std::vector<float> block(kPacket);
        buffer.read(block);
        out.insert(out.end(), block.begin(), block.end());
        if (lead < 0 && buffer.playing()) {
            lead = static_cast<std::int64_t>(out.size()) - buffer.playout_position();
        }
    }
    EXPECT_GT(buffer.counters().late, JitterBufferConfig{}.resync_after_drops);
    EXPECT_EQ(buffer.counters().resyncs, 0u);
    ASSERT_GE(lead, 0);
    EXPECT_EQ(static_cast<std::int64_t>(out.size()) - buffer.playout_position(), lead);
    // From the first packet after the backlog to the end: the sender's timeline, sample for
    // sample, at the lead it had before the stall.
    const auto from = static_cast<std::size_t>(kStallTo + 4 * kPacket);
    const auto at = out.begin() + lead + static_cast<std::ptrdiff_t>(from);
    EXPECT_TRUE(std::equal(stream.reference.begin() + static_cast<std::ptrdiff_t>(from),
                           stream.reference.end(), at));
}

TEST(JitterBuffer, BacklogAfterStallIsDroppedWithoutResync) {
    backlog_after_stall_keeps_the_timeline(false);
}

TEST(JitterBuffer, BacklogAfterALatePacketAndAStallIsDroppedWithoutResync) {
    backlog_after_stall_keeps_the_timeline(true);
}

// The receiver stalls (its thread held up) while the packets keep coming; then it reads them all
// at once, more than its slots hold, before it plays what fell due meanwhile. What does not fit
// is refused and concealed, but a full buffer is no sign of a jump: the output stays on the
// sender's timeline.
TEST(JitterBuffer, PacketsRefusedForRoomDoNotResync) {
    const Stream stream = make_stream(48000 * 3);
    auto config = test_config();
    config.slot_count = 32;
    JitterBuffer buffer(config);
    std::vector<float> out;
    std::vector<float> block(kPacket);
    std::size_t next = 0;
    std::int64_t lead = -1;
    constexpr std::size_t kStallFrom = 50, kStallPackets = 70;
    for (std::size_t step = 0; out.size() < stream.reference.size() + 4800; ++step) {
        // Up to this step's packet: all that arrived while the receiver was held up, at once.
        const bool stalled = step >= kStallFrom && step < kStallFrom + kStallPackets;
        while (!stalled && next < stream.packets.size() && next <= step) {
            buffer.insert(stream.packets[next++], kT0);
        }
        if (stalled) continue;  // no playout either while held up: it catches up after
        for (std::size_t owed = step == kStallFrom + kStallPackets ? kStallPackets + 1 : 1;
             owed > 0; --owed) {
            buffer.read(block);
            out.insert(out.end(), block.begin(), block.end());
        }
        if (lead < 0 && buffer.playing()) {
            lead = static_cast<std::int64_t>(out.size()) - buffer.playout_position();
        }
    }
    EXPECT_GT(buffer.counters().early, JitterBufferConfig{}.resync_after_drops);
    EXPECT_EQ(buffer.counters().resyncs, 0u);
    ASSERT_GE(lead, 0);
    EXPECT_EQ(static_cast<std::int64_t>(out.size()) - buffer.playout_position(), lead);
    // The packets that fitted play as sent; after the refused ones, the timeline again.
    const auto from =
        static_cast<std::size_t>(stream.packets[kStallFrom + kStallPackets + 2].header.timestamp);
    const auto at = out.begin() + lead + static_cast<std::ptrdiff_t>(from);
    EXPECT_TRUE(std::equal(stream.reference.begin() + static_cast<std::ptrdiff_t>(from),
                           stream.reference.end(), at));
}

// The sender's timeline jumps back (a restart with the same SSRC): its packets are late by the
// same amount one after another, arriving at the playout's own rate, and never reach it; after
// resync_after_drops of them the buffer follows the new timeline.
TEST(JitterBuffer, ResynchronisesWhenSenderTimelineJumpsBack) {
    const Stream stream = make_stream(48000 * 2);
    JitterBuffer buffer(test_config());
    std::vector<float> block(kPacket);
    for (std::size_t i = 0; i < 50; ++i) {
        buffer.insert(stream.packets[i], kT0);
        buffer.read(block);
    }
    ASSERT_TRUE(buffer.playing());
    std::size_t refused = 0;
    for (std::size_t i = 50; i < 100; ++i) {
        auto jumped = stream.packets[i];  // 400 ms back, off the grid of what was played
        jumped.header.timestamp -= 40 * kPacket + 7;
        if (buffer.insert(jumped, kT0) != InsertResult::kLate) break;
        ++refused;
        buffer.read(block);
    }
    EXPECT_EQ(refused, JitterBufferConfig{}.resync_after_drops - 1);
    EXPECT_EQ(buffer.counters().resyncs, 1u);
}

TEST(JitterBuffer, NewSsrcStartsNewTimeline) {
    const Stream stream = make_stream(9600);
    JitterBuffer buffer(test_config());
    for (std::size_t i = 0; i < 6; ++i) buffer.insert(stream.packets[i], kT0);
    read_all(buffer, 2000);
    auto other = stream.packets[0];
    other.header.ssrc = 43;
    other.ssrc_changed = true;
    other.header.timestamp = 123456789;
    EXPECT_EQ(buffer.insert(other, kT0), InsertResult::kAccepted);
    EXPECT_FALSE(buffer.playing());
    EXPECT_EQ(buffer.buffered_packets(), 1u);
}

TEST(JitterBuffer, ReportsLevel) {
    const Stream stream = make_stream(4800);
    JitterBuffer buffer(test_config());
    std::uint64_t expected = 0;
    for (std::size_t i = 0; i < 3; ++i) {
        buffer.insert(stream.packets[i], kT0);
        expected += stream.packets[i].samples;
    }
    EXPECT_EQ(buffer.level_samples(), expected);
    EXPECT_DOUBLE_EQ(buffer.level_ms(), static_cast<double>(expected) / 48.0);
    read_all(buffer, 100);
    EXPECT_EQ(buffer.level_samples(), expected - 100);
}

TEST(JitterBuffer, RejectsBadConfig) {
    auto config = test_config();
    config.slot_count = 1;
    EXPECT_THROW(JitterBuffer{config}, std::invalid_argument);
    config = test_config();
    config.max_ahead_ms = 10.0;
    EXPECT_THROW(JitterBuffer{config}, std::invalid_argument);
}

TEST(JitterBuffer, DoesNotAllocateOnInsertOrRead) {
    const Stream stream = make_stream(48000);
    JitterBuffer buffer(test_config());
    std::vector<float> out(128);
    test::AllocationCounter counter;
    for (std::size_t i = 0; i < stream.packets.size(); ++i) {
        if (i % 7 != 3) buffer.insert(stream.packets[i], kT0);  // with gaps
        buffer.insert(stream.packets[i / 2], kT0);              // duplicates and late ones
        if (i >= 1) buffer.insert(stream.packets[i - 1], kT0, PacketOrigin::kRedundant);
        for (int k = 0; k < 4; ++k) buffer.read(out);
    }
    EXPECT_EQ(counter.count(), 0u);
}

}  // namespace
}  // namespace extrema::net
