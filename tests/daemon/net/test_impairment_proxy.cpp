// Impairment proxy over real loopback sockets: what arrives matches the proxy's own counters
// (loss, duplication, reordering), the reverse direction works, and a seed reproduces a run.
#include "net/impairment_proxy.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>

#include "net/udp_socket.h"

namespace extrema::net {
namespace {

namespace asio = boost::asio;
using asio::ip::udp;
using namespace std::chrono_literals;

const asio::ip::address kLoopback = asio::ip::make_address("127.0.0.1");

// A receiver on the io thread that records the index carried in each datagram.
class Sink {
  public:
    explicit Sink(asio::io_context& io)
        : socket_(bind_socket(io, udp::endpoint(kLoopback, 0), {.receive_buffer_bytes = 4 << 20})) {
        receive();
    }
    udp::endpoint endpoint() const { return socket_.local_endpoint(); }
    std::size_t count() const { return count_.load(); }
    std::vector<std::uint32_t> indices() const {
        std::lock_guard lock(mutex_);
        return indices_;
    }
    udp::socket& socket() { return socket_; }

  private:
    void receive() {
        socket_.async_receive_from(asio::buffer(buffer_), from_,
                                   [this](boost::system::error_code error, std::size_t size) {
                                       if (error == asio::error::operation_aborted) return;
                                       if (!error && size >= 4) {
                                           std::uint32_t index = 0;
                                           std::memcpy(&index, buffer_.data(), 4);
                                           std::lock_guard lock(mutex_);
                                           indices_.push_back(index);
                                           ++count_;
                                       }
                                       receive();
                                   });
    }
    udp::socket socket_;
    std::array<std::uint8_t, 2048> buffer_{};
    udp::endpoint from_;
    mutable std::mutex mutex_;
    std::vector<std::uint32_t> indices_;
    std::atomic<std::size_t> count_{0};
};

// Runs an io_context on a thread. Declared after the objects using it, so it is destroyed
// first: the thread stops before any handler's object goes away.
class IoRunner {
  public:
    explicit IoRunner(asio::io_context& io)
        : io_(io), guard_(io.get_executor()), thread_([&io] { io.run(); }) {}
    ~IoRunner() { stop(); }
    IoRunner(const IoRunner&) = delete;
    IoRunner& operator=(const IoRunner&) = delete;
    void stop() {
        guard_.reset();
        io_.stop();
        if (thread_.joinable()) thread_.join();
    }

  private:
    asio::io_context& io_;
    asio::executor_work_guard<asio::io_context::executor_type> guard_;
    std::thread thread_;
};

// Sends `count` numbered 100-byte datagrams to `to`, paced so no kernel buffer overflows.
void send_numbered(udp::socket& from, const udp::endpoint& to, std::uint32_t count) {
    std::array<std::uint8_t, 100> datagram{};
    for (std::uint32_t i = 0; i < count; ++i) {
        std::memcpy(datagram.data(), &i, 4);
        from.send_to(asio::buffer(datagram), to);
        if (i % 20 == 19) std::this_thread::sleep_for(200us);
    }
}

// Waits until the proxy has read `sent` datagrams (a slow build, TSan, can leave a backlog in
// its socket long after the sender is done), nothing is queued in it, and the sink has
// `expected` datagrams.
void settle(const Sink& sink, const ImpairmentProxy& proxy, std::uint64_t sent,
            const std::function<std::size_t()>& expected) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
        if (proxy.forward_counters().received >= sent && proxy.queued() == 0 &&
            sink.count() >= expected()) {
            break;
        }
        std::this_thread::sleep_for(5ms);
    }
    std::this_thread::sleep_for(20ms);  // nothing more should come
}

struct RunResult {
    ImpairmentCounters counters;
    std::vector<std::uint32_t> indices;
};

RunResult run(const ImpairmentConfig& config, std::uint32_t packets) {
    asio::io_context io;
    Sink sink(io);
    ImpairmentProxy proxy(io, udp::endpoint(kLoopback, 0), sink.endpoint(), config);
    udp::socket client = bind_socket(io, udp::endpoint(kLoopback, 0));
    IoRunner runner(io);
    send_numbered(client, proxy.local_endpoint(), packets);
    settle(sink, proxy, packets, [&] { return proxy.forward_counters().forwarded; });
    RunResult result{proxy.forward_counters(), sink.indices()};
    runner.stop();
    return result;
}

