#pragma once
// RingRefill: a producer that fills a playback ring from inside the consumer's callback, just
// before the consumer takes from it. The ring then holds only what one callback takes; a producer
// on its own thread would have to keep a margin for when it wakes, and that margin is latency.
// The implementation runs on the audio callback thread and obeys its rules (SPEC §1: no lock,
// allocation, logging, syscall or exception).
#include <cstddef>

namespace extrema::audio {

class RingRefill {
  public:
    // Pushes `samples` samples (interleaved, the ring's channel count) into the ring, now.
    virtual void refill(std::size_t samples) noexcept = 0;

  protected:
    ~RingRefill() = default;
};

}  // namespace extrema::audio
