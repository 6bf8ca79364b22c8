#pragma once
// The one interface the pipeline sees for every audio endpoint (SPEC §6): PortAudio devices,
// files, the tone generator and the null sink. A source produces interleaved frames into a
// SampleRing at rate_hz(); a sink pulls what it plays from a FrameReader, on its own clock. The
// pipeline owns the ring and the reader and hands them to the endpoints at construction; they
// must outlive the endpoints.
//
// Life cycle: construct (opens and validates everything; every bad set-up throws there, with
// nothing left running) -> start() -> stop(). start() and stop() are idempotent; after stop() the
// endpoint no longer touches its ring or reader. Destruction stops. An endpoint that failed on its
// own thread (a read error, a device that vanished) reports it by throwing AudioError from stop().
#include <cstdint>
#include <stdexcept>
#include <string>

#include "audio/delivery_clock.h"
#include "extrema/codec/sample_rate.h"

namespace extrema::audio {

// Every audio set-up or run-time failure: the message names the device, file or setting and,
// where it helps, lists what exists instead.
class AudioError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Voice links are mono; stereo devices are opened with one channel (or mixed down by a file
// source).
inline constexpr int kDefaultChannels = 1;

struct EndpointStats {
    std::uint64_t frames = 0;        // frames produced (source) or consumed (sink)
    std::uint64_t device_xruns = 0;  // over/underflows the device or host API reported itself
    double latency_ms = 0.0;         // the device's own latency as its host API reports it
    std::uint64_t write_errors = 0;  // a file sink's failed writes (it writes no more after one)
};

class AudioSource {
  public:
    virtual ~AudioSource() = default;
    virtual void start() = 0;
    virtual void stop() = 0;
    virtual int rate_hz() const noexcept = 0;
    virtual int channels() const noexcept = 0;
    // True once a finite source (a file) has pushed its last frame; a live one never finishes.
    virtual bool finished() const noexcept { return false; }
    // A source that delivers at a clock's pace (a device, a paced file or tone) publishes each
    // delivery there; one that delivers as fast as the ring takes it has none.
    virtual const DeliveryClock* delivery_clock() const noexcept { return nullptr; }
    virtual EndpointStats stats() const noexcept = 0;
    // One line for logs: "PortAudio input 'system' (JACK Audio Connection Kit) 48000 Hz x1".
    virtual std::string describe() const = 0;
};

class AudioSink {
  public:
    virtual ~AudioSink() = default;
    virtual void start() = 0;
    virtual void stop() = 0;
    virtual int rate_hz() const noexcept = 0;
    virtual int channels() const noexcept = 0;
    virtual EndpointStats stats() const noexcept = 0;
    virtual std::string describe() const = 0;
};

}  // namespace extrema::audio
