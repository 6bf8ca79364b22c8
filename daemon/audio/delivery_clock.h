#pragma once
// DeliveryClock: when a capture source last put audio into its ring. The source (a device
// callback, a paced loop) publishes after every push; the link's network thread reads it to wake
// right after the block that can complete its next packet, instead of polling the ring on a fixed
// tick that is mostly early or late.
//
// A sequence lock built of atomics: publish() is wait-free (stores only: no lock, allocation or
// syscall; the caller reads the steady clock, which on Linux is a vDSO read, as PortAudio does
// around every callback to measure its load), and last() retries while a publish is under way,
// a bounded number of times: a real-time reader that preempted the publisher mid-update on the
// same CPU would otherwise spin until the kernel throttles it, as the publisher cannot run to
// finish while the reader holds the CPU. Then last() gives back the caller's previous value.
// One publisher.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>

namespace extrema::audio {

struct Delivery {
    std::uint64_t frames = 0;                    // frames delivered in all, this block included
    std::uint32_t block_frames = 0;              // frames in this block: the device's period
    std::chrono::steady_clock::time_point at{};  // when the block was in the ring
};

class DeliveryClock {
  public:
    // Publisher only.
    void publish(std::uint64_t frames, std::uint32_t block_frames,
                 std::chrono::steady_clock::time_point at) noexcept {
        const std::uint32_t sequence = sequence_.load(std::memory_order_relaxed);
        sequence_.store(sequence + 1, std::memory_order_relaxed);  // odd: being written
        // Release on each field keeps the odd count ahead of it (no fences: TSan cannot model
        // them, and these are a few stores a period).
        frames_.store(frames, std::memory_order_release);
        block_frames_.store(block_frames, std::memory_order_release);
        at_ticks_.store(at.time_since_epoch().count(), std::memory_order_release);
        sequence_.store(sequence + 2, std::memory_order_release);
    }

    // A publish is a few stores, so a reader that races one sees it done within a retry or two;
    // one that still sees it under way after this many is running ahead of a preempted publisher.
    static constexpr int kMaxReadAttempts = 64;

    // Any thread. Nothing before the first publish. `previous` (the caller's last reading) is
    // what it returns if a publish stays under way for kMaxReadAttempts looks.
    std::optional<Delivery> last(const std::optional<Delivery>& previous = {}) const noexcept {
        for (int attempt = 0; attempt < kMaxReadAttempts; ++attempt) {
            const std::uint32_t before = sequence_.load(std::memory_order_acquire);
            if (before == 0) return std::nullopt;
            if ((before & 1U) != 0) continue;  // a publish is under way: a few stores, retry
            Delivery delivery;
            // Acquire on each field keeps the second look at the count behind it: a field from a
            // publish under way implies that publish's odd count is seen there.
            delivery.frames = frames_.load(std::memory_order_acquire);
            delivery.block_frames = block_frames_.load(std::memory_order_acquire);
            delivery.at = std::chrono::steady_clock::time_point(
                std::chrono::steady_clock::duration(at_ticks_.load(std::memory_order_acquire)));
            if (sequence_.load(std::memory_order_relaxed) == before) return delivery;
        }
        return previous;
    }

  private:
    friend struct DeliveryClockTestAccess;  // freezes a publish halfway, as a preemption would

    std::atomic<std::uint32_t> sequence_{0};
    std::atomic<std::uint64_t> frames_{0};
    std::atomic<std::uint32_t> block_frames_{0};
    std::atomic<std::chrono::steady_clock::rep> at_ticks_{0};
};

}  // namespace extrema::audio
