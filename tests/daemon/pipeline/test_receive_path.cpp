// ReceivePath fed datagrams directly and pulled as a sink pulls it: silence before the first
// packet is not counted as anything; and under SRTP, someone holding the key floods new SSRCs,
// before and while a sender is locked. The flood is refused by the SSRC lock before SRTP, keeps
// no libsrtp2 stream, and the real sender plays on. With RFC 2198 redundancy from a real
// SendPath, lost packets play from their copies exactly and count as repaired, not as less loss.
#include "pipeline/receive_path.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <numbers>
#include <set>
#include <utility>
#include <vector>

#include "extrema/codec/decoder.h"
#include "extrema/codec/record.h"
#include "net/red_payload.h"
#include "net/rtp_header.h"
#include "net/wire_limits.h"
#include "pipeline/send_path.h"
#include "temp_dir.h"

namespace extrema::pipeline {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using extrema::test::TempDir;

const asio::ip::udp::endpoint kPeer(asio::ip::make_address("127.0.0.1"), 5004);
const net::Clock::time_point kT0 = net::Clock::time_point{} + 1h;

// One 10 ms packet (anchor + a 480-sample curve), in clear.
std::vector<std::uint8_t> plain_packet(std::uint32_t ssrc, std::uint16_t sequence) {
    const std::vector<codec::Record> records = {codec::Record::anchor(0),
                                                codec::Record::curve(3, 480, 1000)};
    std::vector<std::uint8_t> bytes(net::kRtpHeaderBytes + records.size() * codec::kRecordBytes);
    const net::RtpHeader header{false, 96, sequence, sequence * 480u, ssrc};
    net::pack_rtp_header(header, std::span<std::uint8_t>(bytes).first<net::kRtpHeaderBytes>());
    codec::pack_records(records, std::span<std::uint8_t>(bytes).subspan(net::kRtpHeaderBytes));
    return bytes;
}

// A sink pulls from the moment it starts, long before the first packet. Until playout starts
// that is silence, neither concealment nor anything else the stats would blame; it is the lead
// before the first timeline sample, which then plays.
TEST(ReceivePath, PullsSilenceUncountedUntilPlayoutStarts) {
    LinkConfig config;
    config.mode = LinkMode::kReceive;
    ReceivePath path(config, {kPeer}, false);
    std::vector<float> period(64, 1.0f);
    for (int i = 0; i < 50; ++i) {
        path.read(period);
        ASSERT_TRUE(std::all_of(period.begin(), period.end(), [](float x) { return x == 0.0f; }));
    }
    ReceiveStats waiting;
    path.fill_stats(waiting);
    EXPECT_EQ(waiting.output_samples, 50u * period.size());
    EXPECT_EQ(waiting.concealed_samples, 0u);
    EXPECT_EQ(waiting.played_samples, 0u);
    EXPECT_FALSE(path.lead_samples().has_value());

    // Four 10 ms packets: more than the jitter target, so the next pull starts playout.
    auto now = kT0;
    for (std::uint16_t sequence = 1; sequence <= 4; ++sequence, now += 10ms) {
        auto bytes = plain_packet(0xC0FFEE, sequence);
        path.on_datagram(bytes, bytes.size(), kPeer, now);
    }
    path.read(period);
    ASSERT_TRUE(path.lead_samples().has_value());
    EXPECT_EQ(*path.lead_samples(), 50u * period.size());
    EXPECT_TRUE(std::any_of(period.begin(), period.end(), [](float x) { return x != 0.0f; }));
    ReceiveStats playing;
    path.fill_stats(playing);
    EXPECT_EQ(playing.concealed_samples, 0u);
    EXPECT_EQ(playing.played_samples, period.size());
}

// One 10 ms packet (anchor + a 480-sample curve), SRTP-protected by `srtp`.
std::vector<std::uint8_t> protected_packet(net::SrtpSession& srtp, std::uint32_t ssrc,
                                           std::uint16_t sequence, int payload_type = 96) {
    const std::vector<codec::Record> records = {codec::Record::anchor(0),
                                                codec::Record::curve(3, 480, 1000)};
    std::vector<std::uint8_t> bytes(net::kRtpHeaderBytes + records.size() * codec::kRecordBytes +
                                    net::kSrtpTrailerRoomBytes);
    const net::RtpHeader header{false, static_cast<std::uint8_t>(payload_type), sequence,
                                sequence * 480u, ssrc};
    net::pack_rtp_header(header, std::span<std::uint8_t>(bytes).first<net::kRtpHeaderBytes>());
    codec::pack_records(records, std::span<std::uint8_t>(bytes).subspan(net::kRtpHeaderBytes));
    std::size_t length = net::kRtpHeaderBytes + records.size() * codec::kRecordBytes;
    EXPECT_TRUE(srtp.protect(bytes, length));
    bytes.resize(length);
    return bytes;
}

struct Fixture {
    TempDir dir;
    LinkConfig config;
    Fixture() {
        std::ofstream(dir / "key") << std::string(60, 'a') << "\n";
        config.mode = LinkMode::kReceive;
        config.network.srtp_key_file = (dir / "key").string();
    }
    net::SrtpKey key() const { return net::read_srtp_key_file(dir / "key"); }
};

std::size_t drops(ReceivePath& path, net::DropReason reason) {
    ReceiveStats stats;
    path.fill_stats(stats);
    return stats.drops[static_cast<std::size_t>(reason)];
}

TEST(ReceivePath, SrtpFloodOfNewSsrcsKeepsNoStreamsAndTheSenderPlaysOn) {
    Fixture f;
    ReceivePath path(f.config, {kPeer}, false);
    net::SrtpSession real(f.key(), net::SrtpDirection::kSend);
    std::unique_ptr<net::SrtpSession> flooder;
    constexpr std::uint32_t kReal = 0xC0FFEE;
    constexpr std::uint32_t kFlood = 20000;
    auto now = kT0;

    // Before anyone is locked: authenticated packets that fail validation (another payload
    // type) keep no stream either.
    for (std::uint32_t i = 0; i < 1000; ++i) {
        if (i % 256 == 0)
            flooder = std::make_unique<net::SrtpSession>(f.key(), net::SrtpDirection::kSend);
        auto bytes = protected_packet(*flooder, 0x1000000 + i, 1, 99);
        path.on_datagram(bytes, bytes.size(), kPeer, now);
    }
    EXPECT_EQ(drops(path, net::DropReason::kPayloadType), 1000u);
    EXPECT_EQ(path.srtp()->stream_count(), 0u);

    std::uint16_t sequence = 1;
    for (std::uint32_t i = 0; i < kFlood; ++i) {
        if (i % 100 == 0) {
            now += 10ms;
            auto bytes = protected_packet(real, kReal, sequence++);
            path.on_datagram(bytes, bytes.size(), kPeer, now);
        }
        if (i % 256 == 0)
            flooder = std::make_unique<net::SrtpSession>(f.key(), net::SrtpDirection::kSend);
        auto bytes = protected_packet(*flooder, 0x10000 + i, 1);
        path.on_datagram(bytes, bytes.size(), kPeer, now);
    }
    ReceiveStats stats;
    path.fill_stats(stats);
    EXPECT_EQ(stats.packets, kFlood / 100);
    EXPECT_EQ(stats.drops[static_cast<std::size_t>(net::DropReason::kForeignSsrc)], kFlood);
    EXPECT_EQ(stats.drops[static_cast<std::size_t>(net::DropReason::kAuth)], 0u);
    EXPECT_EQ(path.srtp()->stream_count(), 1u);
    EXPECT_TRUE(path.srtp()->has_stream(kReal));
    std::size_t flood_streams = 0;
    for (std::uint32_t i = 0; i < kFlood; ++i)
        flood_streams += path.srtp()->has_stream(0x10000 + i);
    EXPECT_EQ(flood_streams, 0u);

    // The real sender falls silent: after ssrc_timeout_ms another may take over, one at a time,
    // and the table stays within its cap.
    for (std::uint32_t i = 0; i < 3 * net::kMaxSrtpStreams; ++i) {
        now += 2s;
        flooder = std::make_unique<net::SrtpSession>(f.key(), net::SrtpDirection::kSend);
        auto bytes = protected_packet(*flooder, 0x2000000 + i, 1);
        path.on_datagram(bytes, bytes.size(), kPeer, now);
        EXPECT_EQ(path.srtp()->stream_count(), std::min<std::size_t>(i + 2, net::kMaxSrtpStreams));
    }
}

// DTLS-SRTP keys: nothing is taken before the first session's keys; after a new handshake the
// previous session's packets are still taken (the sender switches a round trip later), those of
// the session before that are not.
TEST(ReceivePath, DtlsSessionKeysReplaceEachOtherWithOneSessionOfOverlap) {
    Fixture f;
    f.config.network.dtls = "server";
    ReceivePath path(f.config, {kPeer}, false);
    const auto key = [](std::uint8_t fill) {
        net::SrtpKey k{};
        k.fill(fill);
        return k;
    };
    net::SrtpSession first(key(1), net::SrtpDirection::kSend);
    net::SrtpSession second(key(2), net::SrtpDirection::kSend);
    constexpr std::uint32_t kSsrc = 0xC0FFEE;
    std::uint16_t sequence = 1;
    auto now = kT0;
    const auto deliver = [&](net::SrtpSession& srtp) {
        now += 10ms;
        auto bytes = protected_packet(srtp, kSsrc, sequence++);
        path.on_datagram(bytes, bytes.size(), kPeer, now);
        ReceiveStats stats;
        path.fill_stats(stats);
        return stats.packets;
    };
    EXPECT_EQ(deliver(first), 0u);  // no keys yet
    EXPECT_EQ(drops(path, net::DropReason::kAuth), 1u);
    path.set_srtp_key(key(1));
    EXPECT_EQ(deliver(first), 1u);
    path.set_srtp_key(key(2));
    EXPECT_EQ(deliver(first), 2u);  // the sender has not switched yet
    EXPECT_EQ(deliver(second), 3u);
    path.set_srtp_key(key(3));
    EXPECT_EQ(deliver(second), 4u);
    EXPECT_EQ(deliver(first), 4u);  // two sessions ago
    EXPECT_EQ(drops(path, net::DropReason::kAuth), 2u);
}

}  // namespace
}  // namespace extrema::pipeline

