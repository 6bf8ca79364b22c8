// Link end to end on this machine: real UDP sockets on 127.0.0.1, file and tone endpoints, and
// every bad set-up the daemon can meet, each a clear error with nothing left running.
#include "pipeline/link.h"

#include <dirent.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <limits>
#include <optional>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "audio/audio_backend.h"
#include "audio/sound_file.h"
#include "audio_test_support.h"
#include "link_test_configs.h"
#include "net/rtcp_packet.h"
#include "net/srtp_session.h"
#include "net/udp_socket.h"
#include "net/wire_limits.h"
#include "pipeline/network_loop.h"
#include "temp_dir.h"
#include "udp_ports.h"

namespace extrema::pipeline {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using daemon::testing::BoundUdpPort;
using extrema::test::TempDir;
using test::tone_sender;

std::string loopback(int port) {
    return "127.0.0.1:" + std::to_string(port);
}

int thread_count() {
    int count = 0;
    if (DIR* dir = ::opendir("/proc/self/task")) {
        while (const dirent* entry = ::readdir(dir)) count += entry->d_name[0] != '.';
        ::closedir(dir);
    }
    return count;
}

LinkConfig file_receiver(const std::filesystem::path& output) {
    LinkConfig config;
    config.mode = LinkMode::kReceive;
    config.audio.output = OutputKind::kFile;
    config.audio.output_file = output.string();
    config.network.bind = "127.0.0.1:0";
    config.network.allow = {"127.0.0.1"};
    config.receiver.drift_correction = false;  // one clock on one machine
    return config;
}

std::string address_of(const Link& link) {
    return loopback(link.local_endpoint().port());
}

// Packets a sender of `config` fills in `span` of audio: the counts below ask for a share of it,
// the rest being start-up (a handshake, the first capture) and a loaded machine's delays.
std::uint64_t packets_in(std::chrono::milliseconds span, const LinkConfig& config) {
    return static_cast<std::uint64_t>(static_cast<double>(span.count()) / config.network.packet_ms);
}

// Starts the receiver, then the sender; stops the sender after `sending` and the receiver once
// the last packets had time to arrive.
void run_pair(Link& receiver, Link& sender, std::chrono::milliseconds sending) {
    receiver.start();
    sender.start();
    std::this_thread::sleep_for(sending);
    sender.stop();
    std::this_thread::sleep_for(100ms);  // the last packets are still on their way
    receiver.stop();
}

float peak(const std::vector<float>& samples) {
    float p = 0.0f;
    for (const float s : samples) p = std::max(p, std::abs(s));
    return p;
}

TEST(Link, ToneArrivesAtTheReceiver) {
    TempDir dir;
    Link receiver(file_receiver(dir / "out.wav"));
    Link sender(tone_sender(address_of(receiver)));
    run_pair(receiver, sender, 400ms);
    const LinkStats tx = sender.stats();
    const LinkStats rx = receiver.stats();
    EXPECT_GT(tx.send.packets, packets_in(400ms, sender.config()) / 2);
    EXPECT_EQ(rx.receive.packets, tx.send.packets);
    EXPECT_EQ(rx.receive.lost, 0u);
    EXPECT_TRUE(rx.receive.locked);
    const audio::SoundData out = audio::read_sound_file(dir / "out.wav");
    // -20 dBFS tone: 0.1 peak, within the codec's error.
    EXPECT_NEAR(peak(out.samples), 0.1f, 0.01f);
}

TEST(Link, DuplexPeersHearEachOther) {
    TempDir dir;
    // Reserve two free ports, then free them for the links (each needs the other's address).
    BoundUdpPort a_port;
    BoundUdpPort b_port;
    const std::string a_addr = loopback(a_port.port());
    const std::string b_addr = loopback(b_port.port());
    a_port.close();
    b_port.close();
    LinkConfig a = tone_sender(b_addr);
    a.mode = LinkMode::kDuplex;
    a.network.bind = a_addr;
    a.audio.output = OutputKind::kFile;
    a.audio.output_file = (dir / "a.wav").string();
    a.receiver.drift_correction = false;
    LinkConfig b = a;
    b.network.bind = b_addr;
    b.network.peer = a_addr;
    b.audio.tone_hz = 1000.0;
    b.audio.output_file = (dir / "b.wav").string();
    Link link_a(a);
    Link link_b(b);
    link_a.start();
    link_b.start();
    std::this_thread::sleep_for(400ms);
    link_a.stop();
    link_b.stop();
    EXPECT_GT(link_a.stats().receive.packets, packets_in(400ms, a) / 4);
    EXPECT_GT(link_b.stats().receive.packets, packets_in(400ms, b) / 4);
    EXPECT_GT(link_a.stats().send.packets, packets_in(400ms, a) / 4);
    EXPECT_GT(peak(audio::read_sound_file(dir / "a.wav").samples), 0.09f);
    EXPECT_GT(peak(audio::read_sound_file(dir / "b.wav").samples), 0.09f);
}

TEST(Link, MulticastReachesSeveralReceivers) {
    TempDir dir;
    const std::string group = "239.255.77.1:" + std::to_string(daemon::testing::free_udp_port());
    LinkConfig rx_config = file_receiver(dir / "r1.wav");
    rx_config.network.peer = group;
    rx_config.network.allow.clear();  // a group's senders are not known in advance
    Link r1(rx_config);
    rx_config.audio.output_file = (dir / "r2.wav").string();
    Link r2(rx_config);
    LinkConfig tx = tone_sender(group);
    tx.network.bind = "0.0.0.0:0";  // a loopback-bound socket cannot send to a group
    tx.network.multicast_ttl = 0;   // never leaves this host
    Link sender(tx);
    r1.start();
    r2.start();
    sender.start();
    std::this_thread::sleep_for(300ms);
    sender.stop();
    std::this_thread::sleep_for(100ms);  // the last packets are still on their way
    r1.stop();
    r2.stop();
    const auto sent = sender.stats().send.packets;
    EXPECT_GT(sent, 10u);
    EXPECT_EQ(r1.stats().receive.packets, sent);
    EXPECT_EQ(r2.stats().receive.packets, sent);
}

TEST(Link, SrtpProtectsTheLinkAndAWrongKeyIsDropped) {
    TempDir dir;
    {
        std::ofstream(dir / "key") << std::string(60, 'a') << "\n";
        std::ofstream(dir / "other") << std::string(60, 'b') << "\n";
    }
    LinkConfig rx = file_receiver(dir / "out.wav");
    rx.network.srtp_key_file = (dir / "key").string();
    LinkConfig wrong = file_receiver(dir / "wrong.wav");
    wrong.network.srtp_key_file = (dir / "other").string();
    Link good_rx(rx);
    Link bad_rx(wrong);
    LinkConfig tx = tone_sender(address_of(good_rx));
    tx.network.srtp_key_file = (dir / "key").string();
    Link sender(tx);
    LinkConfig tx2 = tone_sender(address_of(bad_rx));
    tx2.network.srtp_key_file = (dir / "key").string();
    Link sender2(tx2);
    for (Link* link : {&good_rx, &bad_rx, &sender, &sender2}) link->start();
    std::this_thread::sleep_for(300ms);
    sender.stop();
    sender2.stop();
    std::this_thread::sleep_for(100ms);  // the last packets are still on their way
    good_rx.stop();
    bad_rx.stop();
    EXPECT_EQ(good_rx.stats().receive.packets, sender.stats().send.packets);
    EXPECT_EQ(bad_rx.stats().receive.packets, 0u);
    const auto auth = static_cast<std::size_t>(net::DropReason::kAuth);
    EXPECT_EQ(bad_rx.stats().receive.drops[auth], sender2.stats().send.packets);
}

// Forwards datagrams between a sender (which sends to listen_port()) and `to`, both ways, and
// records what the sender sent: a captured session, to replay later.
class Relay {
  public:
    explicit Relay(asio::ip::udp::endpoint to)
        : to_(to),
          front_(
              net::bind_socket(io_, asio::ip::udp::endpoint(asio::ip::address_v4::loopback(), 0))),
          back_(
              net::bind_socket(io_, asio::ip::udp::endpoint(asio::ip::address_v4::loopback(), 0))) {
        front_.non_blocking(true);
        back_.non_blocking(true);
        thread_ = std::thread([this] { run(); });
    }
    ~Relay() {
        done_ = true;
        if (thread_.joinable()) thread_.join();
    }
    int listen_port() const { return front_.local_endpoint().port(); }
    // Stops relaying; what the sender sent so far.
    std::vector<std::vector<std::uint8_t>> captured() {
        done_ = true;
        if (thread_.joinable()) thread_.join();
        return captured_;
    }

