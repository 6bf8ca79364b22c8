#pragma once
// SourceThread: the producer loop shared by the file and tone sources. It asks a fill function
// for one block at a time and pushes it into the ring, on its own thread, either
//   in real time — one block per block duration of the steady clock (at the link's Pace), against
//       absolute deadlines
//       so it never drifts; like a sound card it cannot wait, so what the ring cannot take is an
//       overrun (counted by the ring) — or
//   as fast as the ring accepts — waiting for room, so nothing is lost (tests, offline runs).
// In real time it publishes each delivery to its DeliveryClock, and can run a second duty after
// each block on the same thread (PacedDuplex plays a block there, as a duplex callback would).
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <span>
#include <thread>
#include <vector>

#include "audio/delivery_clock.h"
#include "audio/pace.h"
#include "audio/sample_ring.h"

namespace extrema::audio {

enum class Pacing { kRealTime, kAsFastAsPossible };

// 10 ms: the default packet_ms, so a paced source never delivers coarser than a packet and the
// encoder downstream sees a steady flow, at 100 wake-ups a second.
inline constexpr int kDefaultBlockMs = 10;

// A real-time source's thread stands for a sound card's callback, which the host's load must not
// delay: SCHED_FIFO at this priority when the system grants it (root, or the unit's LimitRTPRIO),
// one above the network thread that waits for its blocks (pipeline::kNetworkThreadPriority) and
// below JACK's own threads (5 and up). Refused: an ordinary thread, as before.
inline constexpr int kRealTimeSourcePriority = 4;
// The thread's name, so `top -H` tells it from the network and sink threads.
inline constexpr const char* kSourceThreadName = "extrema-source";

class SourceThread {
  public:
    // Writes up to block.size() samples (whole frames) and returns how many; fewer means the
    // source has ended (the short block is still delivered). Runs on the source's thread; may
    // throw, and stop() rethrows.
    using Fill = std::function<std::size_t(std::span<float> block)>;

    // Runs on the source's thread right after each real-time block is in the ring; must not throw.
    using AfterBlock = std::function<void()>;

    SourceThread(SampleRing& ring, int rate_hz, int block_ms, Pacing pacing, Fill fill,
                 AfterBlock after_block = {}, Pace pace = Pace{});
    ~SourceThread();  // stops, dropping any failure
    SourceThread(const SourceThread&) = delete;
    SourceThread& operator=(const SourceThread&) = delete;

    void start();
    // Joins the thread; rethrows what the fill function threw.
    void stop();
    // True once the last block is in the ring, or the loop ended early (stopped, or failed).
    bool finished() const noexcept { return finished_.load(std::memory_order_acquire); }
    std::uint64_t frames() const noexcept { return frames_.load(std::memory_order_relaxed); }
    // In real time, when each block arrived; as fast as possible there is no clock to follow.
    const DeliveryClock* delivery_clock() const noexcept {
        return pacing_ == Pacing::kRealTime ? &delivery_ : nullptr;
    }
    std::size_t block_frames() const noexcept { return block_frames_; }

  private:
    void run() noexcept;
    void run_paced();
    void run_fast();

    SampleRing& ring_;
    int rate_hz_;
    std::size_t block_frames_;
    std::size_t channels_;
    Pacing pacing_;
    Pace pace_;  // of the real-time deadlines
    Fill fill_;
    AfterBlock after_block_;
    DeliveryClock delivery_;
    std::vector<float> block_;
    std::thread thread_;
    std::atomic<bool> stop_requested_{false};
    std::atomic<bool> finished_{false};
    std::atomic<std::uint64_t> frames_{0};
    std::exception_ptr failure_;  // written by the thread, read after join
};

}  // namespace extrema::audio
