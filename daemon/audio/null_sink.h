#pragma once
// NullSink: pulls and discards at real-time pace, as a sound card would, so a receiver without
// audio output (a monitor, a test) still plays out its timeline at the right speed. Its clock is
// a Pump, whose pulls run in a RealtimeScope, like a callback.
#include <cstdint>
#include <string>

#include "audio/audio_backend.h"
#include "audio/frame_reader.h"
#include "audio/pump.h"
#include "audio/source_thread.h"

namespace extrema::audio {

struct NullSinkConfig {
    int rate_hz = codec::kDefaultSampleRateHz;
    int channels = kDefaultChannels;
    // One "period" of the pretend device; 10 ms like the other paced endpoints.
    int block_ms = kDefaultBlockMs;
};

class NullSink final : public AudioSink {
  public:
    NullSink(FrameReader& reader, const NullSinkConfig& config);

    void start() override { pump_.start(); }
    void stop() override { pump_.stop(); }
    int rate_hz() const noexcept override { return config_.rate_hz; }
    int channels() const noexcept override { return config_.channels; }
    EndpointStats stats() const noexcept override { return {pump_.frames(), 0}; }
    std::string describe() const override;

  private:
    NullSinkConfig config_;
    Pump pump_;
};

}  // namespace extrema::audio
