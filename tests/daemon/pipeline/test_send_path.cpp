// SendPath cadence: with the link's defaults every packet leaves in the capture block that
// completes its packet_ms of audio, one packet per packet_ms, whatever the block size. The
// bank: the records go in the bank encoder.bank names, under the payload type that names it.
// With network.redundancy_kbps the redundant blocks are a second encoder's records of each
// packet's span, or a copy of the packet when the payload cap cut it short.
#include "pipeline/send_path.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>
#include <vector>

#include "extrema/codec/decoder.h"
#include "extrema/codec/encoder.h"
#include "extrema/codec/record.h"
#include "net/red_payload.h"
#include "net/rtp_header.h"

namespace extrema::pipeline {
namespace {

// Speech-like: a 180 Hz voice with harmonics whose level swells and dies every 200 ms, over a
// faint noise floor, so the encoder meets curves, peaks held at the cap and silences.
std::vector<float> voice_like(std::size_t samples, double rate_hz) {
    std::vector<float> out(samples);
    std::mt19937 rng(7);
    std::normal_distribution<float> noise(0.0f, 0.001f);
    for (std::size_t i = 0; i < samples; ++i) {
        const double t = static_cast<double>(i) / rate_hz;
        const double envelope = std::max(0.0, std::sin(2.0 * std::numbers::pi * 2.5 * t));
        double voice = 0.0;
        for (int h = 1; h <= 8; ++h) voice += std::sin(2.0 * std::numbers::pi * 180.0 * h * t) / h;
        out[i] = static_cast<float>(0.2 * envelope * voice) + noise(rng);
    }
    return out;
}

struct SentPacket {
    std::uint32_t timestamp = 0;
    std::uint64_t captured = 0;  // samples pushed when it was sent
};

std::vector<SentPacket> send_in_blocks(const LinkConfig& config, const std::vector<float>& in,
                                       std::size_t block) {
    std::vector<SentPacket> sent;
    std::uint64_t captured = 0;
    SendPath send(config, [&](std::span<const std::uint8_t> datagram) {
        net::RtpPacketView view;
        EXPECT_EQ(net::parse_rtp_packet(datagram, view), net::RtpParseError::kNone);
        sent.push_back({view.header.timestamp, captured});
        return true;
    });
    std::vector<float> scratch(block);
    for (std::size_t at = 0; at + block <= in.size(); at += block) {
        std::copy_n(in.begin() + static_cast<std::ptrdiff_t>(at), block, scratch.begin());
        captured += block;
        send.push(scratch);
    }
    return sent;
}

TEST(SendPathCadence, DefaultsSendOnePacketPerPacketMsOfCapture) {
    LinkConfig config;
    config.mode = LinkMode::kSend;
    const auto packet = static_cast<std::uint64_t>(
        std::lround(config.network.packet_ms * config.audio.rate_hz / 1000.0));
    const auto in =
        voice_like(static_cast<std::size_t>(2 * config.audio.rate_hz), config.audio.rate_hz);
    for (const std::size_t block : {64u, 100u, 256u, 441u, 1024u}) {
        const auto sent = send_in_blocks(config, in, block);
        const std::uint64_t captured = in.size() / block * block;
        ASSERT_EQ(sent.size(), captured / packet) << "block " << block;
        for (std::size_t i = 0; i < sent.size(); ++i) {
            // Packet i covers [i, i + 1) x packet_ms and leaves in the block that captured its
            // last sample.
            EXPECT_EQ(sent[i].timestamp, i * packet) << "block " << block << " packet " << i;
            const std::uint64_t end = (i + 1) * packet;
            EXPECT_GE(sent[i].captured, end) << "block " << block << " packet " << i;
            EXPECT_LT(sent[i].captured, end + block) << "block " << block << " packet " << i;
        }
    }
}

TEST(SendPathCadence, SamplesUntilPacketCountsToTheNextGridLine) {
    LinkConfig config;
    config.mode = LinkMode::kSend;
    SendPath send(config, [](std::span<const std::uint8_t>) { return true; });
    const auto packet = static_cast<std::uint64_t>(
        std::lround(config.network.packet_ms * config.audio.rate_hz / 1000.0));
    EXPECT_EQ(send.samples_until_packet(), packet);
    std::vector<float> block(100, 0.1f);
    send.push(block);
    EXPECT_EQ(send.samples_until_packet(), packet - 100);
}

TEST(SendPathBank, SwingRecordsGoUnderTheSwingPayloadTypeAsTheOfflineEncode) {
    LinkConfig config;
    config.mode = LinkMode::kSend;
    config.encoder.bank = "swing";
    config.encoder.dtx = false;  // every packet carries records
    const auto in =
        voice_like(static_cast<std::size_t>(config.audio.rate_hz), config.audio.rate_hz);
    std::vector<codec::Record> sent;
    std::uint64_t sent_samples = 0;
    SendPath send(config, [&](std::span<const std::uint8_t> datagram) {
        net::RtpPacketView view;
        EXPECT_EQ(net::parse_rtp_packet(datagram, view), net::RtpParseError::kNone);
        EXPECT_EQ(view.header.payload_type, config.network.swing_payload_type);
        EXPECT_EQ(view.payload.size() % codec::kRecordBytes, 0u);
        for (std::size_t at = 0; at + codec::kRecordBytes <= view.payload.size();
             at += codec::kRecordBytes) {
            const codec::Record r =
                codec::unpack_record(view.payload.subspan(at).first<codec::kRecordBytes>());
            sent_samples += r.samples;
            sent.push_back(r);
        }
        return true;
    });
    std::vector<float> block(256);
    for (std::size_t at = 0; at + block.size() <= in.size(); at += block.size()) {
        std::copy_n(in.begin() + static_cast<std::ptrdiff_t>(at), block.size(), block.begin());
        send.push(block);
    }
    ASSERT_GT(sent_samples, in.size() / 2);

    codec::Encoder offline(encoder_config(config), curve_bank(config));
    std::vector<codec::Record> records;
    offline.push(std::span<const float>(in), records);
    offline.flush(records);
    const auto expected = codec::decode_all(records, codec::CurveBank::swing());
    const auto got = codec::decode_all(sent, codec::CurveBank::swing());
    ASSERT_GE(expected.size(), got.size());
    EXPECT_TRUE(std::equal(got.begin(), got.end(), expected.begin()));
    // The bank matters: the same records in the standard bank are another waveform.
    EXPECT_NE(codec::decode_all(sent, codec::CurveBank::standard()), got);
}

// ---- network.redundancy_kbps ----

struct Datagram {
    net::RtpHeader header;
    std::vector<std::uint8_t> primary;
    std::vector<std::vector<std::uint8_t>> blocks;  // redundant, oldest first
    std::vector<std::uint32_t> offsets;
};

// A sender of 10 ms packets whose records are steered to 64 kbps, one redundant block each,
// its blocks at 16 kbps; no compressor, no DTX, so an offline encoder sees the same samples.
LinkConfig low_rate_sender() {
    LinkConfig config;
    config.mode = LinkMode::kSend;
    config.compressor.enabled = false;
    config.encoder.dtx = false;
    config.encoder.codec.target_kbps = 64.0;
    config.encoder.codec.max_segment_ms = 5.0;
    config.network.packet_ms = 10.0;
    config.network.redundancy = 1;
    config.network.redundancy_kbps = 16.0;
    return config;
}

std::vector<Datagram> send_all(const LinkConfig& config, const std::vector<float>& in,
                               SendStats* stats = nullptr) {
    std::vector<Datagram> sent;
    SendPath send(config, [&](std::span<const std::uint8_t> datagram) {
        net::RtpPacketView view;
        EXPECT_EQ(net::parse_rtp_packet(datagram, view), net::RtpParseError::kNone);
        Datagram d;
        d.header = view.header;
        if (view.header.payload_type == config.network.red_payload_type) {
            net::RedPayloadView red;
            EXPECT_EQ(net::parse_red_payload(view.payload, red), net::RedParseError::kNone);
            for (const net::RedBlock& block : red.redundant()) {
                d.blocks.emplace_back(block.data.begin(), block.data.end());
                d.offsets.push_back(block.timestamp_offset);
            }
            d.primary.assign(red.primary.data.begin(), red.primary.data.end());
        } else {
            d.primary.assign(view.payload.begin(), view.payload.end());
        }
        sent.push_back(std::move(d));
        return true;
    });
    // Odd block sizes: pieces of the capture end at grid lines whatever the blocks.
    std::vector<float> scratch;
    std::size_t at = 0;
    for (std::size_t i = 0; at < in.size(); ++i) {
        const std::size_t n = std::min<std::size_t>({in.size() - at, i % 3 == 0 ? 4096u : 333u});
        scratch.assign(in.begin() + static_cast<std::ptrdiff_t>(at),
                       in.begin() + static_cast<std::ptrdiff_t>(at + n));
        send.push(scratch);
        at += n;
    }
    send.flush();
    if (stats) send.fill_stats(*stats);
    return sent;
}

std::vector<codec::Record> records_of(const std::vector<std::uint8_t>& payload) {
    std::vector<codec::Record> records;
    for (std::size_t at = 0; at + codec::kRecordBytes <= payload.size();
         at += codec::kRecordBytes) {
        records.push_back(codec::unpack_record(
            std::span<const std::uint8_t>(payload).subspan(at).first<codec::kRecordBytes>()));
    }
    return records;
}

// The blocks' encoder offline: the link's settings at the blocks' rate.
std::vector<codec::Record> offline_low_rate(const LinkConfig& config,
                                            const std::vector<float>& in) {
    codec::EncoderConfig low = encoder_config(config);
    low.target_kbps = config.network.redundancy_kbps;
    codec::Encoder encoder(low, curve_bank(config));
    std::vector<codec::Record> records;
    encoder.push(std::span<const float>(in), records);
    encoder.flush(records);
    return records;
}

TEST(SendPathLowRate, BlocksAreTheSecondEncodersRecordsOfEachPacketsSpan) {
    const LinkConfig config = low_rate_sender();
    const auto in = voice_like(3 * 48000, 48000.0);
    const auto sent = send_all(config, in);
    ASSERT_GT(sent.size(), 250u);

    const std::vector<codec::Record> offline = offline_low_rate(config, in);

    // Packet i's block rides in packet i + 1: it spans packet i exactly, leads with an anchor,
    // and together the blocks decode as the offline low-rate stream does.
    std::vector<codec::Record> carried;
    std::size_t block_bytes = 0;
    std::size_t primary_bytes = 0;
    std::size_t differing = 0;  // a silent span may encode alike at both rates
    for (std::size_t i = 1; i < sent.size(); ++i) {
        ASSERT_EQ(sent[i].blocks.size(), 1u) << i;
        EXPECT_EQ(sent[i].offsets[0], sent[i].header.timestamp - sent[i - 1].header.timestamp);
        const auto block = records_of(sent[i].blocks[0]);
        const auto primary = records_of(sent[i - 1].primary);
        ASSERT_FALSE(block.empty());
        EXPECT_TRUE(block.front().is_anchor()) << i;
        EXPECT_EQ(codec::count_samples(block), codec::count_samples(primary)) << i;
        if (sent[i].blocks[0] != sent[i - 1].primary) ++differing;
        carried.insert(carried.end(), block.begin(), block.end());
        block_bytes += sent[i].blocks[0].size();
        primary_bytes += sent[i - 1].primary.size();
    }
    const auto decoded = codec::decode_all(carried);
    const auto expected = codec::decode_all(offline);
    ASSERT_LE(decoded.size(), expected.size());
    EXPECT_GT(decoded.size(), expected.size() - 2 * 480u);
    EXPECT_TRUE(std::equal(decoded.begin(), decoded.end(), expected.begin()));
    // Well under the packets' own rate: 16 against 64 kbps of records, plus an anchor each.
    EXPECT_LT(block_bytes, primary_bytes / 2);
    EXPECT_GT(block_bytes, primary_bytes / 8);
    EXPECT_GT(differing, sent.size() / 2);
}

TEST(SendPathLowRate, APacketTheCapCutShortIsCarriedAsACopy) {
    LinkConfig config = low_rate_sender();
    // No steering, and a cap of 40 records: every third 10 ms frame, a fast tone, needs more
    // and is cut in two packets; the slow tone between fits one packet a frame.
    config.encoder.codec.target_kbps = 0.0;
    config.encoder.codec.threshold_lsb = 50.0;
    config.network.max_payload_bytes = 201;
    std::vector<float> in(2 * 48000);
    for (std::size_t i = 0; i < in.size(); ++i) {
        const double t = static_cast<double>(i) / 48000.0;
        const double hz = (i / 480) % 3 == 0 ? 2500.0 : 100.0;
        in[i] = static_cast<float>(0.3 * std::sin(2.0 * std::numbers::pi * hz * t));
    }
    SendStats stats;
    const auto sent = send_all(config, in, &stats);

    const std::vector<codec::Record> offline = offline_low_rate(config, in);
    const auto expected = codec::decode_all(offline);

    const std::uint32_t packet = 480;
    std::uint64_t cut = 0;
    std::uint64_t copies = 0;
    std::uint64_t low_rate = 0;
    for (std::size_t i = 0; i < sent.size(); ++i) {
        const auto samples = codec::count_samples(records_of(sent[i].primary));
        const std::uint32_t at = sent[i].header.timestamp;
        const bool whole = at % packet == 0 && samples == packet;
        if (!whole) ++cut;
        if (i + 1 == sent.size() || sent[i + 1].blocks.empty()) continue;  // left out for the cap
        const auto& block = sent[i + 1].blocks.back();
        if (whole) {
            const auto decoded = codec::decode_all(records_of(block));
            ASSERT_EQ(decoded.size(), packet);
            EXPECT_TRUE(std::equal(decoded.begin(), decoded.end(), expected.begin() + at)) << i;
            ++low_rate;
        } else {
            EXPECT_EQ(block, sent[i].primary) << i;
            ++copies;
        }
    }
    EXPECT_GT(copies, 10u);
    EXPECT_GT(low_rate, 10u);
    EXPECT_EQ(stats.redundant_copied, cut);
}

}  // namespace
}  // namespace extrema::pipeline
