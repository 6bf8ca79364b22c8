#pragma once
// SampleRing: the single-producer single-consumer ring of float samples between a real-time audio
// callback and a worker thread (SPEC §1). A boost::lockfree::spsc_queue with its capacity fixed
// at construction (the only allocation), and the overrun and underrun counters beside it.
//
// Samples are interleaved frames of `channels` samples; push and pop move whole frames only, so
// a short ring never leaves the channels misaligned.
//
// Two flavours on each side:
//   push / pop                     — for a real-time end (a device callback, a paced loop): it
//       cannot wait, so what does not fit is dropped and counted as an overrun, and what is
//       missing is zero-filled and counted as an underrun.
//   push_available / pop_available — for a worker thread that can wait and retry: moves what it
//       can, counts nothing.
// After construction nothing here allocates, locks or makes a syscall. read_available() is for
// the consumer, write_available() for the producer (spsc_queue's rule); counters() and
// capacity_samples() for anyone.
#include <atomic>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <span>

#include <boost/lockfree/spsc_queue.hpp>

namespace extrema::audio {

struct RingCounters {
    std::uint64_t overrun_samples = 0;   // dropped by push() for want of room
    std::uint64_t overrun_events = 0;    // push() calls that dropped anything
    std::uint64_t underrun_samples = 0;  // zero-filled by pop() for want of data
    std::uint64_t underrun_events = 0;   // pop() calls that zero-filled anything
};

class SampleRing {
  public:
    // capacity_frames * channels samples are allocated here, once.
    explicit SampleRing(std::size_t capacity_frames, int channels = 1)
        : queue_(capacity_frames * static_cast<std::size_t>(channels)),
          channels_(static_cast<std::size_t>(channels)),
          capacity_samples_(capacity_frames * static_cast<std::size_t>(channels)) {
        assert(channels >= 1 && capacity_frames >= 1);
    }
    SampleRing(const SampleRing&) = delete;
    SampleRing& operator=(const SampleRing&) = delete;

    // Producer, real-time: pushes the whole frames that fit; the rest is dropped and counted.
    // Returns the samples accepted.
    std::size_t push(std::span<const float> samples) noexcept {
        const std::size_t accepted = push_available(samples);
        if (accepted < samples.size()) {
            overrun_samples_.fetch_add(samples.size() - accepted, std::memory_order_relaxed);
            overrun_events_.fetch_add(1, std::memory_order_relaxed);
        }
        return accepted;
    }

    // Producer, may wait: pushes the whole frames that fit, counts nothing.
    std::size_t push_available(std::span<const float> samples) noexcept {
        assert(samples.size() % channels_ == 0);
        const std::size_t room = whole_frames(queue_.write_available());
        const std::size_t n = samples.size() < room ? samples.size() : room;
        return n == 0 ? 0 : queue_.push(samples.data(), n);
    }

    // Consumer, real-time: fills `out` with what is there and zero-fills the rest, counted as an
    // underrun. Returns the samples that were real.
    std::size_t pop(std::span<float> out) noexcept {
        const std::size_t got = pop_available(out);
        if (got < out.size()) {
            for (std::size_t i = got; i < out.size(); ++i) out[i] = 0.0f;
            underrun_samples_.fetch_add(out.size() - got, std::memory_order_relaxed);
            underrun_events_.fetch_add(1, std::memory_order_relaxed);
        }
        return got;
    }

    // Consumer, may wait: pops up to out.size() samples (whole frames), counts nothing.
    std::size_t pop_available(std::span<float> out) noexcept {
        assert(out.size() % channels_ == 0);
        const std::size_t have = whole_frames(queue_.read_available());
        const std::size_t n = out.size() < have ? out.size() : have;
        return n == 0 ? 0 : queue_.pop(out.data(), n);
    }

    // Consumer only.
    std::size_t read_available() const noexcept { return queue_.read_available(); }
    // Producer only.
    std::size_t write_available() const noexcept { return queue_.write_available(); }

    std::size_t capacity_samples() const noexcept { return capacity_samples_; }
    int channels() const noexcept { return static_cast<int>(channels_); }

    RingCounters counters() const noexcept {
        return {overrun_samples_.load(std::memory_order_relaxed),
                overrun_events_.load(std::memory_order_relaxed),
                underrun_samples_.load(std::memory_order_relaxed),
                underrun_events_.load(std::memory_order_relaxed)};
    }

  private:
    std::size_t whole_frames(std::size_t samples) const noexcept {
        return samples - samples % channels_;
    }

    boost::lockfree::spsc_queue<float> queue_;
    std::size_t channels_;
    std::size_t capacity_samples_;
    // Relaxed: they are statistics, read by a stats thread that needs no ordering with the data.
    std::atomic<std::uint64_t> overrun_samples_{0};
    std::atomic<std::uint64_t> overrun_events_{0};
    std::atomic<std::uint64_t> underrun_samples_{0};
    std::atomic<std::uint64_t> underrun_events_{0};
    static_assert(std::atomic<std::uint64_t>::is_always_lock_free,
                  "the counters must not fall back to a lock");
};

}  // namespace extrema::audio