  private:
    void run() {
        std::vector<std::uint8_t> buffer(net::kMaxDatagramBytes);
        asio::ip::udp::endpoint from;
        boost::system::error_code error;
        while (!done_) {
            bool idle = true;
            std::size_t got = front_.receive_from(asio::buffer(buffer), from, 0, error);
            if (!error) {
                idle = false;
                sender_ = from;
                captured_.emplace_back(buffer.begin(),
                                       buffer.begin() + static_cast<std::ptrdiff_t>(got));
                back_.send_to(asio::buffer(buffer.data(), got), to_, 0, error);
            }
            got = back_.receive_from(asio::buffer(buffer), from, 0, error);
            if (!error && sender_) {
                idle = false;
                front_.send_to(asio::buffer(buffer.data(), got), *sender_, 0, error);
            }
            if (idle) std::this_thread::sleep_for(200us);
        }
    }

    asio::io_context io_;
    asio::ip::udp::endpoint to_;
    asio::ip::udp::socket front_;
    asio::ip::udp::socket back_;
    std::optional<asio::ip::udp::endpoint> sender_;
    std::vector<std::vector<std::uint8_t>> captured_;
    std::atomic<bool> done_{false};
    std::thread thread_;
};

// Records a sender's session through a relay, then replays every datagram of it (handshake
// included) to a freshly started receiver on the same port. Returns that receiver's stats.
ReceiveStats replay_to_restarted_receiver(const std::string& dtls_receiver,
                                          const std::string& dtls_sender, std::size_t& sent) {
    TempDir dir;
    std::ofstream(dir / "key") << std::string(60, 'a') << "\n";
    LinkConfig rx = file_receiver(dir / "out.wav");
    rx.network.srtp_key_file = (dir / "key").string();
    rx.network.dtls = dtls_receiver;
    std::vector<std::vector<std::uint8_t>> session;
    int port = 0;
    {
        Link receiver(rx);
        port = receiver.local_endpoint().port();
        Relay relay(receiver.local_endpoint());
        LinkConfig tx = tone_sender(loopback(relay.listen_port()));
        tx.network.srtp_key_file = (dir / "key").string();
        tx.network.dtls = dtls_sender;
        Link sender(tx);
        run_pair(receiver, sender, 600ms);
        session = relay.captured();
        sent = sender.stats().send.packets;
        EXPECT_GT(receiver.stats().receive.packets, packets_in(600ms, tx) / 3);
        EXPECT_EQ(receiver.stats().receive.packets, sent);
    }
    rx.network.bind = loopback(port);
    rx.audio.output_file = (dir / "replayed.wav").string();
    Link restarted(rx);
    restarted.start();
    asio::io_context io;
    auto attacker =
        net::bind_socket(io, asio::ip::udp::endpoint(asio::ip::address_v4::loopback(), 0));
    for (const auto& datagram : session) {
        boost::system::error_code error;
        attacker.send_to(asio::buffer(datagram), restarted.local_endpoint(), 0, error);
        std::this_thread::sleep_for(1ms);
    }
    std::this_thread::sleep_for(100ms);
    restarted.stop();
    return restarted.stats().receive;
}

TEST(Link, DtlsSrtpLinkCarriesTheToneAndAReplayToARestartedReceiverPlaysNothing) {
    std::size_t sent = 0;
    const ReceiveStats replayed = replay_to_restarted_receiver("server", "client", sent);
    EXPECT_GT(sent, 20u);
    EXPECT_EQ(replayed.packets, 0u);
    EXPECT_EQ(replayed.played_samples, 0u);
    const auto auth = static_cast<std::size_t>(net::DropReason::kAuth);
    EXPECT_GE(replayed.drops[auth], sent);  // no keys in this session: nothing authenticates
}

// The same with the pre-shared key keying SRTP directly: every session has the same keys, and
// the restarted receiver plays the whole recording. What network.dtls is for.
TEST(Link, StaticKeySrtpReplayToARestartedReceiverIsPlayed) {
    std::size_t sent = 0;
    const ReceiveStats replayed = replay_to_restarted_receiver("off", "off", sent);
    EXPECT_GT(sent, 20u);
    EXPECT_EQ(replayed.packets, sent);
}

// The receiver restarts while the sender runs on with the old session's keys: the new
// receiver, without keys, nudges the sender into a new handshake and hears it again.
TEST(Link, DtlsSrtpSenderOutlivingItsReceiverIsHeardByTheRestartedOne) {
    TempDir dir;
    std::ofstream(dir / "key") << std::string(60, 'a') << "\n";
    LinkConfig rx = file_receiver(dir / "first.wav");
    rx.network.srtp_key_file = (dir / "key").string();
    rx.network.dtls = "server";
    auto first = std::make_unique<Link>(rx);
    rx.network.bind = address_of(*first);
    LinkConfig tx = tone_sender(address_of(*first));
    tx.network.srtp_key_file = (dir / "key").string();
    tx.network.dtls = "client";
    Link sender(tx);
    first->start();
    sender.start();
    std::this_thread::sleep_for(300ms);
    first->stop();
    EXPECT_GT(first->stats().receive.packets, packets_in(300ms, tx) / 3);
    first.reset();
    rx.audio.output_file = (dir / "second.wav").string();
    Link second(rx);
    second.start();
    std::this_thread::sleep_for(1500ms);
    sender.stop();
    std::this_thread::sleep_for(100ms);
    second.stop();
    EXPECT_GT(second.stats().receive.packets, packets_in(1500ms, tx) / 3);
}

TEST(Link, DtlsSrtpDuplexPeersHearEachOther) {
    TempDir dir;
    std::ofstream(dir / "key") << std::string(60, 'a') << "\n";
    BoundUdpPort a_port;
    BoundUdpPort b_port;
    const std::string a_addr = loopback(a_port.port());
    const std::string b_addr = loopback(b_port.port());
    a_port.close();
    b_port.close();
    LinkConfig a = tone_sender(b_addr);
    a.mode = LinkMode::kDuplex;
    a.audio.output = OutputKind::kFile;
    a.audio.output_file = (dir / "a.wav").string();
    a.receiver.drift_correction = false;
    a.network.bind = a_addr;
    a.network.srtp_key_file = (dir / "key").string();
    a.network.dtls = "client";
    LinkConfig b = a;
    b.network.bind = b_addr;
    b.network.peer = a_addr;
    b.network.dtls = "server";
    b.audio.output_file = (dir / "b.wav").string();
    Link link_b(b);
    Link link_a(a);
    link_b.start();
    link_a.start();
    std::this_thread::sleep_for(600ms);
    link_a.stop();
    link_b.stop();
    EXPECT_GT(link_a.stats().receive.packets, packets_in(600ms, b) / 3);
    EXPECT_GT(link_b.stats().receive.packets, packets_in(600ms, a) / 3);
}

TEST(Link, StrangersAreDroppedAndCounted) {
    TempDir dir;
    LinkConfig rx = file_receiver(dir / "out.wav");
    rx.network.allow = {"127.0.0.2"};  // not us
    Link receiver(rx);
    Link sender(tone_sender(address_of(receiver)));
    run_pair(receiver, sender, 200ms);
    const auto foreign = static_cast<std::size_t>(net::DropReason::kForeignPeer);
    EXPECT_EQ(receiver.stats().receive.packets, 0u);
    EXPECT_EQ(receiver.stats().receive.drops[foreign], sender.stats().send.packets);
}

// An RTP packet padded out with a header extension (and 1-4 padding bytes) so that it ends at
// exactly kMaxDatagramBytes, then followed by junk up to `total` bytes: cut to the receive
// buffer, its first bytes are a valid packet.
std::vector<std::uint8_t> oversize_datagram(std::span<const std::uint8_t> packet,
                                            std::size_t total) {
    const std::size_t payload = packet.size() - net::kRtpHeaderBytes;
    const std::size_t room = net::kMaxDatagramBytes - net::kRtpHeaderBytes - 4 - payload;
    const std::size_t extension = (room - 1) / 4 * 4;
    const auto padding = static_cast<std::uint8_t>(room - extension);
    std::vector<std::uint8_t> out;
    out.reserve(std::max(total, net::kMaxDatagramBytes));
    out.assign(packet.begin(), packet.begin() + net::kRtpHeaderBytes);
    out[0] |= 0x30;  // P and X
    const std::uint8_t extension_header[] = {0xbe, 0xde,
                                             static_cast<std::uint8_t>(extension / 4 >> 8),
                                             static_cast<std::uint8_t>(extension / 4 & 0xff)};
    for (const std::uint8_t byte : extension_header) out.push_back(byte);
    out.resize(out.size() + extension, 0);
    out.insert(out.end(), packet.begin() + net::kRtpHeaderBytes, packet.end());
    out.resize(out.size() + padding, 0);
    out.back() = padding;
    EXPECT_EQ(out.size(), net::kMaxDatagramBytes);
    out.resize(total, 0xee);
    return out;
}

TEST(Link, OversizeDatagramsAreDroppedAsTooLongAndCountedAtTheirRealSize) {
    // A sender's real packets, captured on a plain socket.
    asio::io_context io;
    asio::ip::udp::socket capture =
        net::bind_socket(io, asio::ip::udp::endpoint(asio::ip::address_v4::loopback(), 0));
    capture.non_blocking(true);
    Link sender(tone_sender(loopback(capture.local_endpoint().port())));
    sender.start();
    std::this_thread::sleep_for(300ms);
    sender.stop();
    std::vector<std::vector<std::uint8_t>> packets;
    std::vector<std::uint8_t> buffer(net::kMaxDatagramBytes);
    boost::system::error_code error;
    while (true) {
        asio::ip::udp::endpoint from;
        const std::size_t got = capture.receive_from(asio::buffer(buffer), from, 0, error);
        if (error) break;
        // The RTP packets only: the sender's closing RTCP compound (its BYE) is not one.
        if (net::is_rtcp(std::span(buffer).first(got))) continue;
        packets.emplace_back(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(got));
    }
    ASSERT_GT(packets.size(), 10u);

    TempDir dir;
    Link receiver(file_receiver(dir / "out.wav"));
    receiver.start();
    constexpr std::size_t kDatagram = 65000;
    for (const auto& packet : packets) {
        capture.send_to(asio::buffer(oversize_datagram(packet, kDatagram)),
                        receiver.local_endpoint(), 0, error);
        ASSERT_FALSE(error) << error.message();
        std::this_thread::sleep_for(1ms);
    }
    std::this_thread::sleep_for(100ms);
    receiver.stop();
    const ReceiveStats rx = receiver.stats().receive;
    const auto too_long = static_cast<std::size_t>(net::DropReason::kPayloadTooLong);
    EXPECT_EQ(rx.datagrams, packets.size());
    EXPECT_EQ(rx.packets, 0u);
    EXPECT_FALSE(rx.locked);
    EXPECT_EQ(rx.drops[too_long], packets.size());
    EXPECT_EQ(rx.wire_bytes, packets.size() * kDatagram);
}

TEST(Link, CompressorStageIsAppliedAndReloadedLive) {
    TempDir dir;
    Link receiver(file_receiver(dir / "out.wav"));
    LinkConfig tx = tone_sender(address_of(receiver));
    tx.audio.tone_dbfs = -6.0;  // 0.5 peak
    Link sender(tx);
    receiver.start();
    sender.start();
    std::this_thread::sleep_for(300ms);
    LinkConfig limited = tx;
    limited.compressor.enabled = true;
    limited.compressor.config.threshold_db = -20.0;
    limited.compressor.config.ratio = std::numeric_limits<double>::infinity();  // a limiter
    sender.reload(limited);                                                     // what SIGHUP does
    std::this_thread::sleep_for(300ms);
    sender.stop();
    std::this_thread::sleep_for(100ms);
    receiver.stop();
    const std::vector<float> out = audio::read_sound_file(dir / "out.wav").samples;
    ASSERT_GT(out.size(), 24000u);
    // Before the reload the tone passes at 0.5; the last 100 ms are limited to -20 dBFS (0.1).
    const std::vector<float> before(out.begin(), out.begin() + 9600);
    const std::vector<float> after(out.end() - 4800, out.end());
    EXPECT_NEAR(peak(before), 0.5f, 0.02f);
    EXPECT_NEAR(peak(after), 0.1f, 0.015f);
}

TEST(Link, JitterTargetTheBufferRefusesIsRefusedByReloadAndPlayoutGoesOn) {
    TempDir dir;
    LinkConfig rx = file_receiver(dir / "out.wav");
    rx.audio.output = OutputKind::kNull;  // the jitter buffer runs on the null sink's callback
    Link receiver(rx);
    Link sender(tone_sender(address_of(receiver)));
    receiver.start();
    sender.start();
    std::this_thread::sleep_for(200ms);
    LinkConfig too_far = rx;
    too_far.receiver.jitter_target_ms = 1000.0;  // the jitter buffer's whole horizon
    EXPECT_THROW(receiver.reload(too_far), std::invalid_argument);
    const std::uint64_t before = receiver.stats().receive.output_samples;
    std::this_thread::sleep_for(200ms);
    EXPECT_GT(receiver.stats().receive.output_samples, before);  // the callback lives on
    EXPECT_EQ(receiver.config().receiver.jitter_target_ms, rx.receiver.jitter_target_ms);
    sender.stop();
    receiver.stop();
}

TEST(Link, RedundancyIsTurnedOnAndOffByReload) {
    TempDir dir;
    Link receiver(file_receiver(dir / "out.wav"));
    const LinkConfig tx = tone_sender(address_of(receiver));
    Link sender(tx);
    receiver.start();
    sender.start();
    std::this_thread::sleep_for(200ms);
    EXPECT_EQ(sender.stats().send.redundant_blocks, 0u);
    LinkConfig two = tx;
    two.network.redundancy = 2;
    sender.reload(two);  // what SIGHUP does
    std::this_thread::sleep_for(200ms);
    const SendStats on = sender.stats().send;
    EXPECT_EQ(on.redundancy, 2u);
    EXPECT_GT(on.redundant_blocks, 0u);
    EXPECT_EQ(on.redundant_plain, 0u);  // a tone's packets are far below the cap
    EXPECT_EQ(sender.config().network.redundancy, 2);
    sender.reload(tx);
    std::this_thread::sleep_for(50ms);  // a stats publish after the change
    const std::uint64_t blocks = sender.stats().send.redundant_blocks;
    std::this_thread::sleep_for(200ms);
    const SendStats off = sender.stats().send;
    EXPECT_EQ(off.redundancy, 0u);
    EXPECT_EQ(off.redundant_blocks, blocks);
    sender.stop();
    std::this_thread::sleep_for(100ms);
    receiver.stop();
    // The receiver took the RED packets as well as the plain ones.
    const ReceiveStats rx = receiver.stats().receive;
    EXPECT_GT(rx.packets, packets_in(650ms, tx) * 3 / 4);  // the 650 ms the sender ran
    for (const std::uint64_t drops : rx.drops) EXPECT_EQ(drops, 0u);
}

TEST(Link, RedundancyWithoutARedPayloadTypeIsRefusedByReload) {
    TempDir dir;
    Link receiver(file_receiver(dir / "out.wav"));
    LinkConfig tx = tone_sender(address_of(receiver));
    tx.network.red_payload_type = tx.network.payload_type;  // valid while redundancy is off
    Link sender(tx);
    receiver.start();
    sender.start();
    std::this_thread::sleep_for(100ms);
    LinkConfig red = tx;
    red.network.redundancy_auto = true;
    red.compressor.enabled = true;
    EXPECT_THROW(sender.reload(red), std::invalid_argument);
    std::this_thread::sleep_for(100ms);
    EXPECT_FALSE(sender.config().network.redundancy_auto);
    EXPECT_FALSE(sender.config().compressor.enabled);  // nothing of the refused reload applied
    EXPECT_EQ(sender.stats().send.redundant_blocks, 0u);
    sender.stop();
    receiver.stop();
}

// A tone and a null sink at each end are one pretend duplex device: one thread besides the
// network thread, as one duplex callback. The network threads wake with the capture, about once
// per packet, and at least every poll interval (poll_for); the figure is printed (a loaded
// machine adds retries), the bound is the old design's fixed tick (tick_for).
TEST(Link, ToneAndNullDuplexLinksTalkThroughOneDeviceThreadEach) {
    const std::string a_address = loopback(daemon::testing::free_udp_port());
    const std::string b_address = loopback(daemon::testing::free_udp_port());
    LinkConfig a;
    a.mode = LinkMode::kDuplex;
    a.audio.input = InputKind::kTone;
    a.audio.output = OutputKind::kNull;
    a.receiver.drift_correction = false;  // one clock on one machine
    LinkConfig b = a;
    a.network.bind = b.network.peer = a_address;
    b.network.bind = a.network.peer = b_address;
    const int before = thread_count();
    Link link_a(a);
    Link link_b(b);
    link_a.start();
    link_b.start();
    EXPECT_EQ(thread_count(), before + 4) << "two threads per link: network and duplex device";
    std::this_thread::sleep_for(1s);
    link_a.stop();
    link_b.stop();
    for (const Link* link : {&link_a, &link_b}) {
        const LinkStats s = link->stats();
        std::printf("[duplex tone+null] sent %llu packets, received %llu, network wake-ups %llu\n",
                    static_cast<unsigned long long>(s.send.packets),
                    static_cast<unsigned long long>(s.receive.packets),
                    static_cast<unsigned long long>(s.network_wakeups));
        EXPECT_GT(s.send.packets, packets_in(1s, a) * 4 / 5);
        EXPECT_GT(s.receive.packets, packets_in(1s, a) * 4 / 5);
        EXPECT_GT(s.receive.played_samples, 24000u);
        const auto ticks = static_cast<std::uint64_t>(std::chrono::microseconds(1s) /
                                                      tick_for(a.network.packet_ms));
        EXPECT_LT(s.network_wakeups, ticks);
    }
    EXPECT_NE(link_a.describe().find("one paced duplex thread"), std::string::npos)
        << link_a.describe();
}

// --- bad set-up: a clear message, and nothing left running ---

template <typename Error>
std::string setup_error(const LinkConfig& config) {
    const int threads = thread_count();
    try {
        Link link(config);
    } catch (const Error& e) {
        EXPECT_EQ(thread_count(), threads) << "a failed set-up left a thread behind";
        return e.what();
    } catch (const std::exception& e) {
        ADD_FAILURE() << "unexpected error type: " << e.what();
        return e.what();
    }
    ADD_FAILURE() << "the set-up did not fail";
    return {};
}

TEST(LinkSetup, PortInUseIsAClearError) {
    const BoundUdpPort taken;
    LinkConfig config = tone_sender("127.0.0.1:9");
    config.network.bind = loopback(taken.port());
    const std::string message = setup_error<net::NetError>(config);
    EXPECT_NE(message.find("already in use"), std::string::npos) << message;
    EXPECT_NE(message.find(std::to_string(taken.port())), std::string::npos);
}

TEST(LinkSetup, UnresolvablePeerIsAClearError) {
    const std::string message =
        setup_error<net::NetError>(tone_sender("no-such-host.invalid:5004"));
    EXPECT_NE(message.find("no-such-host.invalid"), std::string::npos) << message;
}

TEST(LinkSetup, SendWithoutPeerIsAClearError) {
    const std::string message = setup_error<LinkError>(tone_sender(""));
    EXPECT_NE(message.find("peer"), std::string::npos) << message;
}

TEST(LinkSetup, ReceiveWithoutSendersIsAClearError) {
    LinkConfig config = file_receiver("/tmp/unused.wav");
    config.network.allow.clear();
    const std::string message = setup_error<LinkError>(config);
    EXPECT_NE(message.find("accept_any_peer"), std::string::npos) << message;
}

TEST(LinkSetup, MissingInputFileIsAClearErrorAndFreesThePort) {
    LinkConfig config = tone_sender("127.0.0.1:9");
    config.audio.input = InputKind::kFile;
    config.audio.input_file = "/nonexistent/speech.wav";
    const int port = daemon::testing::free_udp_port();
    config.network.bind = loopback(port);
    const std::string message = setup_error<audio::AudioError>(config);
    EXPECT_NE(message.find("/nonexistent/speech.wav"), std::string::npos) << message;
    // The socket opened before the file failed is closed again.
    asio::io_context io;
    EXPECT_NO_THROW(net::bind_socket(io, net::resolve_endpoint(io, config.network.bind)));
}

TEST(LinkSetup, FileAtAnotherRateIsAClearError) {
    LinkConfig config = tone_sender("127.0.0.1:9");
    config.audio.input = InputKind::kFile;
    config.audio.input_file = audio::test::kSpeechWav.string();
    config.audio.rate_hz = 44100;  // the file is 48 kHz
    const std::string message = setup_error<audio::AudioError>(config);
    EXPECT_NE(message.find("48000"), std::string::npos) << message;
}

TEST(LinkSetup, UnusableSrtpKeyIsAClearError) {
    LinkConfig config = tone_sender("127.0.0.1:9");
    config.network.srtp_key_file = "/nonexistent/key";
    const std::string message = setup_error<net::SrtpKeyError>(config);
    EXPECT_NE(message.find("/nonexistent/key"), std::string::npos) << message;
}

TEST(LinkSetup, DtlsWithoutKeyFileOrClientWithoutPeerIsAClearError) {
    LinkConfig config = tone_sender("127.0.0.1:9");
    config.network.dtls = "client";
    std::string message = setup_error<LinkError>(config);
    EXPECT_NE(message.find("network.srtp_key_file"), std::string::npos) << message;
    TempDir dir;
    std::ofstream(dir / "key") << std::string(60, 'a') << "\n";
    LinkConfig receiver = file_receiver(dir / "out.wav");
    receiver.network.srtp_key_file = (dir / "key").string();
    receiver.network.dtls = "client";
    message = setup_error<LinkError>(receiver);
    EXPECT_NE(message.find("network.peer"), std::string::npos) << message;
    LinkConfig group = tone_sender("239.255.77.3:5004");
    group.network.srtp_key_file = (dir / "key").string();
    group.network.dtls = "client";
    message = setup_error<LinkError>(group);
    EXPECT_NE(message.find("multicast"), std::string::npos) << message;
}

// A LinkConfig built in code meets the loader's rules between settings too.
TEST(LinkSetup, ARuleBrokenInCodeIsRefusedNamingItsKeys) {
    LinkConfig config = file_receiver("/tmp/unused.wav");
    config.receiver.adaptive.min_latency_ms = 300.0;  // above max_latency_ms
    const std::string message = setup_error<LinkError>(config);
    EXPECT_NE(message.find("receiver.min_latency_ms"), std::string::npos) << message;
    EXPECT_NE(message.find("receiver.max_latency_ms"), std::string::npos) << message;
}

TEST(LinkSetup, MulticastDuplexIsRefused) {
    LinkConfig config = tone_sender("239.255.77.2:5004");
    config.mode = LinkMode::kDuplex;
    config.audio.output = OutputKind::kNull;
    const std::string message = setup_error<LinkError>(config);
    EXPECT_NE(message.find("unicast"), std::string::npos) << message;
}

}  // namespace
}  // namespace extrema::pipeline
