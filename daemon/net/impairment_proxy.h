#pragma once
// A userspace UDP impairment proxy (these machines have no netem): listens on a local port and
// forwards every datagram to a destination with configurable loss (independent, or in bursts:
// the Gilbert-Elliott model, net/gilbert_elliott.h), fixed delay, jitter (uniform
// random extra delay, which reorders naturally), explicit reordering (a packet held back behind
// the next one) and duplication. Datagrams coming back from the destination are impaired the
// same way and forwarded to the last client, so duplex links work through it. RTCP multiplexed
// on the port (RFC 5761) passes at once, unimpaired, and is counted apart: the impairment stands
// for what the media meets, and its decisions stay those of the RTP stream alone, so a run is
// reproducible whenever the links' randomised RTCP intervals happen to send.
//
// Reproducible: one seeded RNG drives every decision. Bounded: at most max_queued_packets wait
// at once (preallocated), more are dropped and counted as overflow. Runs on the caller's
// io_context (handlers serialised on a strand); destroy it only once the io_context has stopped
// running its handlers. Counters may be read from any thread.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <random>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "audio/pace.h"
#include "net/gilbert_elliott.h"

namespace extrema::net {

struct ImpairmentConfig {
    double loss_percent = 0.0;  // each datagram dropped with this probability
    // 0: the losses are independent. >= 1: they come in bursts of this many datagrams on
    // average, at the same average loss_percent (the Gilbert model: gilbert_from_loss_and_burst;
    // it refuses a loss above 100 L / (L + 1) %). Each direction has its own chain.
    double burst_packets = 0.0;
    // Loss (random or bursty) stops this many seconds of media time after the first datagram
    // came (the stream's start): a network that calms down. The datagrams after it then meet the
    // rest of the config by the clock, not by their order alone. Unset: loss throughout.
    std::optional<double> loss_ends_at_s;
    double delay_ms = 0.0;           // fixed extra delay on every datagram
    double jitter_ms = 0.0;          // plus a uniform random delay in [0, jitter_ms]
    double reorder_percent = 0.0;    // held back and sent right after the next datagram
    double duplicate_percent = 0.0;  // sent twice
    std::uint64_t seed = 1;          // same seed, same traffic: same decisions
    // Datagrams waiting at once, per proxy. 1024 is 10 s of 10 ms packets in each direction at
    // the largest delays tests use; beyond it the proxy drops (overflow) instead of growing.
    std::size_t max_queued_packets = 1024;
    // Largest datagram forwarded; our packets are at most about 1.6 kB (wire_limits.h).
    std::size_t max_datagram_bytes = 2048;
    // A held-back datagram goes out after this long if no next one comes (end of a stream), so
    // reordering never turns into loss. 100 ms: far beyond packet_ms, short for a test.
    double reorder_hold_max_ms = 100.0;
    // SO_RCVBUF of the listening socket: bursts from a test sender must not be lost before the
    // proxy decides anything (capped by net.core.rmem_max).
    int receive_buffer_bytes = 1 << 20;
};

struct ImpairmentCounters {
    std::uint64_t received = 0;      // datagrams that came in
    std::uint64_t forwarded = 0;     // datagrams sent out, duplicates included
    std::uint64_t dropped = 0;       // lost on purpose (loss_percent)
    std::uint64_t duplicated = 0;    // extra copies sent
    std::uint64_t reordered = 0;     // held back behind the next datagram
    std::uint64_t out_of_order = 0;  // sent after a datagram that arrived later (jitter or hold)
    std::uint64_t overflow = 0;      // dropped: queue full, oversized, or no client to reply to
    std::uint64_t send_errors = 0;
};

class ImpairmentProxy {
  public:
    // Binds `listen` (port 0: any free port) and starts receiving. Throws NetError if the port
    // is taken, std::invalid_argument for a config out of range. The config's delays are media
    // time: at a faster `pace` (a link run faster than real time) they pass as much faster.
    ImpairmentProxy(boost::asio::io_context& io, const boost::asio::ip::udp::endpoint& listen,
                    const boost::asio::ip::udp::endpoint& destination,
                    const ImpairmentConfig& config, audio::Pace pace = audio::Pace{});
    ~ImpairmentProxy();
    ImpairmentProxy(const ImpairmentProxy&) = delete;
    ImpairmentProxy& operator=(const ImpairmentProxy&) = delete;

