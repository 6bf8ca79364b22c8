#pragma once
// NetworkLoop: a link's network thread and when it wakes. It wakes on its own schedule and
// nothing else: when the capture device delivers the block that can complete the next packet (a
// sending link whose source keeps a DeliveryClock, capture_wake.h), else at a steady tick, and at
// least every poll interval. Each wake-up runs the link's work (NetworkWork::on_wake); the
// thread runs at real-time priority when the system grants it. Live reconfiguration (SIGHUP)
// comes in through a mailbox that the thread empties at its next wake-up, so the work never
// changes under the thread's feet.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

#include "audio/delivery_clock.h"
#include "audio/pace.h"
#include "pipeline/link_config.h"

namespace extrema::pipeline {

// The name of every link's network thread (Linux allows 15 characters).
inline constexpr const char* kNetworkThreadName = "extrema-net";
// SCHED_FIFO priority of the network thread when allowed: above ordinary threads, below JACK's
// own (5 and up) and its clients.
inline constexpr int kNetworkThreadPriority = 3;

// The network tick for a packet duration: half a packet, clamped to 1..5 ms (network_loop.cpp
// says why).
std::chrono::microseconds tick_for(double packet_ms);
// The longest a datagram waits in the socket when the thread wakes with the capture instead:
// one packet, clamped to 1..10 ms (network_loop.cpp says why).
std::chrono::microseconds poll_for(double packet_ms);

// What the loop runs, on its thread.
class NetworkWork {
  public:
    // The thread's first act, before its first sleep.
    virtual void on_start() = 0;
    // One wake-up's work: read the socket, encode and send, publish the counters.
    virtual void on_wake() = 0;
    // The last wake-up, after stop(): flush what is encoded, close the socket.
    virtual void on_finish() = 0;
    // Capture frames the next packet needs beyond those the last wake-up took; none when
    // nothing more will be sent.
    virtual std::optional<std::uint64_t> samples_until_packet() const = 0;
    // A reload (see NetworkLoop::reload); may throw, and the caller of reload() gets the error.
    virtual void apply_reload(const LinkConfig& fresh) = 0;

  protected:
    ~NetworkWork() = default;
};

class NetworkLoop {
  public:
    // `capture_clock` (may be null): wake with the capture, at least every `poll` (wall time);
    // without one, every `tick` (wall time). `rate_hz` and `pace` turn capture frames into time.
    NetworkLoop(NetworkWork& work, std::chrono::steady_clock::duration tick,
                const audio::DeliveryClock* capture_clock, std::chrono::steady_clock::duration poll,
                int rate_hz, audio::Pace pace);
    ~NetworkLoop();  // stops
    NetworkLoop(const NetworkLoop&) = delete;
    NetworkLoop& operator=(const NetworkLoop&) = delete;

    // Starts the thread; its first wake-up is a tick or a poll after `started_at`.
    void start(std::chrono::steady_clock::time_point started_at);
    // The thread runs on_finish() and ends; returns once it has. Idempotent.
    void stop();
    // Applies `fresh` on the thread at its next wake-up (or as it ends), or here when no thread
    // runs; returns once applied and rethrows what apply_reload() threw. One reload at a time.
    void reload(const LinkConfig& fresh);
    // Network thread (or after stop()): the wake-ups so far, most of a link's CPU.
    std::uint64_t wakeups() const noexcept { return wakeups_; }

  private:
    void run() noexcept;
    // When to wake after a wake-up that ran at `now`; `delivered` is the capture clock read
    // before the work drained the ring.
    std::chrono::steady_clock::time_point next_wake(const std::optional<audio::Delivery>& delivered,
                                                    std::chrono::steady_clock::time_point now);
    void apply_pending_reload();

    NetworkWork& work_;
    std::chrono::steady_clock::duration tick_;
    const audio::DeliveryClock* capture_clock_;
    std::chrono::steady_clock::duration poll_;
    int rate_hz_;
    audio::Pace pace_;
    std::chrono::steady_clock::time_point started_at_{};
    std::uint64_t wakeups_ = 0;  // network thread only
    std::thread thread_;
    std::atomic<bool> finish_{false};

    // The reload mailbox: reload() leaves `pending_reload_` and waits; the thread applies it and
    // clears it.
    std::mutex reload_serial_;
    std::mutex reload_mutex_;
    std::condition_variable reload_done_;
    std::atomic<bool> reload_waiting_{false};
    std::optional<LinkConfig> pending_reload_;
    std::exception_ptr reload_failure_;
    bool thread_active_ = false;  // under reload_mutex_: the thread will still apply
};

}  // namespace extrema::pipeline
