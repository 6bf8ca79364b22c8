#include "pipeline/network_loop.h"

#include <algorithm>

#include <pthread.h>

#include "pipeline/capture_wake.h"

namespace extrema::pipeline {
namespace {

using std::chrono::steady_clock;

std::chrono::microseconds clamped_ms(double ms, double lo, double hi) {
    return std::chrono::microseconds(static_cast<std::int64_t>(std::clamp(ms, lo, hi) * 1000.0));
}

}  // namespace

// The network tick: half a packet, so a packet's records leave within half a packet of being
// complete, but no faster than 1 ms (every wake-up costs a core far more than its work:
// docs/latency.md, "CPU") and no slower than 5 ms, so that datagrams wait in the socket at most
// that long whatever the packet. They wait until the tick rather than waking the thread per
// packet, for up to one tick more of delay, which the jitter target covers like any network
// jitter.
std::chrono::microseconds tick_for(double packet_ms) {
    return clamped_ms(packet_ms / 2.0, 1.0, 5.0);
}

// Waking with the capture, a packet leaves about as soon as its block is in the ring, instead of
// up to a tick later; datagrams may then wait up to a whole packet in the socket instead of a
// tick, so a packet's total wait is the same (one packet, where it was two half-packet ticks) for
// half the wake-ups: one per packet. Capped at 10 ms, as the tick at 5, for long packets.
std::chrono::microseconds poll_for(double packet_ms) {
    return clamped_ms(packet_ms, 1.0, 10.0);
}

NetworkLoop::NetworkLoop(NetworkWork& work, steady_clock::duration tick,
                         const audio::DeliveryClock* capture_clock, steady_clock::duration poll,
                         int rate_hz, audio::Pace pace)
    : work_(work),
      tick_(tick),
      capture_clock_(capture_clock),
      poll_(poll),
      rate_hz_(rate_hz),
      pace_(pace) {}

NetworkLoop::~NetworkLoop() {
    stop();
}

void NetworkLoop::start(steady_clock::time_point started_at) {
    if (thread_.joinable()) return;
    started_at_ = started_at;
    {
        const std::lock_guard lock(reload_mutex_);
        thread_active_ = true;
    }
    thread_ = std::thread([this] { run(); });
}

void NetworkLoop::stop() {
    finish_.store(true, std::memory_order_release);
    if (thread_.joinable()) thread_.join();
}

void NetworkLoop::run() noexcept {
    // Named so `top -H` and the CPU benchmark can tell the link's thread from the audio ones.
    pthread_setname_np(pthread_self(), kNetworkThreadName);
    // Real-time priority when the system grants it (the units' LimitRTPRIO, or root): a wake-up
    // delayed by ordinary threads under load delays packets past the jitter target's margin.
    // Below JACK's clients, which must never wait for us. Refused: carry on.
    sched_param priority{};
    priority.sched_priority = kNetworkThreadPriority;
    pthread_setschedparam(pthread_self(), SCHED_FIFO, &priority);
    auto wake = started_at_ + (capture_clock_ ? poll_ : tick_);
    work_.on_start();
    while (true) {
        std::this_thread::sleep_until(wake);
        if (finish_.load(std::memory_order_acquire)) break;
        ++wakeups_;
        if (reload_waiting_.load(std::memory_order_acquire)) {
            const std::lock_guard lock(reload_mutex_);
            apply_pending_reload();
        }
        // Read before the work drains the ring: every frame it counts is then taken.
        const std::optional<audio::Delivery> delivered =
            capture_clock_ ? capture_clock_->last() : std::nullopt;
        work_.on_wake();
        const auto now = steady_clock::now();
        if (capture_clock_) {
            wake = next_wake(delivered, now);
        } else {
            wake += tick_;
            // After a stall (suspend, overload) restart the ticks instead of racing to catch up.
            if (now - wake > 10 * tick_) wake = now + tick_;
        }
    }
    work_.on_finish();
    const std::lock_guard lock(reload_mutex_);
    apply_pending_reload();
    thread_active_ = false;
}

steady_clock::time_point NetworkLoop::next_wake(const std::optional<audio::Delivery>& delivered,
                                                steady_clock::time_point now) {
    const steady_clock::time_point poll = now + poll_;
    const std::optional<std::uint64_t> needed = work_.samples_until_packet();
    if (!needed) return poll;
    const std::optional<audio::Delivery> latest = capture_clock_->last(delivered);
    if (!latest) return poll;
    // The wake-up took every frame `delivered` counts (more if a block came meanwhile: then this
    // wakes early, finds the packet short and plans again); the packet needs `needed` beyond.
    const std::uint64_t wanted = (delivered ? delivered->frames : 0) + *needed;
    return std::min(poll, capture_wake(*latest, wanted, rate_hz_, now, pace_));
}

// Network thread, reload_mutex_ held: applies what reload() left and wakes it.
void NetworkLoop::apply_pending_reload() {
    if (pending_reload_) {
        try {
            work_.apply_reload(*pending_reload_);
        } catch (...) {
            reload_failure_ = std::current_exception();
        }
        pending_reload_.reset();
    }
    reload_waiting_.store(false, std::memory_order_release);
    reload_done_.notify_all();
}

void NetworkLoop::reload(const LinkConfig& fresh) {
    const std::lock_guard serial(reload_serial_);
    std::unique_lock lock(reload_mutex_);
    if (!thread_active_) {
        work_.apply_reload(fresh);
        return;
    }
    pending_reload_ = fresh;
    reload_failure_ = nullptr;
    reload_waiting_.store(true, std::memory_order_release);
    reload_done_.wait(lock, [this] { return !pending_reload_; });
    if (reload_failure_) std::rethrow_exception(reload_failure_);
}

}  // namespace extrema::pipeline
