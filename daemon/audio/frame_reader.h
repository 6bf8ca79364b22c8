#pragma once
// FrameReader: where a sink pulls what it plays. The sink's clock (a device callback, or a Pump
// for a sink without one) asks for exactly the frames it is about to play, so nothing waits
// between the receive side and the sink: no ring, no level to keep, no producer thread to wake.
#include <span>

namespace extrema::audio {

class FrameReader {
  public:
    // Fills all of `out` (interleaved frames of the sink's channel count). Runs on the sink's
    // playout thread, often a real-time callback: no lock, allocation, logging, syscall or
    // exception (SPEC §1).
    virtual void read(std::span<float> out) noexcept = 0;

  protected:
    ~FrameReader() = default;
};

}  // namespace extrema::audio