TEST(ImpairmentProxy, ForwardsEverythingWhenUnimpaired) {
    const auto result = run({}, 500);
    EXPECT_EQ(result.counters.received, 500u);
    EXPECT_EQ(result.counters.forwarded, 500u);
    ASSERT_EQ(result.indices.size(), 500u);
    for (std::uint32_t i = 0; i < 500; ++i) EXPECT_EQ(result.indices[i], i);  // and in order
}

TEST(ImpairmentProxy, LossAndDuplicationMatchCounters) {
    ImpairmentConfig config;
    config.loss_percent = 10.0;
    config.duplicate_percent = 5.0;
    config.seed = 1234;
    constexpr std::uint32_t kPackets = 2000;
    const auto result = run(config, kPackets);
    const auto& c = result.counters;
    EXPECT_EQ(c.received, kPackets);
    // 10 % of 2000 = 200 +- 4 sigma (sigma = sqrt(2000 * 0.1 * 0.9) = 13.4).
    EXPECT_NEAR(static_cast<double>(c.dropped), 200.0, 54.0);
    EXPECT_NEAR(static_cast<double>(c.duplicated), 0.05 * (kPackets - c.dropped),
                4 * std::sqrt(90.0));
    EXPECT_EQ(c.forwarded, kPackets - c.dropped + c.duplicated);
    EXPECT_EQ(c.overflow + c.send_errors, 0u);

    // What arrived is exactly what the counters say.
    ASSERT_EQ(result.indices.size(), c.forwarded);
    std::map<std::uint32_t, int> seen;
    for (const auto i : result.indices) ++seen[i];
    std::uint64_t twice = 0;
    for (const auto& [index, times] : seen) {
        ASSERT_LE(times, 2);
        twice += times == 2;
    }
    EXPECT_EQ(seen.size(), kPackets - c.dropped);
    EXPECT_EQ(twice, c.duplicated);
}

TEST(ImpairmentProxy, SameSeedSameDecisions) {
    ImpairmentConfig config;
    config.loss_percent = 10.0;
    config.seed = 99;
    const auto first = run(config, 1000);
    const auto second = run(config, 1000);
    EXPECT_EQ(first.counters.dropped, second.counters.dropped);
    EXPECT_EQ(first.indices, second.indices);
    config.seed = 100;
    EXPECT_NE(run(config, 1000).indices, first.indices);
}

// Runs of consecutive missing indices in what arrived (no duplication, no reordering).
std::vector<std::uint32_t> loss_runs(const std::vector<std::uint32_t>& arrived,
                                     std::uint32_t sent) {
    std::vector<std::uint32_t> runs;
    std::uint32_t expected = 0;
    for (const std::uint32_t i : arrived) {
        if (i > expected) runs.push_back(i - expected);
        expected = i + 1;
    }
    if (sent > expected) runs.push_back(sent - expected);
    return runs;
}

TEST(ImpairmentProxy, BurstyLossDropsInRunsAtTheAverageRate) {
    ImpairmentConfig config;
    config.loss_percent = 10.0;
    config.burst_packets = 4.0;
    config.seed = 5;
    // 2000, as above: more at once can overflow the proxy's socket buffer on a loaded machine.
    constexpr std::uint32_t kPackets = 2000;
    const auto result = run(config, kPackets);
    ASSERT_EQ(result.counters.received, kPackets);
    ASSERT_EQ(result.indices.size(), kPackets - result.counters.dropped);
    const std::vector<std::uint32_t> runs = loss_runs(result.indices, kPackets);
    std::uint64_t lost = 0;
    for (const auto n : runs) lost += n;
    EXPECT_EQ(lost, result.counters.dropped);
    // 200 expected; bursts of mean 4 make the count's variance 6.2 times that of independent
    // losses (N p (1 - p) (1 + rho) / (1 - rho), rho = 0.72): sigma 33, and 100 is 3 sigma.
    // About 50 bursts, geometric (sd 3.5): their mean is 4 +- 0.5, and 1.5 is 3 sigma.
    EXPECT_NEAR(static_cast<double>(lost), 200.0, 100.0);
    ASSERT_GT(runs.size(), 25u);
    EXPECT_NEAR(static_cast<double>(lost) / static_cast<double>(runs.size()), 4.0, 1.5);

    // The same seed without bursts: the same average, runs of about one packet.
    config.burst_packets = 0.0;
    const auto independent = run(config, kPackets);
    const std::vector<std::uint32_t> single = loss_runs(independent.indices, kPackets);
    EXPECT_LT(
        static_cast<double>(independent.counters.dropped) / static_cast<double>(single.size()),
        1.3);

    // Seeded: the same drops again (given that every datagram reached the proxy both times).
    config.burst_packets = 4.0;
    const auto again = run(config, kPackets);
    ASSERT_EQ(again.counters.received, kPackets);
    EXPECT_EQ(again.counters.dropped, result.counters.dropped);
    EXPECT_EQ(again.indices, result.indices);
}

