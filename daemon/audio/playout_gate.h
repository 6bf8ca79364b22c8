#pragma once
// PlayoutGate: keeps a playback consumer silent until its ring first holds `prefill_samples`.
// A sink is usually started before its producer has anything (a receiver waiting for the first
// packet); without the gate every period of that wait would count as an underrun. Once open, the
// gate stays open: later shortfalls are real underruns and are counted by SampleRing::pop().
// Consumer-side only, real-time safe.
#include <atomic>
#include <cstddef>
#include <span>

#include "audio/ring_refill.h"
#include "audio/sample_ring.h"

namespace extrema::audio {

class PlayoutGate {
  public:
    explicit PlayoutGate(std::size_t prefill_samples) noexcept
        : prefill_samples_(prefill_samples == 0 ? 1 : prefill_samples) {}

    // Who fills the ring just before each pop (see RingRefill); null for none. Set before the
    // consumer starts.
    void set_refill(RingRefill* refill) noexcept {
        refill_.store(refill, std::memory_order_release);
    }

    // Fills `out` from the ring once the gate is open, with silence before. Returns the samples
    // taken from the ring.
    std::size_t pop(SampleRing& ring, std::span<float> out) noexcept {
        if (RingRefill* refill = refill_.load(std::memory_order_acquire))
            refill->refill(out.size());
        if (!open_) {
            if (ring.read_available() < prefill_samples_) {
                for (float& s : out) s = 0.0f;
                return 0;
            }
            open_ = true;
        }
        return ring.pop(out);
    }

  private:
    std::atomic<RingRefill*> refill_{nullptr};
    std::size_t prefill_samples_;  // at least one sample: "the producer has started"
    bool open_ = false;
};

}  // namespace extrema::audio
