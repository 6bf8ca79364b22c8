#include "net/impairment_proxy.h"

#include <algorithm>
#include <stdexcept>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>

#include "net/rtcp_packet.h"
#include "net/udp_socket.h"

namespace extrema::net {
namespace {

namespace asio = boost::asio;
using asio::ip::udp;
using SteadyClock = std::chrono::steady_clock;

// Heap order on (due, order): earliest on top. A generic lambda, so std::push_heap and
// std::pop_heap take it as it is (the entries are a private type of the proxy).
constexpr auto later = [](const auto& a, const auto& b) noexcept {
    return a.due != b.due ? a.due > b.due : a.order > b.order;
};

ImpairmentConfig checked(const ImpairmentConfig& config) {
    const auto percent = [](double p) { return p >= 0.0 && p <= 100.0; };
    if (!percent(config.loss_percent) || !percent(config.reorder_percent) ||
        !percent(config.duplicate_percent)) {
        throw std::invalid_argument("loss, reorder and duplicate must be 0..100 %");
    }
    if (!(config.delay_ms >= 0.0) || !(config.jitter_ms >= 0.0) ||
        !(config.reorder_hold_max_ms >= 0.0)) {
        throw std::invalid_argument("delay, jitter and reorder hold must be >= 0 ms");
    }
    if (config.loss_ends_at_s && !(*config.loss_ends_at_s >= 0.0)) {
        throw std::invalid_argument("the end of loss must be >= 0 s");
    }
    if (config.burst_packets != 0.0) {
        (void)gilbert_from_loss_and_burst(config.loss_percent, config.burst_packets);  // throws
    }
    if (config.max_queued_packets < 1 || config.max_datagram_bytes < 1) {
        throw std::invalid_argument("proxy queue and datagram size must be positive");
    }
    return config;
}

}  // namespace

SteadyClock::duration ImpairmentProxy::from_ms(double ms) const noexcept {
    return pace_.wall(std::chrono::duration<double, std::milli>(ms));
}

ImpairmentCounters ImpairmentProxy::AtomicCounters::snapshot() const noexcept {
    constexpr auto relaxed = std::memory_order_relaxed;
    return {received.load(relaxed),   forwarded.load(relaxed),  dropped.load(relaxed),
            duplicated.load(relaxed), reordered.load(relaxed),  out_of_order.load(relaxed),
            overflow.load(relaxed),   send_errors.load(relaxed)};
}

ImpairmentProxy::ImpairmentProxy(asio::io_context& io, const udp::endpoint& listen,
                                 const udp::endpoint& destination, const ImpairmentConfig& config,
                                 audio::Pace pace)
    : config_(checked(config)),
      pace_(pace),
      strand_(asio::make_strand(io)),
      socket_(bind_socket(io, listen, {.receive_buffer_bytes = config.receive_buffer_bytes})),
      local_(socket_.local_endpoint()),
      destination_(destination),
      timer_(io),
      hold_timers_{asio::steady_timer(io), asio::steady_timer(io)},
      receive_buffer_(config_.max_datagram_bytes + 1),  // one spare byte detects oversize datagrams
      rng_(config_.seed) {
    if (config_.burst_packets != 0.0) {
        const GilbertElliottParams params =
            gilbert_from_loss_and_burst(config_.loss_percent, config_.burst_packets);
        bursts_[kForward].emplace(params);
        bursts_[kReverse].emplace(params);
    }
    packets_.resize(config_.max_queued_packets);
    for (auto& packet : packets_) packet.bytes.resize(config_.max_datagram_bytes);
    free_.reserve(packets_.size());
    for (std::size_t i = packets_.size(); i-- > 0;) free_.push_back(i);
    heap_.reserve(packets_.size());
    asio::post(strand_, [this] { receive(); });
}

ImpairmentProxy::~ImpairmentProxy() = default;

void ImpairmentProxy::stop() {
    asio::post(strand_, [this] {
        stopped_ = true;
        boost::system::error_code ignored;
        socket_.close(ignored);
        timer_.cancel();
        hold_timers_[0].cancel();
        hold_timers_[1].cancel();
        heap_.clear();
        held_[0].slot.reset();
        held_[1].slot.reset();
        queued_.store(0, std::memory_order_relaxed);
    });
}

double ImpairmentProxy::uniform() noexcept {
    return static_cast<double>(rng_() >> 11) *
           0x1.0p-53;  // 53 random bits: portable, unlike <random>'s distributions
}

bool ImpairmentProxy::lose(Direction direction) noexcept {
    if (config_.loss_ends_at_s) {
        // Counted from the first datagram: the stream's start, whenever the sender got going.
        const auto now = SteadyClock::now();
        if (!loss_end_) loss_end_ = now + from_ms(*config_.loss_ends_at_s * 1e3);
        if (now >= *loss_end_) return false;
    }
    std::optional<GilbertElliott>& bursts = bursts_[direction];
    if (!bursts) return chance(config_.loss_percent);
    const double u_loss = uniform();  // two draws a datagram, in this order: seeded runs repeat
    return bursts->lose(u_loss, uniform());
}

void ImpairmentProxy::receive() {
    socket_.async_receive_from(
        asio::buffer(receive_buffer_), sender_,
        asio::bind_executor(strand_, [this](boost::system::error_code error, std::size_t size) {
            if (stopped_ || error == asio::error::operation_aborted) return;
            // Other errors (an ICMP port unreachable from an earlier send) concern
            // one datagram, not the socket: keep receiving.
            if (!error) on_datagram(size);
            receive();
        }));
}

void ImpairmentProxy::on_datagram(std::size_t size) {
    const Direction direction = sender_ == destination_ ? kReverse : kForward;
    AtomicCounters& counters = counters_[direction];
    counters.received.fetch_add(1, std::memory_order_relaxed);
    if (direction == kForward) client_ = sender_;
    if (size > config_.max_datagram_bytes || (direction == kReverse && !client_)) {
        counters.overflow.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    if (is_rtcp(std::span(receive_buffer_).first(size))) {
        forward_rtcp(direction, size);
        return;
    }
    const std::uint64_t arrival = arrivals_[direction]++;
    if (lose(direction)) {
        counters.dropped.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    const auto now = SteadyClock::now();
    const auto due = now + from_ms(config_.delay_ms + config_.jitter_ms * uniform());
    const bool duplicate = chance(config_.duplicate_percent);
    // Only one packet is held per direction: the one after it is its "next".
    const bool reorder = !held_[direction].slot && chance(config_.reorder_percent);

    const auto slot = take_slot(direction, size);
    if (!slot) return;
    packets_[*slot].arrival = arrival;
    if (reorder) {
        hold(*slot, due);
    } else {
        schedule(*slot, due);
        release_held(direction, due);
    }
    if (duplicate) {
        if (const auto copy = take_slot(direction, size)) {
            packets_[*copy].arrival = arrival;
            counters.duplicated.fetch_add(1, std::memory_order_relaxed);
            schedule(*copy, due);
        }
    }
}

std::optional<std::size_t> ImpairmentProxy::take_slot(Direction direction, std::size_t size) {
    if (free_.empty()) {
        counters_[direction].overflow.fetch_add(1, std::memory_order_relaxed);
        return std::nullopt;
    }
    const std::size_t slot = free_.back();
    free_.pop_back();
    Packet& packet = packets_[slot];
    std::copy_n(receive_buffer_.begin(), size, packet.bytes.begin());
    packet.size = size;
    packet.direction = direction;
    queued_.fetch_add(1, std::memory_order_relaxed);
    return slot;
}

void ImpairmentProxy::schedule(std::size_t slot, SteadyClock::time_point due) {
    heap_.push_back({due, next_order_++, slot});
    std::push_heap(heap_.begin(), heap_.end(), later);
    if (heap_.front().slot == slot) arm_timer();  // a new earliest deadline
}

void ImpairmentProxy::arm_timer() {
    if (heap_.empty()) return;
    timer_.expires_at(heap_.front().due);
    timer_.async_wait(asio::bind_executor(strand_, [this](boost::system::error_code error) {
        if (!stopped_ && error != asio::error::operation_aborted) on_timer();
    }));
}

void ImpairmentProxy::on_timer() {
    const auto now = SteadyClock::now();
    while (!heap_.empty() && heap_.front().due <= now) {
        std::pop_heap(heap_.begin(), heap_.end(), later);
        const std::size_t slot = heap_.back().slot;
        heap_.pop_back();
        send(slot);
    }
    arm_timer();
}

void ImpairmentProxy::hold(std::size_t slot, SteadyClock::time_point due) {
    const Direction direction = packets_[slot].direction;
    Held& held = held_[direction];
    held.slot = slot;
    held.due = due;
    const std::uint64_t generation = ++held.generation;
    counters_[direction].reordered.fetch_add(1, std::memory_order_relaxed);
    auto& timer = hold_timers_[direction];
    timer.expires_at(due + from_ms(config_.reorder_hold_max_ms));
    timer.async_wait(asio::bind_executor(
        strand_, [this, direction, generation](boost::system::error_code error) {
            if (stopped_ || error == asio::error::operation_aborted) return;
            if (held_[direction].generation == generation)
                release_held(direction, SteadyClock::now());
        }));
}

void ImpairmentProxy::release_held(Direction direction, SteadyClock::time_point not_before) {
    Held& held = held_[direction];
    if (!held.slot) return;
    // Scheduled after the datagram just queued (larger order on an equal or later due time).
    schedule(*held.slot, std::max(held.due, not_before));
    held.slot.reset();
    ++held.generation;
}

void ImpairmentProxy::forward_rtcp(Direction direction, std::size_t size) {
    const udp::endpoint& to = direction == kForward ? destination_ : *client_;
    boost::system::error_code error;
    socket_.send_to(asio::buffer(receive_buffer_.data(), size), to, 0, error);
    if (!error) rtcp_forwarded_[direction].fetch_add(1, std::memory_order_relaxed);
}

void ImpairmentProxy::send(std::size_t slot) {
    Packet& packet = packets_[slot];
    AtomicCounters& counters = counters_[packet.direction];
    const udp::endpoint& to = packet.direction == kForward ? destination_ : *client_;
    boost::system::error_code error;
    socket_.send_to(asio::buffer(packet.bytes.data(), packet.size), to, 0, error);
    if (error) {
        counters.send_errors.fetch_add(1, std::memory_order_relaxed);
    } else {
        counters.forwarded.fetch_add(1, std::memory_order_relaxed);
    }
    std::uint64_t& highest = highest_sent_[packet.direction];
    if (packet.arrival + 1 < highest) counters.out_of_order.fetch_add(1, std::memory_order_relaxed);
    highest = std::max(highest, packet.arrival + 1);
    free_.push_back(slot);
    queued_.fetch_sub(1, std::memory_order_relaxed);
}

}  // namespace extrema::net