TEST(ImpairmentProxy, JitterAndReorderDeliverEverythingOutOfOrder) {
    ImpairmentConfig config;
    config.jitter_ms = 5.0;
    config.reorder_percent = 5.0;
    config.seed = 7;
    constexpr std::uint32_t kPackets = 1000;
    const auto result = run(config, kPackets);
    const auto& c = result.counters;
    EXPECT_EQ(c.forwarded, kPackets);  // jitter and reordering lose nothing
    EXPECT_NEAR(static_cast<double>(c.reordered), 50.0, 4 * std::sqrt(47.5));
    ASSERT_EQ(result.indices.size(), kPackets);
    std::uint64_t inversions = 0;
    std::uint32_t highest = 0;
    for (const auto i : result.indices) {
        if (i < highest) ++inversions;
        highest = std::max(highest, i);
    }
    EXPECT_EQ(inversions, c.out_of_order);  // the proxy's count is what the receiver sees
    EXPECT_GE(c.out_of_order, c.reordered / 2);
    std::vector<std::uint32_t> sorted = result.indices;
    std::sort(sorted.begin(), sorted.end());
    for (std::uint32_t i = 0; i < kPackets; ++i) ASSERT_EQ(sorted[i], i);
}

TEST(ImpairmentProxy, DelaysByConfiguredTime) {
    asio::io_context io;
    Sink sink(io);
    ImpairmentConfig config;
    config.delay_ms = 50.0;
    ImpairmentProxy proxy(io, udp::endpoint(kLoopback, 0), sink.endpoint(), config);
    udp::socket client = bind_socket(io, udp::endpoint(kLoopback, 0));
    IoRunner runner(io);
    const auto start = std::chrono::steady_clock::now();
    send_numbered(client, proxy.local_endpoint(), 1);
    while (sink.count() == 0 && std::chrono::steady_clock::now() - start < 2s)
        std::this_thread::sleep_for(1ms);
    const auto elapsed = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(sink.count(), 1u);
    EXPECT_GE(elapsed, 50ms);
    EXPECT_LT(elapsed, 500ms);
}

