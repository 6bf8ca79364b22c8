#pragma once
// PortAudio endpoints: a capture stream into a ring (PortAudioSource), a playback stream that
// pulls each period from a FrameReader (PortAudioSink), and one full-duplex stream doing both
// (PortAudioDuplex: a single callback for capture and playback, so on JACK the loop can add no
// period beyond the server's own, where a separate source and sink may add one; test_audio_jack
// measures both, docs/daemon.md has the figures).
//
// Callback API with paFloat32 interleaved, always: the blocking API of PortAudio's JACK host
// hard-codes two float channels and corrupts the heap otherwise, and float32 passes through JACK
// bit-exactly (int16 does not). The callbacks only move samples between the stream and the ring,
// bump atomic counters and note when capture came (DeliveryClock; the steady clock is read in the
// vDSO, as PortAudio itself does around every callback): no lock, allocation, logging, syscall or
// exception (SPEC §1); each runs inside a RealtimeScope so the tests can prove it, the reader's
// work included.
//
// Needs a live PortAudioSession for its whole life. Construction opens the stream (so every
// set-up error surfaces there as AudioError: unknown device, unsupported rate, device busy);
// start() starts it.
#include <portaudio.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>

#include "audio/audio_backend.h"
#include "audio/frame_reader.h"
#include "audio/sample_ring.h"

namespace extrema::audio {

struct PortAudioConfig {
    // "" = the host's default device; all digits = that index; otherwise a case-insensitive
    // substring of the device name (see select_device()).
    std::string device;
    int rate_hz = codec::kDefaultSampleRateHz;
    int channels = kDefaultChannels;
    // 0 = paFramesPerBufferUnspecified: the callback gets the host's own period (JACK's buffer
    // size, ALSA's period), the lowest latency, with no re-blocking inside PortAudio.
    unsigned long frames_per_buffer = 0;
    // Seconds; negative = the device's default *low* latency, which is what a live voice link
    // wants (the high default is meant for playing files).
    double suggested_latency_s = -1.0;
};

namespace detail {
// Owns an open PaStream; closes it (stopping it first if needed) on destruction.
class PaStreamHandle {
  public:
    PaStreamHandle() = default;
    ~PaStreamHandle();
    PaStreamHandle(const PaStreamHandle&) = delete;
    PaStreamHandle& operator=(const PaStreamHandle&) = delete;
    void reset(PaStream* stream) noexcept { stream_ = stream; }  // once, after opening
    // Latencies the host API reports for the open stream, ms (0 when unknown).
    double input_latency_ms() const noexcept;
    double output_latency_ms() const noexcept;
    void start(const std::string& what);
    void stop();

  private:
    PaStream* stream_ = nullptr;
    bool running_ = false;
};

// What the three endpoints share: the open stream, its format and description, the latency the
// host API reported and the counters the callback bumps. Each endpoint holds one as its last
// member (not as a base class, which would outlive the members): it is destroyed first, and its
// handle (its own last member) closes the stream, so no callback runs once the endpoint's ring
// and reader start to go.
struct PaEndpointStream {
    PaEndpointStream(int rate, int channel_count) noexcept
        : rate_hz(rate), channels(channel_count) {}

    void start() { handle.start(description); }
    void stop() { handle.stop(); }
    EndpointStats stats() const noexcept {
        return {frames.load(std::memory_order_relaxed), xruns.load(std::memory_order_relaxed),
                latency_ms};
    }

    int rate_hz;
    int channels;
    std::string description;
    double latency_ms = 0.0;
    std::atomic<std::uint64_t> frames{0};  // bumped by the callback
    std::atomic<std::uint64_t> xruns{0};   // bumped by the callback
    DeliveryClock delivery;                // capture: published by the callback
    PaStreamHandle handle;                 // last: closed first
};
}  // namespace detail

class PortAudioSource final : public AudioSource {
  public:
    PortAudioSource(SampleRing& ring, const PortAudioConfig& config);

    void start() override { stream_.start(); }
    void stop() override { stream_.stop(); }
    int rate_hz() const noexcept override { return stream_.rate_hz; }
    int channels() const noexcept override { return stream_.channels; }
    EndpointStats stats() const noexcept override { return stream_.stats(); }
    std::string describe() const override { return stream_.description; }
    const DeliveryClock* delivery_clock() const noexcept override { return &stream_.delivery; }

  private:
    static int on_audio(const void* input, void* output, unsigned long frames,
                        const PaStreamCallbackTimeInfo* time, PaStreamCallbackFlags flags,
                        void* self) noexcept;

    SampleRing& ring_;
    detail::PaEndpointStream stream_;  // last: see PaEndpointStream
};

class PortAudioSink final : public AudioSink {
  public:
    PortAudioSink(FrameReader& reader, const PortAudioConfig& config);

    void start() override { stream_.start(); }
    void stop() override { stream_.stop(); }
    int rate_hz() const noexcept override { return stream_.rate_hz; }
    int channels() const noexcept override { return stream_.channels; }
    EndpointStats stats() const noexcept override { return stream_.stats(); }
    std::string describe() const override { return stream_.description; }

  private:
    static int on_audio(const void* input, void* output, unsigned long frames,
                        const PaStreamCallbackTimeInfo* time, PaStreamCallbackFlags flags,
                        void* self) noexcept;

    FrameReader& reader_;
    detail::PaEndpointStream stream_;
};

// One stream, both directions; the same object is the pipeline's source and its sink, and
// starting or stopping it through either starts or stops both. Capture and playback may be
// different devices of the same host API; they share the input config's rate and period.
class PortAudioDuplex final : public AudioSource, public AudioSink {
  public:
    PortAudioDuplex(SampleRing& capture_ring, FrameReader& playback, const PortAudioConfig& input,
                    const PortAudioConfig& output);

    void start() override { stream_.start(); }
    void stop() override { stream_.stop(); }
    int rate_hz() const noexcept override { return stream_.rate_hz; }
    // Capture and playback have the same channel count (checked at construction).
    int channels() const noexcept override { return stream_.channels; }
    // Frames of the stream (each callback captures and plays the same number).
    EndpointStats stats() const noexcept override { return stream_.stats(); }
    std::string describe() const override { return stream_.description; }
    const DeliveryClock* delivery_clock() const noexcept override { return &stream_.delivery; }

  private:
    static int on_audio(const void* input, void* output, unsigned long frames,
                        const PaStreamCallbackTimeInfo* time, PaStreamCallbackFlags flags,
                        void* self) noexcept;

    SampleRing& capture_ring_;
    FrameReader& playback_;
    detail::PaEndpointStream stream_;
};

}  // namespace extrema::audio