// ---- RFC 2198 redundancy, SendPath -> ReceivePath ----

namespace extrema::pipeline {
namespace {

// A voice-like signal: a tone whose level swells and dies every 100 ms (curves and silences).
std::vector<float> swelling_tone(std::size_t samples) {
    std::vector<float> out(samples);
    for (std::size_t i = 0; i < samples; ++i) {
        const double t = static_cast<double>(i) / 48000.0;
        const double envelope = std::max(0.0, std::sin(2.0 * 3.14159265358979 * 5.0 * t));
        out[i] = static_cast<float>(0.4 * envelope * std::sin(2.0 * 3.14159265358979 * 220.0 * t));
    }
    return out;
}

// The loss patterns below and the delivery (a datagram per 10 ms of playout) count 10 ms packets.
constexpr double kPacketMs = 10.0;

// The datagrams this sender sends for the signal.
std::vector<std::vector<std::uint8_t>> sent_datagrams(const LinkConfig& config,
                                                      const std::vector<float>& in) {
    std::vector<std::vector<std::uint8_t>> datagrams;
    SendPath send(config, [&](std::span<const std::uint8_t> datagram) {
        datagrams.emplace_back(datagram.begin(), datagram.end());
        return true;
    });
    std::vector<float> block(480);
    for (std::size_t at = 0; at + block.size() <= in.size(); at += block.size()) {
        std::copy_n(in.begin() + static_cast<std::ptrdiff_t>(at), block.size(), block.begin());
        send.push(block);
    }
    send.flush();
    return datagrams;
}

// The datagrams a sender with this redundancy sends for the signal.
std::vector<std::vector<std::uint8_t>> sent_datagrams(int redundancy,
                                                      const std::vector<float>& in) {
    LinkConfig config;
    config.mode = LinkMode::kSend;
    config.network.packet_ms = kPacketMs;
    config.encoder.dtx = false;  // a packet every 10 ms, as the loss patterns assume
    config.network.redundancy = redundancy;
    return sent_datagrams(config, in);
}

// Delivers the datagrams one per 10 ms of playout, skipping those `lost` says, and returns what
// played and the receiver's figures.
std::pair<std::vector<float>, ReceiveStats> received(
    const std::vector<std::vector<std::uint8_t>>& datagrams,
    const std::function<bool(std::size_t)>& lost) {
    LinkConfig config;
    config.mode = LinkMode::kReceive;
    config.network.packet_ms = kPacketMs;
    config.receiver.latency = "fixed";
    config.receiver.jitter_target_ms = 40.0;  // room for a copy that comes 3 packets later
    config.receiver.drift_correction = false;
    ReceivePath path(config, {kPeer}, false);
    std::vector<float> out;
    std::vector<float> period(480);
    auto now = kT0;
    for (std::size_t i = 0; i < datagrams.size() + 10; ++i, now += 10ms) {
        if (i < datagrams.size() && !lost(i)) {
            auto bytes = datagrams[i];
            path.on_datagram(bytes, bytes.size(), kPeer, now);
        }
        path.read(period);
        out.insert(out.end(), period.begin(), period.end());
    }
    path.settle();
    ReceiveStats stats;
    path.fill_stats(stats);
    return {out, stats};
}

TEST(ReceivePathRedundancy, RepairsLossesUpToTheLevelExactly) {
    const std::vector<float> in = swelling_tone(48000);
    const auto plain = sent_datagrams(0, in);
    const auto red = sent_datagrams(2, in);
    ASSERT_EQ(plain.size(), red.size());
    ASSERT_GT(red.size(), 90u);
    const auto [clean, clean_stats] = received(plain, [](std::size_t) { return false; });
    // Only the underrun after the last packet is concealed.
    EXPECT_LE(clean_stats.concealed_samples, 10u * 480u);

    // Single losses and pairs in a row: all within two redundant blocks.
    const std::set<std::size_t> lost_set = {13, 23, 30, 31, 47, 55, 56, 70, 81, 82, 90};
    const auto lost = [&](std::size_t i) { return lost_set.count(i) > 0; };
    const std::size_t lost_count = lost_set.size();
    const auto [repaired, stats] = received(red, lost);
    EXPECT_EQ(stats.lost, lost_count);  // the network's loss, as RTCP reports it
    EXPECT_EQ(stats.repaired, lost_count);
    EXPECT_EQ(stats.duplicate, 0u);
    EXPECT_EQ(stats.late, 0u);
    EXPECT_EQ(stats.packets, red.size() - lost_count);
    EXPECT_EQ(stats.concealed_samples, clean_stats.concealed_samples);
    EXPECT_EQ(repaired, clean);  // what played is the lossless run, sample for sample

    // Without redundancy the same loss is concealed.
    const auto [concealed, plain_stats] = received(plain, lost);
    EXPECT_EQ(plain_stats.repaired, 0u);
    EXPECT_GT(plain_stats.concealed_samples, clean_stats.concealed_samples);
    EXPECT_NE(concealed, clean);
}

TEST(ReceivePathRedundancy, ThreeLossesInARowNeedLevelThree) {
    const std::vector<float> in = swelling_tone(24000);
    const auto lost = [](std::size_t i) { return i >= 20 && i < 23; };
    const auto [clean, clean_stats] =
        received(sent_datagrams(0, in), [](std::size_t) { return false; });
    const auto [two_out, two] = received(sent_datagrams(2, in), lost);
    EXPECT_EQ(two.lost, 3u);
    EXPECT_EQ(two.repaired, 2u);  // packet 20's copies went with 21 and 22, lost too
    EXPECT_GT(two.concealed_samples, clean_stats.concealed_samples);
    const auto [three_out, three] = received(sent_datagrams(3, in), lost);
    EXPECT_EQ(three.repaired, 3u);
    EXPECT_EQ(three.concealed_samples, clean_stats.concealed_samples);
    EXPECT_EQ(three_out, clean);
}

// The samples a receiver plays for these records (a packet's or a block's).
std::vector<float> played(std::span<const std::uint8_t> payload) {
    std::vector<codec::Record> records;
    for (std::size_t at = 0; at + codec::kRecordBytes <= payload.size();
         at += codec::kRecordBytes) {
        records.push_back(codec::unpack_record(payload.subspan(at).first<codec::kRecordBytes>()));
    }
    std::vector<float> out;
    for (const std::int16_t v : codec::decode_all(records)) out.push_back(v / codec::kFullScale);
    return out;
}

// network.redundancy_kbps: a lost packet plays from its block, the second encoder's records of
// its span (not the packet's own), and from the next packet on the output is the lossless run's.
TEST(ReceivePathRedundancy, RepairsFromLowRateBlocksWithoutShiftingTheTimeline) {
    LinkConfig config;
    config.mode = LinkMode::kSend;
    config.encoder.dtx = false;
    config.encoder.codec.target_kbps = 64.0;
    config.encoder.codec.max_segment_ms = 5.0;
    config.network.packet_ms = kPacketMs;  // a packet per 10 ms of playout, as received() delivers
    config.network.redundancy = 1;
    config.network.redundancy_kbps = 16.0;
    // The swelling tone with harmonics up to 1.76 kHz: more detail than 16 kbps keeps.
    std::vector<float> in(48000);
    for (std::size_t i = 0; i < in.size(); ++i) {
        const double t = static_cast<double>(i) / 48000.0;
        const double envelope = std::max(0.0, std::sin(2.0 * std::numbers::pi * 5.0 * t));
        double voice = 0.0;
        for (int h = 1; h <= 8; ++h) voice += std::sin(2.0 * std::numbers::pi * 220.0 * h * t) / h;
        in[i] = static_cast<float>(0.2 * envelope * voice);
    }
    const auto datagrams = sent_datagrams(config, in);
    ASSERT_GT(datagrams.size(), 90u);
    const auto [clean, clean_stats] = received(datagrams, [](std::size_t) { return false; });
    // In the tone's bursts (the first 10 packets of every 20).
    const std::set<std::size_t> lost_set = {5, 24, 43, 66};
    const auto [repaired, stats] =
        received(datagrams, [&](std::size_t i) { return lost_set.count(i) > 0; });
    EXPECT_EQ(stats.lost, lost_set.size());
    EXPECT_EQ(stats.repaired, lost_set.size());
    EXPECT_EQ(stats.concealed_samples, clean_stats.concealed_samples);
    ASSERT_EQ(repaired.size(), clean.size());

    const auto payload = [](const std::vector<std::uint8_t>& datagram) {
        net::RtpPacketView view;
        EXPECT_EQ(net::parse_rtp_packet(datagram, view), net::RtpParseError::kNone);
        net::RedPayloadView red;
        EXPECT_EQ(net::parse_red_payload(view.payload, red), net::RedParseError::kNone);
        return std::pair{view.header.timestamp, red};
    };
    // Where the timeline starts in the output: the clean run plays the first lost packet's own
    // records there.
    const auto [first_timestamp, first_red] = payload(datagrams[*lost_set.begin()]);
    const std::vector<float> first = played(first_red.primary.data);
    std::size_t lead = 0;
    for (; lead + first_timestamp + first.size() <= clean.size(); ++lead) {
        if (std::equal(first.begin(), first.end(), clean.begin() + lead + first_timestamp)) break;
    }
    ASSERT_LT(lead + first_timestamp + first.size(), clean.size()) << "timeline not found";

    std::vector<bool> in_lost_span(repaired.size(), false);
    for (const std::size_t k : lost_set) {
        const auto [timestamp, own] = payload(datagrams[k]);
        const auto [next_timestamp, carrier] = payload(datagrams[k + 1]);
        ASSERT_EQ(carrier.redundant_count, 1u);
        EXPECT_EQ(next_timestamp - carrier.redundant()[0].timestamp_offset, timestamp);
        const std::vector<float> low = played(carrier.redundant()[0].data);
        const std::vector<float> high = played(own.primary.data);
        ASSERT_EQ(low.size(), high.size()) << k;
        EXPECT_NE(low, high) << k;
        EXPECT_LT(carrier.redundant()[0].data.size(), own.primary.data.size()) << k;
        const auto at = static_cast<std::ptrdiff_t>(lead + timestamp);
        EXPECT_TRUE(std::equal(high.begin(), high.end(), clean.begin() + at)) << k;
        EXPECT_TRUE(std::equal(low.begin(), low.end(), repaired.begin() + at)) << k;
        std::fill_n(in_lost_span.begin() + at, low.size(), true);
    }
    std::size_t differing = 0;
    for (std::size_t i = 0; i < repaired.size(); ++i) {
        if (!in_lost_span[i] && repaired[i] != clean[i]) ++differing;
    }
    EXPECT_EQ(differing, 0u);
}

// network.redundancy = auto: plain packets until the peer reports loss, RED from the next packet
// on, plain again after the quiet reports.
TEST(SendPathRedundancy, AutoFollowsTheReportedLoss) {
    LinkConfig config;
    config.mode = LinkMode::kSend;
    config.network.redundancy_auto = true;
    std::vector<std::uint8_t> last_types;
    SendPath send(config, [&](std::span<const std::uint8_t> datagram) {
        last_types.push_back(datagram[1] & 0x7f);
        return true;
    });
    const std::vector<float> in = swelling_tone(4800);
    const auto push_all = [&] {
        last_types.clear();
        std::vector<float> copy = in;
        send.push(copy);
        return last_types;
    };
    const auto only = [](const std::vector<std::uint8_t>& types, std::uint8_t type) {
        return !types.empty() &&
               std::all_of(types.begin(), types.end(), [&](std::uint8_t t) { return t == type; });
    };
    EXPECT_TRUE(only(push_all(), 96));
    send.on_loss_report(0.0);
    EXPECT_TRUE(only(push_all(), 96));
    send.on_loss_report(0.05);
    EXPECT_EQ(send.redundancy(), 2u);
    EXPECT_TRUE(only(push_all(), 97));
    for (std::size_t i = 0; i < net::RedundancyPolicy::kQuietReports; ++i) send.on_loss_report(0.0);
    EXPECT_EQ(send.redundancy(), 0u);
    EXPECT_TRUE(only(push_all(), 96));
    SendStats stats;
    send.fill_stats(stats);
    EXPECT_GT(stats.redundant_blocks, 0u);
    EXPECT_EQ(stats.redundancy, 0);
}

// A fixed level ignores the reports.
TEST(SendPathRedundancy, FixedLevelIgnoresReports) {
    LinkConfig config;
    config.mode = LinkMode::kSend;
    config.network.redundancy = 1;
    SendPath send(config, [](std::span<const std::uint8_t>) { return true; });
    send.on_loss_report(0.3);
    EXPECT_EQ(send.redundancy(), 1u);
}

}  // namespace
}  // namespace extrema::pipeline
