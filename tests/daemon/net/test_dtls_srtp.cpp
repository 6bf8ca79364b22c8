// DTLS-SRTP: two ends agree on fresh SRTP keys over a lossy in-memory "network"; a wrong key
// never completes; a restarted client gets new keys; a server without keys nudges the client.
#include "net/dtls_srtp.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <thread>
#include <vector>

namespace extrema::net {
namespace {

using namespace std::chrono_literals;
using Clock = DtlsSrtp::Clock;
using Datagram = std::vector<std::uint8_t>;

SrtpKey key_of(std::uint8_t fill) {
    SrtpKey key{};
    key.fill(fill);
    return key;
}

// Client and server wired back to back, losing the datagrams numbered in `lose`. Time is
// simulated unless `real_time`: OpenSSL's retransmission timer runs on the wall clock.
struct Pair {
    std::deque<Datagram> to_server;
    std::deque<Datagram> to_client;
    DtlsSrtp client;
    DtlsSrtp server;
    std::size_t sent = 0;
    std::vector<std::size_t> lose;  // numbers (from 1) of the datagrams the network loses
    Clock::time_point now = Clock::time_point{} + 1h;

    Pair(const SrtpKey& client_key, const SrtpKey& server_key)
        : client(client_key, DtlsRole::kClient, [this](auto d) { post(to_server, d); }),
          server(server_key, DtlsRole::kServer, [this](auto d) { post(to_client, d); }) {}

    void post(std::deque<Datagram>& queue, std::span<const std::uint8_t> d) {
        EXPECT_TRUE(is_dtls_datagram(d));
        if (std::find(lose.begin(), lose.end(), ++sent) != lose.end()) return;
        queue.emplace_back(d.begin(), d.end());
    }
    bool real_time = false;
    // Runs the network for `span` in 10 ms steps, or until both ends have keys.
    void run(std::chrono::milliseconds span) {
        for (auto t = 0ms; t < span && !(client.has_keys() && server.has_keys()); t += 10ms) {
            if (real_time) std::this_thread::sleep_for(10ms);
            now += 10ms;
            while (!to_server.empty() || !to_client.empty()) {
                if (!to_server.empty()) {
                    const Datagram d = to_server.front();
                    to_server.pop_front();
                    server.on_datagram(d, now);
                }
                if (!to_client.empty()) {
                    const Datagram d = to_client.front();
                    to_client.pop_front();
                    client.on_datagram(d, now);
                }
            }
            client.on_tick(now);
            server.on_tick(now);
        }
    }
};

TEST(DtlsSrtp, HandshakeGivesBothEndsTheSameFreshKeys) {
    Pair pair(key_of(7), key_of(7));
    pair.client.start(pair.now);
    pair.run(200ms);
    const auto client = pair.client.take_keys();
    const auto server = pair.server.take_keys();
    ASSERT_TRUE(client && server);
    EXPECT_EQ(client->send, server->receive);
    EXPECT_EQ(client->receive, server->send);
    EXPECT_NE(client->send, client->receive);
    EXPECT_NE(client->send, key_of(7));     // derived, not the pre-shared key
    EXPECT_FALSE(pair.client.take_keys());  // once

    // A new session (the client restarted) has keys of its own.
    Pair again(key_of(7), key_of(7));
    again.client.start(again.now);
    again.run(200ms);
    const auto next = again.client.take_keys();
    ASSERT_TRUE(next);
    EXPECT_NE(next->send, client->send);
}

// The server's first flight and then the client's second are lost: OpenSSL's timer (1 s, then
// doubling) sends them again, in about 3 s.
TEST(DtlsSrtp, CompletesDespiteLostFlights) {
    Pair pair(key_of(7), key_of(7));
    pair.lose = {2, 5};
    pair.real_time = true;
    pair.client.start(pair.now);
    pair.run(8s);
    EXPECT_TRUE(pair.client.has_keys());
    EXPECT_TRUE(pair.server.has_keys());
    const auto client = pair.client.take_keys();
    const auto server = pair.server.take_keys();
    ASSERT_TRUE(client && server);
    EXPECT_EQ(client->send, server->receive);
}

TEST(DtlsSrtp, WrongPreSharedKeyNeverAgrees) {
    Pair pair(key_of(7), key_of(8));
    pair.client.start(pair.now);
    pair.run(5s);
    EXPECT_FALSE(pair.client.has_keys());
    EXPECT_FALSE(pair.server.has_keys());
    EXPECT_GT(pair.server.failures() + pair.client.failures(), 0u);
}

TEST(DtlsSrtp, ServerWithoutKeysNudgesAnEstablishedClientIntoANewSession) {
    Pair pair(key_of(7), key_of(7));
    pair.client.start(pair.now);
    pair.run(200ms);
    const auto first = pair.client.take_keys();
    ASSERT_TRUE(first);
    pair.now += 5s;
    // The server restarts: a new one has no keys, and SRTP keeps arriving from the client.
    std::deque<Datagram> to_client;
    DtlsSrtp restarted(key_of(7), DtlsRole::kServer,
                       [&](auto d) { to_client.emplace_back(d.begin(), d.end()); });
    restarted.on_srtp_without_keys(pair.now);
    restarted.on_srtp_without_keys(pair.now + 10ms);  // at most once a second
    ASSERT_EQ(to_client.size(), 1u);
    std::deque<Datagram> to_server;
    DtlsSrtp& client = pair.client;
    // Rewire: the client now talks to the restarted server.
    for (int step = 0; step < 50; ++step) {
        pair.now += 10ms;
        while (!to_client.empty()) {
            client.on_datagram(to_client.front(), pair.now);
            to_client.pop_front();
        }
        while (!pair.to_server.empty()) {
            restarted.on_datagram(pair.to_server.front(), pair.now);
            pair.to_server.pop_front();
        }
    }
    const auto fresh = client.take_keys();
    ASSERT_TRUE(fresh);
    EXPECT_NE(fresh->send, first->send);
    const auto server = restarted.take_keys();
    ASSERT_TRUE(server);
    EXPECT_EQ(server->receive, fresh->send);
}

TEST(DtlsSrtp, DemultiplexesByFirstByte) {
    EXPECT_TRUE(is_dtls_datagram(std::vector<std::uint8_t>{22, 254, 253}));
    EXPECT_TRUE(is_dtls_datagram(std::vector<std::uint8_t>{20}));
    EXPECT_TRUE(is_dtls_datagram(std::vector<std::uint8_t>{63}));
    EXPECT_FALSE(is_dtls_datagram(std::vector<std::uint8_t>{0x80, 96}));  // RTP v2
    EXPECT_FALSE(is_dtls_datagram(std::vector<std::uint8_t>{19}));
    EXPECT_FALSE(is_dtls_datagram(std::vector<std::uint8_t>{64}));
    EXPECT_FALSE(is_dtls_datagram(std::vector<std::uint8_t>{}));
}

}  // namespace
}  // namespace extrema::net
