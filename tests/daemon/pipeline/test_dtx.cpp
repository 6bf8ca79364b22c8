// DTX on the send path (pipeline/dtx_gate.h): through a pause only RFC 3389 comfort-noise
// packets leave, at most one per 250 ms and under 2 kbit/s with all headers; each talk spurt
// opens with the marker bit; sequence numbers and timestamps run on as if nothing was skipped,
// and the first speech after a pause is sent from where it starts.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "dtx_signals.h"
#include "extrema/codec/record.h"
#include "extrema/codec/xtr_format.h"
#include "net/comfort_noise_payload.h"
#include "net/rtp_header.h"
#include "pipeline/send_path.h"

namespace extrema::pipeline {
namespace {

using test::add_burst;
using test::background_noise;

constexpr std::size_t kBlock = 480;
constexpr std::uint32_t kRefreshSamples = 12000;  // 250 ms
constexpr double kIpUdpBytes = 28.0;  // IPv4 20 + UDP 8 (the RTP 12 are in the datagram)

struct Sent {
    net::RtpHeader header;
    std::vector<std::uint8_t> payload;
    std::size_t datagram_bytes = 0;
    std::uint64_t samples = 0;  // of a records packet
    bool cn() const { return header.payload_type == 13; }
};

LinkConfig dtx_sender() {
    LinkConfig config;
    config.mode = LinkMode::kSend;
    EXPECT_TRUE(config.encoder.dtx);  // the daemon's default
    return config;
}

std::vector<Sent> send_all(const LinkConfig& config, const std::vector<float>& in,
                           SendStats* stats = nullptr) {
    std::vector<Sent> sent;
    SendPath send(config, [&](std::span<const std::uint8_t> datagram) {
        net::RtpPacketView view;
        EXPECT_EQ(net::parse_rtp_packet(datagram, view), net::RtpParseError::kNone);
        Sent s{view.header, {view.payload.begin(), view.payload.end()}, datagram.size(), 0};
        if (s.header.payload_type == 96)
            s.samples = codec::count_samples(codec::parse_records(view.payload));
        sent.push_back(std::move(s));
        return true;
    });
    std::vector<float> block(kBlock);
    for (std::size_t at = 0; at + kBlock <= in.size(); at += kBlock) {
        std::copy_n(in.begin() + static_cast<std::ptrdiff_t>(at), kBlock, block.begin());
        send.push(block);
    }
    send.flush();
    if (stats) send.fill_stats(*stats);
    return sent;
}

TEST(Dtx, DigitalSilenceSendsOnlyComfortNoiseFromTheStart) {
    const std::vector<float> silence(10 * 48000, 0.0f);
    SendStats stats;
    const auto sent = send_all(dtx_sender(), silence, &stats);
    ASSERT_FALSE(sent.empty());
    for (const Sent& s : sent) {
        EXPECT_TRUE(s.cn()) << "payload type " << int(s.header.payload_type);
        EXPECT_FALSE(s.header.marker);
    }
    EXPECT_EQ(sent.front().header.timestamp, 0u);
    // One at the pause start, then one per 250 ms: 40 in 10 s.
    EXPECT_NEAR(static_cast<double>(sent.size()), 40.0, 1.0);
    EXPECT_EQ(stats.cn_packets, sent.size());
    EXPECT_EQ(stats.dtx_samples, silence.size());
    for (const Sent& s : sent) {
        codec::NoiseDescription noise;
        ASSERT_EQ(net::parse_comfort_noise(s.payload, noise), net::ComfortNoiseParseError::kNone);
        EXPECT_EQ(noise.level_dbov, -127.0);
    }
}

TEST(Dtx, BackgroundNoiseGoesToComfortNoiseAtTheStatedRate) {
    const std::vector<float> in = background_noise(20 * 48000, 0.001);  // -60 dBFS
    const LinkConfig config = dtx_sender();
    const auto sent = send_all(config, in);
    // The VAD decides per packet_ms frame, so a refresh is due at the first frame end after it.
    const auto frame = static_cast<std::uint32_t>(config.network.packet_ms * 48.0);
    // Past the VAD's first floor window (a stream that starts with noise is sent for one window,
    // codec/voice_activity.h), only CN packets, one every 250 ms (never less), under 2 kbit/s.
    std::vector<const Sent*> late;
    for (const Sent& s : sent) {
        if (s.header.timestamp >= 3 * 48000) late.push_back(&s);
    }
    ASSERT_GT(late.size(), 60u);
    double bytes = 0.0;
    for (std::size_t i = 0; i < late.size(); ++i) {
        EXPECT_TRUE(late[i]->cn()) << "at " << late[i]->header.timestamp;
        bytes += static_cast<double>(late[i]->datagram_bytes) + kIpUdpBytes;
        if (i > 0) {
            const std::uint32_t gap = late[i]->header.timestamp - late[i - 1]->header.timestamp;
            EXPECT_GE(gap, kRefreshSamples);
            EXPECT_LE(gap, kRefreshSamples + frame);
        }
    }
    const double seconds =
        static_cast<double>(late.back()->header.timestamp - late.front()->header.timestamp) /
        48000.0;
    EXPECT_LE(bytes * 8.0 / seconds, 2000.0);
    // The level describes the noise: -60 dBFS of uniform noise is about -60 dBov.
    codec::NoiseDescription noise;
    ASSERT_EQ(net::parse_comfort_noise(late.back()->payload, noise),
              net::ComfortNoiseParseError::kNone);
    EXPECT_NEAR(noise.level_dbov, -60.0, 2.0);
    EXPECT_GT(noise.order, 0u);
}

// 3 s of background noise, then three 500 ms bursts 1 s apart.
std::vector<float> three_spurts() {
    std::vector<float> in = background_noise(8 * 48000, 0.001);
    for (std::size_t k = 0; k < 3; ++k) {
        const std::size_t from = (3 + 1.5 * k) * 48000;
        add_burst(in, from, from + 24000);
    }
    return in;
}

TEST(Dtx, MarkerOpensEachTalkSpurtAndNumbersRunOn) {
    const std::vector<float> in = three_spurts();
    SendStats stats;
    const auto sent = send_all(dtx_sender(), in, &stats);
    std::size_t spurts = 0;
    std::uint64_t record_samples = 0;
    for (std::size_t i = 0; i < sent.size(); ++i) {
        if (i > 0) {
            EXPECT_EQ(sent[i].header.sequence,
                      static_cast<std::uint16_t>(sent[i - 1].header.sequence + 1));
            EXPECT_EQ(sent[i].header.ssrc, sent[0].header.ssrc);
        }
        if (sent[i].cn()) continue;
        record_samples += sent[i].samples;
        const bool after_pause = i > 0 && sent[i - 1].cn();
        if (after_pause) {
            ++spurts;
            EXPECT_TRUE(sent[i].header.marker) << "packet " << i;
        }
        // Within a spurt the next packet starts where this one ends.
        if (i + 1 < sent.size() && !sent[i + 1].cn()) {
            EXPECT_EQ(sent[i + 1].header.timestamp, sent[i].header.timestamp + sent[i].samples);
        }
    }
    EXPECT_EQ(spurts, 3u);
    // Every sample of the stream was either sent or skipped, none twice.
    EXPECT_EQ(record_samples + stats.dtx_samples, in.size());
    EXPECT_EQ(stats.cn_packets,
              static_cast<std::uint64_t>(
                  std::count_if(sent.begin(), sent.end(), [](const Sent& s) { return s.cn(); })));
}

TEST(Dtx, SpeechIsSentFromItsOnsetAndThroughTheHangover) {
    const std::vector<float> in = three_spurts();
    const auto sent = send_all(dtx_sender(), in);
    for (std::size_t k = 0; k < 3; ++k) {
        const auto onset = static_cast<std::uint32_t>((3 + 1.5 * k) * 48000);
        // The first records packet at or after the pause before this burst.
        const auto first = std::find_if(sent.begin(), sent.end(), [&](const Sent& s) {
            return !s.cn() && s.header.timestamp + s.samples > onset;
        });
        ASSERT_NE(first, sent.end());
        EXPECT_LE(first->header.timestamp, onset) << "burst " << k << " clipped";
        EXPECT_TRUE(first->header.marker);
        // The burst and the hangover after it (200 ms) are sent without a gap.
        std::uint64_t end = first->header.timestamp;
        for (auto it = first; it != sent.end() && !it->cn(); ++it) end += it->samples;
        EXPECT_GE(end, onset + 24000u + 9600u - kBlock) << "burst " << k;
        EXPECT_LE(end, onset + 24000u + 9600u + 2 * kBlock) << "burst " << k;
    }
}

TEST(Dtx, ComfortNoiseBypassesRedundancy) {
    LinkConfig config = dtx_sender();
    config.network.redundancy = 2;
    const auto sent = send_all(config, three_spurts());
    std::size_t cn = 0;
    std::size_t red = 0;
    for (const Sent& s : sent) {
        if (s.cn()) {
            ++cn;
            EXPECT_LE(s.payload.size(), net::kMaxComfortNoiseBytes);
        } else {
            // RED, or plain where the previous packet does not fit beside this one in the cap.
            EXPECT_TRUE(s.header.payload_type == 97 || s.header.payload_type == 96);
            if (s.header.payload_type == 97) ++red;
        }
    }
    EXPECT_GT(cn, 10u);
    EXPECT_GT(red, 100u);
}

TEST(Dtx, OffSendsEveryPacket) {
    LinkConfig config = dtx_sender();
    config.encoder.dtx = false;
    SendStats stats;
    const auto sent = send_all(config, background_noise(5 * 48000, 0.001), &stats);
    EXPECT_NEAR(static_cast<double>(sent.size()), 5000.0 / config.network.packet_ms, 1.0);
    EXPECT_EQ(stats.cn_packets, 0u);
    EXPECT_EQ(stats.dtx_samples, 0u);
}

}  // namespace
}  // namespace extrema::pipeline
