#pragma once
// Pump: the clock of a sink that has none of its own (a file, the null sink). On its own thread,
// once per period of the steady clock (at the link's Pace, against absolute deadlines so it never
// drifts), it pulls one period of frames from a FrameReader, inside a RealtimeScope as a device
// callback would, and hands them to `write` outside it. After a stall it catches up period by
// period: a file must get every sample of the timeline.
//
// The pull stands for a device callback, so it must keep its pace whatever the disk does: the
// pump thread runs at the real-time source's priority when granted (kRealTimeSourcePriority) and
// only pulls, into a write-behind ring; a second, ordinary thread drains the ring into `write`,
// which may block (a write, a sync). Should the writer fall a whole ring behind, the pull waits
// for room: the timeline then lags, but no sample is lost.
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
#include "audio/sample_ring.h"

namespace extrema::audio {

class Pump {
  public:
    // Takes one period of frames; runs on the writer thread, may block (a file write), must not
    // throw.
    using Write = std::function<void(std::span<const float> frames)>;

    // AudioError if the rate, channel count or period is not positive.
    Pump(FrameReader& reader, int rate_hz, int channels, std::chrono::microseconds period,
         Write write, Pace pace = Pace{});
    ~Pump();  // stops
    Pump(const Pump&) = delete;
    Pump& operator=(const Pump&) = delete;

    void start();
    // Returns once both threads have ended and every frame pulled has been written: no read() or
    // write() runs any more.
    void stop();
    std::uint64_t frames() const noexcept { return frames_.load(std::memory_order_relaxed); }

    // How far the writer may fall behind the pull before the pull waits: seconds of the timeline.
    static constexpr int kWriteBehindSeconds = 4;
    // The pump thread's name, so `top -H` tells it from the network and source threads.
    static constexpr const char* kThreadName = "extrema-sink";

  private:
    void run() noexcept;
    void drain() noexcept;

    FrameReader& reader_;
    int rate_hz_;
    std::size_t period_frames_;
    Write write_;
    Pace pace_;
    std::vector<float> block_;        // the pump thread's period
    std::vector<float> write_block_;  // the writer thread's period
    SampleRing behind_;               // pulled, not yet written
    std::thread thread_;
    std::thread writer_;
    std::atomic<bool> stop_requested_{false};
    std::atomic<bool> pulling_ended_{false};
    std::atomic<std::uint64_t> frames_{0};
};

}  // namespace extrema::audio
