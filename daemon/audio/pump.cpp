#include "audio/pump.h"

#include <pthread.h>
#include <sched.h>

#include <string>
#include <utility>

#include "audio/audio_backend.h"
#include "audio/rt_guard.h"
#include "audio/source_thread.h"

namespace extrema::audio {

Pump::Pump(FrameReader& reader, int rate_hz, int channels, std::chrono::microseconds period,
           Write write, Pace pace)
    : reader_(reader),
      rate_hz_(rate_hz),
      period_frames_(rate_hz > 0 && period.count() > 0
                         ? static_cast<std::size_t>(static_cast<std::int64_t>(rate_hz) *
                                                    period.count() / 1'000'000)
                         : 0),
      write_(std::move(write)),
      pace_(pace),
      behind_(static_cast<std::size_t>(rate_hz > 0 ? rate_hz : 1) * kWriteBehindSeconds,
              channels > 0 ? channels : 1) {
    if (period_frames_ == 0 || channels < 1) {
        throw AudioError("pump: rate, channel count and period must be positive (" +
                         std::to_string(rate_hz) + " Hz x" + std::to_string(channels) + ", " +
                         std::to_string(period.count()) + " us)");
    }
    block_.resize(period_frames_ * static_cast<std::size_t>(channels));
    write_block_.resize(block_.size());
}

Pump::~Pump() {
    stop();
}

void Pump::start() {
    if (thread_.joinable()) return;
    stop_requested_ = false;
    pulling_ended_ = false;
    writer_ = std::thread([this] { drain(); });
    thread_ = std::thread([this] { run(); });
}

void Pump::stop() {
    stop_requested_ = true;
    if (thread_.joinable()) thread_.join();
    pulling_ended_ = true;
    if (writer_.joinable()) writer_.join();
}

void Pump::drain() noexcept {
    const auto wait =
        std::chrono::microseconds(static_cast<std::int64_t>(period_frames_) * 1'000'000 / rate_hz_);
    while (true) {
        // Read before popping: once pulling has ended, what is in the ring is all there will be.
        const bool ended = pulling_ended_.load(std::memory_order_acquire);
        if (behind_.read_available() >= write_block_.size()) {
            behind_.pop_available(std::span<float>(write_block_));
            write_(std::span<const float>(write_block_));
            continue;
        }
        if (ended) return;
        std::this_thread::sleep_for(pace_.wall(wait));
    }
}

void Pump::run() noexcept {
    pthread_setname_np(pthread_self(), kThreadName);
    sched_param priority{};
    priority.sched_priority = kRealTimeSourcePriority;
    pthread_setschedparam(pthread_self(), SCHED_FIFO, &priority);  // refused: carry on
    const auto t0 = std::chrono::steady_clock::now();
    std::uint64_t pulled = 0;
    while (!stop_requested_.load(std::memory_order_relaxed)) {
        pulled += period_frames_;
        // The deadline of the period's end, computed from the start in integers: no rounding
        // accumulates.
        std::this_thread::sleep_until(
            t0 + pace_.wall(std::chrono::nanoseconds(pulled * 1'000'000'000ULL /
                                                     static_cast<std::uint64_t>(rate_hz_))));
        {
            const RealtimeScope realtime;
            reader_.read(std::span<float>(block_));
        }
        // Room for the period, or wait for the writer: a sample is never dropped.
        while (behind_.write_available() < block_.size() &&
               !stop_requested_.load(std::memory_order_relaxed)) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        if (behind_.push_available(std::span<const float>(block_)) < block_.size()) break;
        frames_.fetch_add(period_frames_, std::memory_order_relaxed);
    }
}

}  // namespace extrema::audio
