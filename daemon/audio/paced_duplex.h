#pragma once
// PacedDuplex: a pretend full-duplex sound card, a generated microphone (the tone) and a null
// speaker on one clock. One thread, one period at a time: it delivers a captured block into the
// capture ring, then plays one block into nothing, as PortAudioDuplex's single callback does for
// a real card. A ToneSource and a NullSink side by side would wake two threads each period for
// what one wake-up does. The playing pulls from a FrameReader in a RealtimeScope, like a
// callback.
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "audio/audio_backend.h"
#include "audio/frame_reader.h"
#include "audio/sample_ring.h"
#include "audio/source_thread.h"

namespace extrema::audio {

class PacedDuplex final : public AudioSource, public AudioSink {
  public:
    // `fill` makes the captured blocks (SourceThread::Fill); an ending fill ends playback too.
    // Plays as many channels as it captures. AudioError if the rate or period is not positive.
    PacedDuplex(SampleRing& capture_ring, FrameReader& playback, int rate_hz, int block_ms,
                SourceThread::Fill fill, std::string description);
    ~PacedDuplex() override;

    void start() override { thread_->start(); }
    void stop() override { thread_->stop(); }
    int rate_hz() const noexcept override { return rate_hz_; }
    int channels() const noexcept override { return channels_; }
    // Frames of the stream: every period captures and plays the same number.
    EndpointStats stats() const noexcept override { return {thread_->frames(), 0}; }
    std::string describe() const override { return description_; }
    bool finished() const noexcept override { return thread_->finished(); }
    const DeliveryClock* delivery_clock() const noexcept override {
        return thread_->delivery_clock();
    }

  private:
    void play_block() noexcept;  // the duplex thread, after each captured block

    FrameReader& playback_;
    int rate_hz_;
    int channels_;
    std::string description_;
    std::vector<float> block_;
    std::unique_ptr<SourceThread> thread_;  // last: joined before the rest goes
};

}  // namespace extrema::audio
