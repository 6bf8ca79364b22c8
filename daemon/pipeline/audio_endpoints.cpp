#include "pipeline/audio_endpoints.h"

#include "audio/file_backend.h"
#include "audio/null_sink.h"
#include "audio/paced_duplex.h"
#include "audio/tone_backend.h"
#include "pipeline/setting_errors.h"
#include "pipeline/setting_keys.h"

namespace extrema::pipeline {
namespace {

bool has_capture(LinkMode mode) noexcept {
    return mode != LinkMode::kReceive;
}
bool has_playback(LinkMode mode) noexcept {
    return mode != LinkMode::kSend;
}

audio::Pacing pacing_of(FilePacing pacing) noexcept {
    return pacing == FilePacing::kFast ? audio::Pacing::kAsFastAsPossible
                                       : audio::Pacing::kRealTime;
}

audio::ToneConfig tone_config(const AudioSettings& audio) {
    audio::ToneConfig tone;
    tone.frequency_hz = audio.tone_hz;
    tone.level_dbfs = audio.tone_dbfs;
    tone.rate_hz = audio.rate_hz;
    tone.pacing = pacing_of(audio.file_pacing);
    return tone;
}

// A tone in real time and a null speaker: one pretend duplex device.
std::unique_ptr<audio::PacedDuplex> make_paced_duplex(const AudioSettings& audio,
                                                      audio::SampleRing& capture,
                                                      audio::FrameReader& playback) {
    const audio::ToneConfig tone = tone_config(audio);
    auto generator = std::make_shared<audio::ToneGenerator>(tone, capture.channels());
    return std::make_unique<audio::PacedDuplex>(
        capture, playback, tone.rate_hz, tone.block_ms,
        [generator](std::span<float> block) { return generator->fill(block); },
        generator->describe() + ", into a null sink (one paced duplex thread)");
}

std::unique_ptr<audio::AudioSource> make_source(const AudioSettings& audio, audio::SampleRing& ring,
                                                audio::Pace pace) {
    switch (audio.input) {
        case InputKind::kDevice:
            return std::make_unique<audio::PortAudioSource>(
                ring, portaudio_config(audio, audio.input_device));
        case InputKind::kFile: {
            audio::FileSourceConfig file;
            file.path = audio.input_file;
            file.rate_hz = audio.rate_hz;
            file.pacing = pacing_of(audio.file_pacing);
            file.pace = pace;
            return std::make_unique<audio::FileSource>(ring, file);
        }
        case InputKind::kTone:
            return std::make_unique<audio::ToneSource>(ring, tone_config(audio));
    }
    throw audio::AudioError("unknown input kind");
}

std::unique_ptr<audio::AudioSink> make_sink(const AudioSettings& audio, audio::FrameReader& reader,
                                            audio::Pace pace) {
    switch (audio.output) {
        case OutputKind::kDevice:
            return std::make_unique<audio::PortAudioSink>(
                reader, portaudio_config(audio, audio.output_device));
        case OutputKind::kFile: {
            audio::FileSinkConfig file;
            file.path = audio.output_file;
            file.rate_hz = audio.rate_hz;
            file.pace = pace;
            return std::make_unique<audio::FileSink>(reader, file);
        }
        case OutputKind::kNull: {
            audio::NullSinkConfig null;
            null.rate_hz = audio.rate_hz;
            return std::make_unique<audio::NullSink>(reader, null);
        }
    }
    throw audio::AudioError("unknown output kind");
}

// The setting a failing endpoint of this kind names (see setting_errors.h).
std::string_view input_key(InputKind kind) noexcept {
    switch (kind) {
        case InputKind::kDevice:
            return keys::kInputDevice;
        case InputKind::kFile:
            return keys::kInputFile;
        case InputKind::kTone:
            return keys::kInput;
    }
    return keys::kInput;
}

std::string_view output_key(OutputKind kind) noexcept {
    switch (kind) {
        case OutputKind::kDevice:
            return keys::kOutputDevice;
        case OutputKind::kFile:
            return keys::kOutputFile;
        case OutputKind::kNull:
            return keys::kOutput;
    }
    return keys::kOutput;
}

}  // namespace

bool needs_portaudio(const LinkConfig& config) noexcept {
    return (has_capture(config.mode) && config.audio.input == InputKind::kDevice) ||
           (has_playback(config.mode) && config.audio.output == OutputKind::kDevice);
}

audio::PortAudioConfig portaudio_config(const AudioSettings& audio, const std::string& device) {
    audio::PortAudioConfig pa;
    pa.device = device;
    pa.rate_hz = audio.rate_hz;
    pa.channels = 1;
    pa.frames_per_buffer = static_cast<unsigned long>(audio.frames_per_buffer);
    pa.suggested_latency_s =
        audio.device_latency_ms < 0.0 ? -1.0 : audio.device_latency_ms / 1000.0;
    return pa;
}

AudioEndpoints::AudioEndpoints(const LinkConfig& config, audio::SampleRing* capture,
                               audio::FrameReader* playback, audio::Pace pace) {
    const AudioSettings& audio = config.audio;
    if (capture && playback && audio.input == InputKind::kDevice &&
        audio.output == OutputKind::kDevice) {
        adopt_duplex(for_setting(
            std::string(keys::kInputDevice) + " / " + std::string(keys::kOutputDevice), [&] {
                return std::make_unique<audio::PortAudioDuplex>(
                    *capture, *playback, portaudio_config(audio, audio.input_device),
                    portaudio_config(audio, audio.output_device));
            }));
        return;
    }
    if (capture && playback && audio.input == InputKind::kTone &&
        audio.output == OutputKind::kNull &&
        pacing_of(audio.file_pacing) == audio::Pacing::kRealTime) {
        adopt_duplex(for_setting(keys::kInput,
                                 [&] { return make_paced_duplex(audio, *capture, *playback); }));
        return;
    }
    if (playback) {
        own_sink_ = for_setting(output_key(audio.output),
                                [&] { return make_sink(audio, *playback, pace); });
        sink_ = own_sink_.get();
    }
    if (capture) {
        own_source_ =
            for_setting(input_key(audio.input), [&] { return make_source(audio, *capture, pace); });
        source_ = own_source_.get();
    }
}

AudioEndpoints::~AudioEndpoints() = default;

void AudioEndpoints::start() {
    if (duplex_) {
        duplex_->start();
        return;
    }
    if (sink_) sink_->start();
    try {
        if (source_) source_->start();
    } catch (...) {
        // Nothing may be left running: the sink's callback reaches into the link.
        if (sink_) sink_->stop();
        throw;
    }
}

void AudioEndpoints::stop_source() {
    if (source_stopped_) return;
    source_stopped_ = true;
    if (duplex_) return;  // the duplex stream stops with the sink side, after the drain
    if (source_) source_->stop();
}

void AudioEndpoints::stop_sink() {
    if (sink_stopped_) return;
    sink_stopped_ = true;
    if (duplex_) {
        duplex_->stop();
        return;
    }
    if (sink_) sink_->stop();
}

}  // namespace extrema::pipeline
