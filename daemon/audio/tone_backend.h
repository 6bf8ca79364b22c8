#pragma once
// The tone generator: a sine, the same on every channel, a stand-in for a microphone in tests and
// line checks. ToneSource paces it into a ring on its own thread, in real time or as fast as the
// ring accepts; PacedDuplex (paced_duplex.h) drives it together with a null speaker.
#include <complex>
#include <cstddef>
#include <memory>
#include <span>
#include <string>

#include "audio/audio_backend.h"
#include "audio/sample_ring.h"
#include "audio/source_thread.h"

namespace extrema::audio {

struct ToneConfig {
    // 1 kHz: the customary line-check tone, well inside the voice band.
    double frequency_hz = 1000.0;
    // Peak level (a full-scale sine is 0 dBFS, AES17). -20 dBFS is the usual alignment level: real
    // headroom for the compressor and codec, loud enough to see on any meter.
    double level_dbfs = -20.0;
    int rate_hz = codec::kDefaultSampleRateHz;
    Pacing pacing = Pacing::kRealTime;
    int block_ms = kDefaultBlockMs;
};

class ToneGenerator {
  public:
    // AudioError if the frequency is not in (0, rate/2) or the level is above 0 dBFS.
    ToneGenerator(const ToneConfig& config, int channels);

    // Fills the whole block (interleaved frames of `channels`) with the next samples; endless.
    std::size_t fill(std::span<float> block) noexcept;
    // "tone 1000 Hz at -20 dBFS, 48000 Hz x1"
    std::string describe() const;
    const ToneConfig& config() const noexcept { return config_; }
    int channels() const noexcept { return channels_; }

  private:
    ToneConfig config_;
    int channels_;
    double amplitude_;
    std::complex<double> step_;              // rotation per sample: e^(i 2 pi f / rate)
    std::complex<double> phasor_{1.0, 0.0};  // sin of the phase is imag()
};

class ToneSource final : public AudioSource {
  public:
    // AudioError as ToneGenerator.
    ToneSource(SampleRing& ring, const ToneConfig& config);
    ~ToneSource() override;

    void start() override { thread_->start(); }
    void stop() override { thread_->stop(); }
    int rate_hz() const noexcept override { return generator_.config().rate_hz; }
    int channels() const noexcept override { return generator_.channels(); }
    EndpointStats stats() const noexcept override { return {thread_->frames(), 0}; }
    std::string describe() const override;
    const DeliveryClock* delivery_clock() const noexcept override {
        return thread_->delivery_clock();
    }

  private:
    ToneGenerator generator_;  // filled by the source thread only
    std::unique_ptr<SourceThread> thread_;
};

}  // namespace extrema::audio
