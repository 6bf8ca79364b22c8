#pragma once
// Opens a link's audio endpoints from its settings: the capture source (send, duplex), bound to
// the capture ring, and the playback sink (receive, duplex), which pulls from the receive side.
// Duplex on PortAudio devices both ways opens one full-duplex stream (one callback, one period less
// of latency than two streams); a real-time tone with a null speaker is likewise one pretend duplex
// device (one thread, one wake-up a period instead of two). Everything is opened here, so every bad
// set-up (unknown device, unsupported rate, missing file) throws audio::AudioError before anything
// has started.
#include <memory>

#include "audio/audio_backend.h"
#include "audio/frame_reader.h"
#include "audio/pace.h"
#include "audio/portaudio_backend.h"
#include "audio/sample_ring.h"
#include "pipeline/link_config.h"

namespace extrema::pipeline {

class AudioEndpoints {
  public:
    // `capture` / `playback` may be null when the mode has no such side. Device endpoints need
    // a live PortAudioSession in the process (the caller's).
    // `pace` paces the file endpoints (Link checks that only file endpoints run faster).
    AudioEndpoints(const LinkConfig& config, audio::SampleRing* capture,
                   audio::FrameReader* playback, audio::Pace pace = audio::Pace{});
    ~AudioEndpoints();
    AudioEndpoints(const AudioEndpoints&) = delete;
    AudioEndpoints& operator=(const AudioEndpoints&) = delete;

    audio::AudioSource* source() const noexcept { return source_; }
    audio::AudioSink* sink() const noexcept { return sink_; }
    // One device (a PortAudio stream, the paced tone+null) is both the source and the sink.
    bool duplex_stream() const noexcept { return duplex_ != nullptr; }

    // Playback first, so it is consuming before capture produces: starting capture first adds
    // the time between the two starts to the latency for good. If capture fails to start,
    // playback is stopped again before the error is thrown.
    void start();
    // Capture first (nothing new enters), then playback. Rethrows an endpoint's own failure
    // after both are stopped.
    void stop_source();
    void stop_sink();

  private:
    // One object as both source and sink.
    template <typename Duplex>
    void adopt_duplex(std::unique_ptr<Duplex> duplex) {
        source_ = duplex.get();
        sink_ = duplex.get();
        duplex_ = std::move(duplex);
    }

    std::unique_ptr<audio::AudioSource> duplex_;  // also the sink when set
    std::unique_ptr<audio::AudioSource> own_source_;
    std::unique_ptr<audio::AudioSink> own_sink_;
    audio::AudioSource* source_ = nullptr;
    audio::AudioSink* sink_ = nullptr;
    bool source_stopped_ = false;
    bool sink_stopped_ = false;
};

// True when these settings open a PortAudio device (the caller must then hold a session).
bool needs_portaudio(const LinkConfig& config) noexcept;

audio::PortAudioConfig portaudio_config(const AudioSettings& audio, const std::string& device);

}  // namespace extrema::pipeline
