// The receive path as the playback callback runs it, through lost packets and an underrun:
// concealment (codec::LossConcealer: pitch search, substitution, merge) and repair from RFC 2198
// redundant copies make no allocation, lock or system call. rt_counters.cpp replaces the allocator,
// so this binary is not built under the sanitizers.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "audio/rt_guard.h"
#include "dtx_signals.h"
#include "extrema/codec/record.h"
#include "net/red_encoder.h"
#include "net/rtp_header.h"
#include "pipeline/receive_path.h"
#include "pipeline/send_path.h"
#include "rt_counters.h"

namespace extrema::pipeline {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

const asio::ip::udp::endpoint kPeer(asio::ip::make_address("127.0.0.1"), 5004);
const net::Clock::time_point kT0 = net::Clock::time_point{} + 1h;

// One 10 ms packet: an anchor and a swing up and down (a 100 Hz wave, voiced-like), in clear.
std::vector<std::uint8_t> packet(std::uint16_t sequence) {
    const std::vector<codec::Record> records = {codec::Record::anchor(-8000),
                                                codec::Record::curve(1, 240, 8000),
                                                codec::Record::curve(1, 240, -8000)};
    std::vector<std::uint8_t> bytes(net::kRtpHeaderBytes + records.size() * codec::kRecordBytes);
    const net::RtpHeader header{false, 96, sequence, sequence * 480u, 0xC0FFEE};
    net::pack_rtp_header(header, std::span<std::uint8_t>(bytes).first<net::kRtpHeaderBytes>());
    codec::pack_records(records, std::span<std::uint8_t>(bytes).subspan(net::kRtpHeaderBytes));
    return bytes;
}

// Adds the calls `work` makes inside a real-time scope to `total`.
template <typename Work>
void count_realtime(audio::test::RtCounts& total, Work&& work) {
    const audio::test::RtCounts before = audio::test::rt_counts();
    {
        const audio::RealtimeScope realtime;
        work();
    }
    total += audio::test::rt_counts() - before;
}

void expect_no_realtime_calls(const audio::test::RtCounts& counts) {
    EXPECT_EQ(counts.allocations, 0u);
    EXPECT_EQ(counts.frees, 0u);
    EXPECT_EQ(counts.locks, 0u);
    EXPECT_EQ(counts.syscalls, 0u);
}

TEST(ReceivePathRealtime, ConcealingGapsAndUnderrunsIsRealtimeSafe) {
    LinkConfig config;
    config.mode = LinkMode::kReceive;
    ReceivePath path(config, {kPeer}, false);
    auto now = kT0;
    for (std::uint16_t sequence = 1; sequence <= 40; ++sequence, now += 10ms) {
        if (sequence % 4 == 0 || (sequence > 20 && sequence < 28)) continue;  // lost
        auto bytes = packet(sequence);
        path.on_datagram(bytes, bytes.size(), kPeer, now);
    }
    std::vector<float> period(64);
    audio::test::RtCounts in_scope{};
    count_realtime(in_scope, [&] {
        for (int i = 0; i < 400; ++i) path.read(period);  // 533 ms: past the last packet
    });
    expect_no_realtime_calls(in_scope);
    ReceiveStats stats;
    path.fill_stats(stats);
    EXPECT_GT(stats.concealed_samples, 10u * 480u);  // the gaps and the underrun were concealed
    EXPECT_GT(stats.played_samples, 20u * 480u);
}

// The adaptive path as the playback callback runs it: packets arrive with up to 60 ms of jitter
// between the pulls, so the target rises, the tuner stretches the level up through the resampler
// and the arrival statistics are selected every 100 ms. Every read() is inside a real-time scope.
TEST(ReceivePathRealtime, AdaptiveTargetAndResamplingAreRealtimeSafe) {
    LinkConfig config;
    config.mode = LinkMode::kReceive;
    ASSERT_EQ(config.receiver.latency, "adaptive");
    ReceivePath path(config, {kPeer}, false);
    std::vector<float> period(240);  // 5 ms
    std::uint64_t state = 12345;
    const auto jitter_ms = [&state] {  // a small LCG: no allocation, reproducible
        state = state * 6364136223846793005u + 1442695040888963407u;
        return static_cast<int>((state >> 33) % 61);
    };
    std::vector<std::pair<int, std::uint16_t>> in_flight;  // arrival (ms), sequence
    in_flight.reserve(1000);
    audio::test::RtCounts in_scope{};
    for (int ms = 0; ms < 4000; ms += 5) {
        if (ms % 10 == 0) {
            const auto sequence = static_cast<std::uint16_t>(ms / 10 + 1);
            in_flight.emplace_back(ms + jitter_ms(), sequence);
        }
        for (auto it = in_flight.begin(); it != in_flight.end();) {
            if (it->first > ms) {
                ++it;
                continue;
            }
            auto bytes = packet(it->second);
            path.on_datagram(bytes, bytes.size(), kPeer,
                             kT0 + std::chrono::milliseconds(it->first));
            it = in_flight.erase(it);
        }
        count_realtime(in_scope, [&] { path.read(period); });
    }
    expect_no_realtime_calls(in_scope);
    // The adaptive path really ran: the target rose above its floor for the jitter.
    EXPECT_GT(path.target_delay_ms(), config.receiver.adaptive.min_latency_ms + 30.0);
}

// RED packets (two redundant blocks each) with losses: filing the copies and playing them in the
// lost packets' place is as real-time safe as concealing.
TEST(ReceivePathRealtime, RepairingFromRedundancyIsRealtimeSafe) {
    LinkConfig config;
    config.mode = LinkMode::kReceive;
    ReceivePath path(config, {kPeer}, false);
    net::RedEncoder red(net::RedEncoderConfig{});
    auto now = kT0;
    for (std::uint16_t sequence = 1; sequence <= 40; ++sequence, now += 10ms) {
        auto bytes = packet(sequence);
        bytes.resize(net::kRtpHeaderBytes + net::kMaxPayloadBytes + net::kSrtpTrailerRoomBytes);
        net::OutgoingPacket outgoing;
        outgoing.buffer = bytes;
        outgoing.size_bytes = net::kRtpHeaderBytes + 3 * codec::kRecordBytes;
        outgoing.header = net::RtpHeader{false, 96, sequence, sequence * 480u, 0xC0FFEE};
        red.process(outgoing, 2);
        if (sequence % 4 == 0) continue;  // lost
        std::vector<std::uint8_t> datagram(outgoing.bytes().begin(), outgoing.bytes().end());
        path.on_datagram(datagram, datagram.size(), kPeer, now);
    }
    std::vector<float> period(64);
    audio::test::RtCounts in_scope{};
    count_realtime(in_scope, [&] {
        for (int i = 0; i < 400; ++i) path.read(period);
    });
    expect_no_realtime_calls(in_scope);
    ReceiveStats stats;
    path.fill_stats(stats);
    // Packets 4, 8, ..., 36 came back from the next one; 40, the last, was never seen at all.
    EXPECT_EQ(stats.repaired, 9u);
    EXPECT_EQ(stats.lost, 9u);
}

// network.redundancy_kbps: the second encoder and its frames run on the network thread too; with
// DTX, two blocks a packet and capture blocks of every size, pushing allocates nothing either.
TEST(SendPathRealtime, LowRateBlocksAreRealtimeSafe) {
    LinkConfig config;
    config.mode = LinkMode::kSend;
    config.encoder.dtx = true;
    config.encoder.codec.target_kbps = 64.0;
    config.network.packet_ms = 10.0;
    config.network.redundancy = 2;
    config.network.redundancy_kbps = 16.0;
    std::size_t red = 0;
    SendPath send(config, [&](std::span<const std::uint8_t> datagram) {
        if ((datagram[1] & 0x7f) == config.network.red_payload_type) ++red;
        return true;
    });
    std::vector<float> in = test::background_noise(4 * 48000, 0.001);
    test::add_burst(in, 1 * 48000, 1 * 48000 + 19200);
    test::add_burst(in, 3 * 48000, 3 * 48000 + 19200);
    std::vector<float> block(4096);
    audio::test::RtCounts in_scope{};
    std::size_t at = 0;
    for (std::size_t i = 0; at < in.size(); ++i) {
        const std::size_t n = std::min<std::size_t>(in.size() - at, 1 + (i * 997) % 4096);
        std::copy_n(in.begin() + static_cast<std::ptrdiff_t>(at), n, block.begin());
        count_realtime(in_scope, [&] { send.push(std::span<float>(block).first(n)); });
        at += n;
    }
    expect_no_realtime_calls(in_scope);
    SendStats stats;
    send.fill_stats(stats);
    EXPECT_GT(red, 50u);
    EXPECT_GT(stats.redundant_blocks, 50u);
    // Talk spurts start on grid lines: every block is the low-rate encoder's.
    EXPECT_EQ(stats.redundant_copied, 0u);
}

// DTX on both ends: a real SendPath gating background noise and bursts (VAD, noise estimate, CN
// packets, skips) and a ReceivePath playing comfort noise through the pauses, every push and
// read inside a real-time scope.
TEST(ReceivePathRealtime, DtxBothWaysIsRealtimeSafe) {
    LinkConfig send_config;
    send_config.mode = LinkMode::kSend;
    ASSERT_TRUE(send_config.encoder.dtx);
    std::size_t cn = 0;
    std::size_t sent = 0;
    SendPath send(send_config, [&](std::span<const std::uint8_t> datagram) {
        ++sent;
        if ((datagram[1] & 0x7f) == 13) ++cn;
        return true;
    });
    std::vector<float> in = test::background_noise(6 * 48000, 0.001);
    test::add_burst(in, 2 * 48000, 2 * 48000 + 19200);
    test::add_burst(in, 4 * 48000, 4 * 48000 + 19200);
    std::vector<float> block(480);
    audio::test::RtCounts in_scope{};
    for (std::size_t at = 0; at + block.size() <= in.size(); at += block.size()) {
        std::copy_n(in.begin() + static_cast<std::ptrdiff_t>(at), block.size(), block.begin());
        count_realtime(in_scope, [&] { send.push(block); });
    }
    expect_no_realtime_calls(in_scope);
    EXPECT_GT(cn, 5u);
    EXPECT_LT(sent, 600u);

    // The receiver: a records packet, a CN packet, a 600 ms pause with refreshes, a packet.
    LinkConfig config;
    config.mode = LinkMode::kReceive;
    ReceivePath path(config, {kPeer}, false);
    auto now = kT0;
    std::uint16_t sequence = 1;
    for (; sequence <= 10; ++sequence, now += 10ms) {
        auto bytes = packet(sequence);
        path.on_datagram(bytes, bytes.size(), kPeer, now);
    }
    const auto cn_datagram = [&](std::uint32_t timestamp) {
        std::vector<std::uint8_t> bytes(net::kRtpHeaderBytes + 3);
        const net::RtpHeader header{false, 13, sequence++, timestamp, 0xC0FFEE};
        net::pack_rtp_header(header, std::span<std::uint8_t>(bytes).first<net::kRtpHeaderBytes>());
        bytes[12] = 45;
        bytes[13] = 150;
        bytes[14] = 110;
        return bytes;
    };
    for (std::uint32_t k = 0; k < 3; ++k) {
        auto bytes = cn_datagram(11 * 480 + k * 12000);
        path.on_datagram(bytes, bytes.size(), kPeer, now);
    }
    std::vector<float> period(64);
    audio::test::RtCounts reading{};
    count_realtime(reading, [&] {
        for (int i = 0; i < 600; ++i) path.read(period);  // 800 ms: into the pause
    });
    expect_no_realtime_calls(reading);
    ReceiveStats stats;
    path.fill_stats(stats);
    EXPECT_GT(stats.dtx_samples, 20000u);
    EXPECT_EQ(stats.cn_packets, 3u);
}

}  // namespace
}  // namespace extrema::pipeline
