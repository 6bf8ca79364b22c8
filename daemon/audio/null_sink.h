#pragma once
// NullSink: consumes and discards at real-time pace, as a sound card would, so a receiver without
// audio output (a monitor, a test) still drains its ring at the right speed and its underrun
// counters mean what they would on a device. Its pop runs in a RealtimeScope, like a callback.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "audio/audio_backend.h"
#include "audio/playout_gate.h"
#include "audio/sample_ring.h"
#include "audio/source_thread.h"

namespace extrema::audio {

struct NullSinkConfig {
    int rate_hz = kDefaultStreamRateHz;
    // One "period" of the pretend device; 10 ms like the other paced endpoints.
    int block_ms = kDefaultBlockMs;
    // As PortAudioConfig::prefill_frames: 0 = start consuming with the first frame.
    std::size_t prefill_frames = 0;
};

class NullSink final : public AudioSink {
  public:
    NullSink(SampleRing& ring, const NullSinkConfig& config);
    ~NullSink() override;

    void start() override;
    void stop() override;
    int rate_hz() const noexcept override { return config_.rate_hz; }
    int channels() const noexcept override { return ring_.channels(); }
    EndpointStats stats() const noexcept override {
        return {frames_.load(std::memory_order_relaxed), 0};
    }
    std::string describe() const override;
    bool set_refill(RingRefill* refill) noexcept override {
        gate_.set_refill(refill);
        return true;
    }

  private:
    void run() noexcept;

    SampleRing& ring_;
    NullSinkConfig config_;
    PlayoutGate gate_;
    std::size_t block_frames_;
    std::vector<float> block_;
    std::thread thread_;
    std::atomic<bool> stop_requested_{false};
    std::atomic<std::uint64_t> frames_{0};
};

}  // namespace extrema::audio
