#include "audio/null_sink.h"

#include <chrono>

#include "audio/rt_guard.h"

namespace extrema::audio {

NullSink::NullSink(SampleRing& ring, const NullSinkConfig& config)
    : ring_(ring),
      config_(config),
      gate_(config.prefill_frames * static_cast<std::size_t>(ring.channels())),
      block_frames_(static_cast<std::size_t>(config.rate_hz) *
                    static_cast<std::size_t>(config.block_ms) / 1000) {
    if (config.rate_hz < 1 || block_frames_ == 0) {
        throw AudioError("null sink: rate and block length must be positive");
    }
    block_.resize(block_frames_ * static_cast<std::size_t>(ring.channels()));
}

NullSink::~NullSink() {
    stop();
}

std::string NullSink::describe() const {
    return "null sink, " + std::to_string(config_.rate_hz) + " Hz x" +
           std::to_string(ring_.channels());
}

void NullSink::start() {
    if (thread_.joinable()) return;
    stop_requested_ = false;
    thread_ = std::thread([this] { run(); });
}

void NullSink::stop() {
    stop_requested_ = true;
    if (thread_.joinable()) thread_.join();
}

void NullSink::run() noexcept {
    using Clock = std::chrono::steady_clock;
    const auto t0 = Clock::now();
    std::uint64_t consumed = 0;
    while (!stop_requested_.load(std::memory_order_relaxed)) {
        consumed += block_frames_;
        // Absolute deadlines from the start: no drift, whatever the wake-up jitter.
        std::this_thread::sleep_until(
            t0 + std::chrono::nanoseconds(consumed * 1'000'000'000ULL /
                                          static_cast<std::uint64_t>(config_.rate_hz)));
        const RealtimeScope realtime;
        gate_.pop(ring_, std::span<float>(block_));
        frames_.fetch_add(block_frames_, std::memory_order_relaxed);
    }
}

}  // namespace extrema::audio