TEST(ImpairmentProxy, ForwardsRepliesToLastClient) {
    asio::io_context io;
    Sink destination(io);
    ImpairmentProxy proxy(io, udp::endpoint(kLoopback, 0), destination.endpoint(), {});
    Sink client(io);
    IoRunner runner(io);
    std::array<std::uint8_t, 8> datagram{};
    client.socket().send_to(asio::buffer(datagram), proxy.local_endpoint());
    const auto deadline = std::chrono::steady_clock::now() + 2s;
    while (destination.count() == 0 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(1ms);
    ASSERT_EQ(destination.count(), 1u);
    // The destination answers the proxy (the address it heard from), which relays to the client.
    datagram[0] = 7;
    destination.socket().send_to(asio::buffer(datagram), proxy.local_endpoint());
    while (client.count() == 0 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(1ms);
    ASSERT_EQ(client.count(), 1u);
    EXPECT_EQ(client.indices()[0], 7u);
    EXPECT_EQ(proxy.reverse_counters().forwarded, 1u);
    EXPECT_EQ(proxy.forward_counters().forwarded, 1u);
}

TEST(ImpairmentProxy, QueueIsBounded) {
    asio::io_context io;
    Sink sink(io);
    ImpairmentConfig config;
    config.delay_ms = 300.0;
    config.max_queued_packets = 50;
    ImpairmentProxy proxy(io, udp::endpoint(kLoopback, 0), sink.endpoint(), config);
    udp::socket client = bind_socket(io, udp::endpoint(kLoopback, 0));
    IoRunner runner(io);
    send_numbered(client, proxy.local_endpoint(), 200);
    const auto deadline = std::chrono::steady_clock::now() + 3s;
    while (proxy.forward_counters().received < 200 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(1ms);
    }
    EXPECT_LE(proxy.queued(), 50u);
    settle(sink, proxy, 200, [] { return std::size_t{50}; });
    const auto c = proxy.forward_counters();
    EXPECT_EQ(c.received, 200u);
    EXPECT_EQ(c.forwarded + c.overflow, 200u);
    EXPECT_GE(c.overflow, 100u);
}

TEST(ImpairmentProxy, StopEndsForwarding) {
    asio::io_context io;
    Sink sink(io);
    ImpairmentConfig config;
    config.delay_ms = 200.0;  // still queued when stopped: dropped
    ImpairmentProxy proxy(io, udp::endpoint(kLoopback, 0), sink.endpoint(), config);
    udp::socket client = bind_socket(io, udp::endpoint(kLoopback, 0));
    IoRunner runner(io);
    send_numbered(client, proxy.local_endpoint(), 5);
    const auto deadline = std::chrono::steady_clock::now() + 2s;
    while (proxy.queued() < 5 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(1ms);
    proxy.stop();
    std::this_thread::sleep_for(300ms);
    EXPECT_EQ(sink.count(), 0u);
    EXPECT_EQ(proxy.queued(), 0u);
}

TEST(ImpairmentProxy, LossStopsWhenItsEndComes) {
    ImpairmentConfig config;
    config.loss_percent = 100.0;
    config.loss_ends_at_s = 0.2;
    asio::io_context io;
    Sink sink(io);
    ImpairmentProxy proxy(io, udp::endpoint(kLoopback, 0), sink.endpoint(), config);
    udp::socket client = bind_socket(io, udp::endpoint(kLoopback, 0));
    IoRunner runner(io);
    send_numbered(client, proxy.local_endpoint(), 50);  // well within the first 0.2 s
    settle(sink, proxy, 50, [] { return 0; });
    EXPECT_EQ(proxy.forward_counters().dropped, 50u);
    std::this_thread::sleep_for(250ms);
    send_numbered(client, proxy.local_endpoint(), 50);
    settle(sink, proxy, 100, [] { return 50; });
    EXPECT_EQ(proxy.forward_counters().dropped, 50u);
    EXPECT_EQ(sink.count(), 50u);
    runner.stop();
}

TEST(ImpairmentProxy, RejectsBadConfig) {
    asio::io_context io;
    ImpairmentConfig config;
    config.loss_percent = 101.0;
    EXPECT_THROW(
        ImpairmentProxy(io, udp::endpoint(kLoopback, 0), udp::endpoint(kLoopback, 9), config),
        std::invalid_argument);
    config.loss_percent = 70.0;  // a mean burst of 2 averages at most 66.7 %
    config.burst_packets = 2.0;
    EXPECT_THROW(
        ImpairmentProxy(io, udp::endpoint(kLoopback, 0), udp::endpoint(kLoopback, 9), config),
        std::invalid_argument);
    config.loss_percent = 5.0;
    config.burst_packets = 0.5;
    EXPECT_THROW(
        ImpairmentProxy(io, udp::endpoint(kLoopback, 0), udp::endpoint(kLoopback, 9), config),
        std::invalid_argument);
    config.burst_packets = 0.0;
    config.loss_ends_at_s = -1.0;
    EXPECT_THROW(
        ImpairmentProxy(io, udp::endpoint(kLoopback, 0), udp::endpoint(kLoopback, 9), config),
        std::invalid_argument);
}

}  // namespace
}  // namespace extrema::net
