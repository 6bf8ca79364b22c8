// RTCP between two Links on 127.0.0.1 (RFC 3550 §6, multiplexed on the RTP port, RFC 5761): the
// sender learns a small round trip and, through the impairment proxy, the loss the receiver saw;
// under SRTP the compounds go through SRTCP; a BYE ends the session.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <thread>

#include <boost/asio/io_context.hpp>

#include "link_test_configs.h"
#include "net/impairment_proxy.h"
#include "pipeline/link.h"
#include "temp_dir.h"

namespace extrema::pipeline {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using extrema::test::TempDir;
using test::tone_sender;

LinkConfig null_receiver() {
    LinkConfig config;
    config.mode = LinkMode::kReceive;
    config.audio.output = OutputKind::kNull;
    config.network.bind = "127.0.0.1:0";
    config.network.allow = {"127.0.0.1"};
    config.receiver.drift_correction = false;  // one clock on one machine
    return config;
}

std::string address_of(const asio::ip::udp::endpoint& endpoint) {
    return "127.0.0.1:" + std::to_string(endpoint.port());
}

// Waits until `done` holds for the sender's stats, at most `limit`: the first compounds leave
// 1-3 s after start and the next 2-6 s later (RFC 3550's 5 s, randomised and compensated), and
// the sender needs a receiver report that echoes one of its SRs.
bool wait_for(const Link& link, const std::function<bool(const LinkStats&)>& done,
              std::chrono::seconds limit) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
        if (done(link.stats())) return true;
        std::this_thread::sleep_for(50ms);
    }
    return false;
}

bool rtt_known(const LinkStats& stats) {
    return stats.rtcp.rtt_ms >= 0.0;
}

TEST(LinkRtcp, SenderLearnsTheRoundTripAndByeEndsIt) {
    Link receiver(null_receiver());
    Link sender(tone_sender(address_of(receiver.local_endpoint())));
    receiver.start();
    sender.start();
    ASSERT_TRUE(wait_for(sender, rtt_known, 30s));
    sender.stop();
    std::this_thread::sleep_for(100ms);  // the BYE is on its way
    receiver.stop();
    const LinkStats tx = sender.stats();
    const LinkStats rx = receiver.stats();
    EXPECT_GE(tx.rtcp.sr_sent, 1U);
    EXPECT_GE(tx.rtcp.rr_received, 1U);
    EXPECT_GE(rx.rtcp.sr_received, 1U);
    EXPECT_GE(rx.rtcp.rr_sent, 1U);
    EXPECT_EQ(rx.rtcp.sr_sent, 0U);  // a receiver sends no RTP, so no SR
    EXPECT_EQ(tx.rtcp.bye_sent, 1U);
    EXPECT_EQ(rx.rtcp.bye_received, 1U);
    // On the loopback interface the round trip is a couple of network wake-ups: a small figure
    // well under a second, not a garbled LSR/DLSR.
    EXPECT_GE(tx.rtcp.rtt_ms, 0.0);
    EXPECT_LT(tx.rtcp.rtt_ms, 100.0);
    ASSERT_TRUE(tx.rtcp.has_remote_report);
    EXPECT_EQ(tx.rtcp.remote_cumulative_lost, 0);
    EXPECT_EQ(tx.rtcp.remote_fraction_lost, 0.0);
    EXPECT_LT(tx.rtcp.remote_jitter_ms, 50.0);
    EXPECT_EQ(tx.rtcp.drops.total(), 0U);
    EXPECT_EQ(rx.rtcp.drops.total(), 0U);
    // RTCP is not counted as RTP: no payload-type drops at the receiver.
    EXPECT_EQ(rx.receive.drops[static_cast<std::size_t>(net::DropReason::kPayloadType)], 0U);
}

TEST(LinkRtcp, LossThroughTheProxyShowsInTheSendersView) {
    Link receiver(null_receiver());
    asio::io_context io;
    net::ImpairmentConfig impairment;
    impairment.loss_percent = 20.0;
    impairment.seed = 7;
    net::ImpairmentProxy proxy(io, {asio::ip::make_address("127.0.0.1"), 0},
                               receiver.local_endpoint(), impairment);
    std::thread network([&io] { io.run(); });
    Link sender(tone_sender(address_of(proxy.local_endpoint())));
    receiver.start();
    sender.start();
    const bool reported = wait_for(
        sender,
        [](const LinkStats& s) {
            return s.rtcp.has_remote_report && s.rtcp.remote_fraction_lost > 0.0 && rtt_known(s);
        },
        40s);
    sender.stop();
    receiver.stop();
    proxy.stop();
    io.stop();
    network.join();
    ASSERT_TRUE(reported);
    // RTCP crossed the proxy both ways, unimpaired.
    EXPECT_GE(proxy.rtcp_forwarded(), 1U);
    EXPECT_GE(proxy.rtcp_returned(), 1U);
    const LinkStats tx = sender.stats();
    const LinkStats rx = receiver.stats();
    // The proxy drops 20 % of the datagrams: an interval's fraction lost is near it.
    EXPECT_GT(tx.rtcp.remote_fraction_lost, 0.05);
    EXPECT_LT(tx.rtcp.remote_fraction_lost, 0.40);
    EXPECT_GT(tx.rtcp.remote_cumulative_lost, 0);
    EXPECT_LE(static_cast<std::uint64_t>(tx.rtcp.remote_cumulative_lost), rx.receive.lost);
    EXPECT_GE(tx.rtcp.rtt_ms, 0.0);
    EXPECT_LT(tx.rtcp.rtt_ms, 100.0);
}

TEST(LinkRtcp, SrtpLinksExchangeSrtcp) {
    TempDir dir;
    std::ofstream(dir / "key") << std::string(60, 'b') << "\n";
    LinkConfig rx_config = null_receiver();
    rx_config.network.srtp_key_file = (dir / "key").string();
    Link receiver(rx_config);
    LinkConfig tx_config = tone_sender(address_of(receiver.local_endpoint()));
    tx_config.network.srtp_key_file = (dir / "key").string();
    Link sender(tx_config);
    receiver.start();
    sender.start();
    const bool learned = wait_for(sender, rtt_known, 30s);
    sender.stop();
    receiver.stop();
    ASSERT_TRUE(learned);
    EXPECT_GE(receiver.stats().rtcp.sr_received, 1U);
    EXPECT_EQ(receiver.stats().rtcp.drops.total(), 0U);
    EXPECT_EQ(sender.stats().rtcp.drops.total(), 0U);
    EXPECT_LT(sender.stats().rtcp.rtt_ms, 100.0);
}

}  // namespace
}  // namespace extrema::pipeline
