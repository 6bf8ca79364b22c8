#include "audio/pump.h"

#include <string>
#include <utility>

#include "audio/audio_backend.h"
#include "audio/rt_guard.h"

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
      pace_(pace) {
    if (period_frames_ == 0 || channels < 1) {
        throw AudioError("pump: rate, channel count and period must be positive (" +
                         std::to_string(rate_hz) + " Hz x" + std::to_string(channels) + ", " +
                         std::to_string(period.count()) + " us)");
    }
    block_.resize(period_frames_ * static_cast<std::size_t>(channels));
}

Pump::~Pump() {
    stop();
}

void Pump::start() {
    if (thread_.joinable()) return;
    stop_requested_ = false;
    thread_ = std::thread([this] { run(); });
}

void Pump::stop() {
    stop_requested_ = true;
    if (thread_.joinable()) thread_.join();
}

void Pump::run() noexcept {
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
        write_(std::span<const float>(block_));
        frames_.fetch_add(period_frames_, std::memory_order_relaxed);
    }
}

}  // namespace extrema::audio
