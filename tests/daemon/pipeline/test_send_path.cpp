// SendPath cadence: with the link's defaults every packet leaves in the capture block that
// completes its packet_ms of audio, one packet per packet_ms, whatever the block size. And the
// bank: the records go in the bank encoder.bank names, under the payload type that names it.
#include "pipeline/send_path.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>
#include <vector>

#include "extrema/codec/decoder.h"
#include "extrema/codec/record.h"
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

}  // namespace
}  // namespace extrema::pipeline