    boost::asio::ip::udp::endpoint local_endpoint() const { return local_; }
    // Client -> destination, and destination -> last client.
    ImpairmentCounters forward_counters() const noexcept { return counters_[0].snapshot(); }
    // RTCP compounds forwarded (to the destination, back to the client).
    std::uint64_t rtcp_forwarded() const noexcept {
        return rtcp_forwarded_[0].load(std::memory_order_relaxed);
    }
    std::uint64_t rtcp_returned() const noexcept {
        return rtcp_forwarded_[1].load(std::memory_order_relaxed);
    }
    ImpairmentCounters reverse_counters() const noexcept { return counters_[1].snapshot(); }
    // Datagrams waiting to go out (delayed or held).
    std::size_t queued() const noexcept { return queued_.load(std::memory_order_relaxed); }
    // Closes the socket and drops what is queued; safe from any thread.
    void stop();

  private:
    enum Direction : std::size_t { kForward = 0, kReverse = 1 };
    struct AtomicCounters {
        std::atomic<std::uint64_t> received{0}, forwarded{0}, dropped{0}, duplicated{0},
            reordered{0}, out_of_order{0}, overflow{0}, send_errors{0};
        ImpairmentCounters snapshot() const noexcept;
    };
    struct Packet {
        std::vector<std::uint8_t> bytes;  // capacity max_datagram_bytes, reserved up front
        std::size_t size = 0;
        Direction direction = kForward;
        std::uint64_t arrival = 0;  // arrival index within its direction
    };
    struct Entry {
        std::chrono::steady_clock::time_point due;
        std::uint64_t order = 0;  // tie-break: FIFO among equal due times
        std::size_t slot = 0;
    };
    struct Held {
        std::optional<std::size_t> slot;
        std::chrono::steady_clock::time_point due;
        std::uint64_t generation = 0;
    };

    void receive();
    void on_datagram(std::size_t size);
    std::optional<std::size_t> take_slot(Direction direction, std::size_t size);
    void schedule(std::size_t slot, std::chrono::steady_clock::time_point due);
    void arm_timer();
    void on_timer();
    void hold(std::size_t slot, std::chrono::steady_clock::time_point due);
    void release_held(Direction direction, std::chrono::steady_clock::time_point not_before);
    void send(std::size_t slot);
    void forward_rtcp(Direction direction, std::size_t size);
    double uniform() noexcept;  // [0, 1)
    bool chance(double percent) noexcept { return percent > 0.0 && uniform() * 100.0 < percent; }
    bool lose(Direction direction) noexcept;  // loss_percent, independent or bursty

    // A delay of the config, on the steady clock at the pace.
    std::chrono::steady_clock::duration from_ms(double ms) const noexcept;

    ImpairmentConfig config_;
    audio::Pace pace_;
    boost::asio::strand<boost::asio::io_context::executor_type> strand_;
    boost::asio::ip::udp::socket socket_;
    boost::asio::ip::udp::endpoint local_;
    boost::asio::ip::udp::endpoint destination_;
    std::optional<boost::asio::ip::udp::endpoint> client_;
    boost::asio::steady_timer timer_;
    boost::asio::steady_timer hold_timers_[2];

    std::vector<std::uint8_t> receive_buffer_;
    boost::asio::ip::udp::endpoint sender_;
    std::vector<Packet> packets_;
    std::vector<std::size_t> free_;
    std::vector<Entry> heap_;  // min-heap on (due, order)
    Held held_[2];
    std::uint64_t next_order_ = 0;
    std::uint64_t arrivals_[2] = {0, 0};
    std::uint64_t highest_sent_[2] = {0, 0};  // highest arrival index sent, plus one
    std::mt19937_64 rng_;
    std::optional<GilbertElliott> bursts_[2];                        // set when burst_packets > 0
    std::optional<std::chrono::steady_clock::time_point> loss_end_;  // set at the first datagram
    bool stopped_ = false;

    AtomicCounters counters_[2];
    std::atomic<std::uint64_t> rtcp_forwarded_[2] = {0, 0};
    std::atomic<std::size_t> queued_{0};
};

}  // namespace extrema::net
