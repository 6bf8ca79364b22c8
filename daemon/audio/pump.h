#pragma once
// Pump: the clock of a sink that has none of its own (a file, the null sink). On its own thread,
// once per period of the steady clock (at the link's Pace, against absolute deadlines so it never
// drifts), it pulls one period of frames from a FrameReader, inside a RealtimeScope as a device
// callback would, and hands them to `write` outside it. After a stall it catches up period by
// period: a file must get every sample of the timeline.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <thread>
#include <vector>

#include "audio/frame_reader.h"
#include "audio/pace.h"

namespace extrema::audio {

class Pump {
  public:
    // Takes one period of frames; runs on the pump's thread, may block (a file write), must not
    // throw.
    using Write = std::function<void(std::span<const float> frames)>;

    // AudioError if the rate, channel count or period is not positive.
    Pump(FrameReader& reader, int rate_hz, int channels, std::chrono::microseconds period,
         Write write, Pace pace = Pace{});
    ~Pump();  // stops
    Pump(const Pump&) = delete;
    Pump& operator=(const Pump&) = delete;

    void start();
    // Returns once the thread has ended: no read() or write() runs any more.
    void stop();
    std::uint64_t frames() const noexcept { return frames_.load(std::memory_order_relaxed); }

  private:
    void run() noexcept;

    FrameReader& reader_;
    int rate_hz_;
    std::size_t period_frames_;
    Write write_;
    Pace pace_;
    std::vector<float> block_;
    std::thread thread_;
    std::atomic<bool> stop_requested_{false};
    std::atomic<std::uint64_t> frames_{0};
};

}  // namespace extrema::audio
