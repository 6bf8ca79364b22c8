#include "audio/portaudio_backend.h"

#include <span>

#include "audio/device_list.h"
#include "audio/portaudio_session.h"
#include "audio/rt_guard.h"

namespace extrema::audio {
namespace {

// No clipping, no dither: both exist only for float -> int conversions, and any processing of
// float samples would break the bit-exact path through JACK.
constexpr PaStreamFlags kStreamFlags = paClipOff | paDitherOff;

// The xrun flags a host API reports to the callback.
constexpr PaStreamCallbackFlags kXrunFlags =
    paInputUnderflow | paInputOverflow | paOutputUnderflow | paOutputOverflow;

struct Endpoint {
    PaStreamParameters params{};
    std::string name;  // "[0] system (JACK Audio Connection Kit)"
};

Endpoint resolve(const PortAudioConfig& config, Direction direction) {
    if (config.channels < 1) throw AudioError("channel count must be at least 1");
    if (config.rate_hz < 1) throw AudioError("sample rate must be positive");
    Endpoint endpoint;
    const int device = select_device(config.device, direction, config.channels);
    const PaDeviceInfo* info = Pa_GetDeviceInfo(device);
    const PaHostApiInfo* api = Pa_GetHostApiInfo(info->hostApi);
    endpoint.name = "[" + std::to_string(device) + "] " + info->name + " (" +
                    (api != nullptr ? api->name : "?") + ")";
    endpoint.params.device = device;
    endpoint.params.channelCount = config.channels;
    endpoint.params.sampleFormat = paFloat32;  // interleaved: one buffer of frames * channels
    endpoint.params.suggestedLatency =
        config.suggested_latency_s >= 0
            ? config.suggested_latency_s
            : (direction == Direction::kInput ? info->defaultLowInputLatency
                                              : info->defaultLowOutputLatency);
    endpoint.params.hostApiSpecificStreamInfo = nullptr;
    return endpoint;
}

std::string rates_text(const std::vector<int>& rates_hz) {
    if (rates_hz.empty()) return "none of 8000/16000/44100/48000/96000 Hz";
    std::string text;
    for (const int rate : rates_hz) text += (text.empty() ? "" : ", ") + std::to_string(rate);
    return text + " Hz";
}

void check_format(const Endpoint* in, const Endpoint* out, int rate_hz) {
    for (const Endpoint* e : {in, out}) {
        if (e == nullptr) continue;
        const bool input = e == in;
        const PaError err = Pa_IsFormatSupported(input ? &e->params : nullptr,
                                                 input ? nullptr : &e->params, rate_hz);
        if (err == paFormatIsSupported) continue;
        const Direction direction = input ? Direction::kInput : Direction::kOutput;
        const std::string what = std::string(input ? "capture" : "play") + " at " +
                                 std::to_string(rate_hz) + " Hz (float32, " +
                                 std::to_string(e->params.channelCount) + " channel(s))";
        if (err == paInvalidSampleRate) {
            throw AudioError("device " + e->name + " cannot " + what + "; rates it supports: " +
                             rates_text(supported_rates_hz(e->params.device, direction,
                                                           e->params.channelCount)));
        }
        throw AudioError("device " + e->name + " cannot " + what + ": " +
                         portaudio_error_text(err));
    }
}

PaStream* open_stream(const Endpoint* in, const Endpoint* out, const PortAudioConfig& config,
                      PaStreamCallback* callback, void* self) {
    check_format(in, out, config.rate_hz);
    PaStream* stream = nullptr;
    const PaError err = Pa_OpenStream(
        &stream, in != nullptr ? &in->params : nullptr, out != nullptr ? &out->params : nullptr,
        config.rate_hz,
        config.frames_per_buffer == 0 ? paFramesPerBufferUnspecified : config.frames_per_buffer,
        kStreamFlags, callback, self);
    if (err == paNoError) return stream;
    const std::string names = (in != nullptr ? in->name : std::string()) +
                              (in != nullptr && out != nullptr ? " / " : "") +
                              (out != nullptr ? out->name : std::string());
    if (err == paDeviceUnavailable) {
        throw AudioError("device " + names + " is busy (in use by another program?)");
    }
    throw AudioError("cannot open device " + names + ": " + portaudio_error_text(err));
}

std::string describe_stream(const char* kind, const std::string& device, int rate_hz,
                            int channels) {
    return std::string("PortAudio ") + kind + " " + device + ", " + std::to_string(rate_hz) +
           " Hz x" + std::to_string(channels);
}

// The callback bodies, shared by the three endpoints. Real-time: only ring moves and relaxed
// atomic increments.
void count_xruns(std::atomic<std::uint64_t>& xruns, PaStreamCallbackFlags flags) noexcept {
    if ((flags & kXrunFlags) != 0) xruns.fetch_add(1, std::memory_order_relaxed);
}

void capture(SampleRing& ring, const void* input, unsigned long frames, int channels) noexcept {
    if (input == nullptr) return;  // PortAudio passes none only for output-only streams
    ring.push(std::span(static_cast<const float*>(input),
                        static_cast<std::size_t>(frames) * static_cast<std::size_t>(channels)));
}

void play(PlayoutGate& gate, SampleRing& ring, void* output, unsigned long frames,
          int channels) noexcept {
    gate.pop(ring, std::span(static_cast<float*>(output), static_cast<std::size_t>(frames) *
                                                              static_cast<std::size_t>(channels)));
}

}  // namespace

namespace detail {

PaStreamHandle::~PaStreamHandle() {
    if (stream_ == nullptr) return;
    stop();
    Pa_CloseStream(stream_);
}

void PaStreamHandle::start(const std::string& what) {
    if (running_) return;
    const PaError err = Pa_StartStream(stream_);
    if (err != paNoError) {
        throw AudioError("cannot start " + what + ": " + portaudio_error_text(err));
    }
    running_ = true;
}

double PaStreamHandle::input_latency_ms() const noexcept {
    const PaStreamInfo* info = stream_ ? Pa_GetStreamInfo(stream_) : nullptr;
    return info ? info->inputLatency * 1000.0 : 0.0;
}

double PaStreamHandle::output_latency_ms() const noexcept {
    const PaStreamInfo* info = stream_ ? Pa_GetStreamInfo(stream_) : nullptr;
    return info ? info->outputLatency * 1000.0 : 0.0;
}

void PaStreamHandle::stop() {
    if (!running_) return;
    running_ = false;
    // Stop, not abort: lets the last buffer play out; returns once no callback runs any more.
    Pa_StopStream(stream_);
}

}  // namespace detail

// --- source ---

PortAudioSource::PortAudioSource(SampleRing& ring, const PortAudioConfig& config)
    : ring_(ring), rate_hz_(config.rate_hz), channels_(config.channels) {
    if (ring.channels() != config.channels) {
        throw AudioError("capture ring has " + std::to_string(ring.channels()) +
                         " channel(s), the device " + std::to_string(config.channels));
    }
    const Endpoint in = resolve(config, Direction::kInput);
    description_ = describe_stream("capture", in.name, rate_hz_, channels_);
    stream_.reset(open_stream(&in, nullptr, config, &on_audio, this));
    latency_ms_ = stream_.input_latency_ms();
}

PortAudioSource::~PortAudioSource() = default;

void PortAudioSource::start() {
    stream_.start(description_);
}
void PortAudioSource::stop() {
    stream_.stop();
}

EndpointStats PortAudioSource::stats() const noexcept {
    return {frames_.load(std::memory_order_relaxed), xruns_.load(std::memory_order_relaxed),
            latency_ms_};
}

int PortAudioSource::on_audio(const void* input, void* /*output*/, unsigned long frames,
                              const PaStreamCallbackTimeInfo* /*time*/, PaStreamCallbackFlags flags,
                              void* self) noexcept {
    const RealtimeScope realtime;
    auto& source = *static_cast<PortAudioSource*>(self);
    count_xruns(source.xruns_, flags);
    capture(source.ring_, input, frames, source.channels_);
    source.frames_.fetch_add(frames, std::memory_order_relaxed);
    return paContinue;
}

// --- sink ---

PortAudioSink::PortAudioSink(SampleRing& ring, const PortAudioConfig& config)
    : ring_(ring),
      gate_(config.prefill_frames * static_cast<std::size_t>(config.channels)),
      rate_hz_(config.rate_hz),
      channels_(config.channels) {
    if (ring.channels() != config.channels) {
        throw AudioError("playback ring has " + std::to_string(ring.channels()) +
                         " channel(s), the device " + std::to_string(config.channels));
    }
    const Endpoint out = resolve(config, Direction::kOutput);
    description_ = describe_stream("playback", out.name, rate_hz_, channels_);
    stream_.reset(open_stream(nullptr, &out, config, &on_audio, this));
    latency_ms_ = stream_.output_latency_ms();
}

PortAudioSink::~PortAudioSink() = default;

void PortAudioSink::start() {
    stream_.start(description_);
}
void PortAudioSink::stop() {
    stream_.stop();
}

EndpointStats PortAudioSink::stats() const noexcept {
    return {frames_.load(std::memory_order_relaxed), xruns_.load(std::memory_order_relaxed),
            latency_ms_};
}

int PortAudioSink::on_audio(const void* /*input*/, void* output, unsigned long frames,
                            const PaStreamCallbackTimeInfo* /*time*/, PaStreamCallbackFlags flags,
                            void* self) noexcept {
    const RealtimeScope realtime;
    auto& sink = *static_cast<PortAudioSink*>(self);
    count_xruns(sink.xruns_, flags);
    play(sink.gate_, sink.ring_, output, frames, sink.channels_);
    sink.frames_.fetch_add(frames, std::memory_order_relaxed);
    return paContinue;
}

// --- duplex ---

PortAudioDuplex::PortAudioDuplex(SampleRing& capture_ring, SampleRing& playback_ring,
                                 const PortAudioConfig& input, const PortAudioConfig& output)
    : capture_ring_(capture_ring),
      playback_ring_(playback_ring),
      gate_(output.prefill_frames * static_cast<std::size_t>(output.channels)),
      rate_hz_(input.rate_hz),
      channels_(input.channels) {
    if (output.rate_hz != input.rate_hz || output.channels != input.channels) {
        throw AudioError("a duplex stream needs the same rate and channel count both ways (" +
                         std::to_string(input.rate_hz) + " Hz x" + std::to_string(input.channels) +
                         " in, " + std::to_string(output.rate_hz) + " Hz x" +
                         std::to_string(output.channels) + " out)");
    }
    if (capture_ring.channels() != channels_ || playback_ring.channels() != channels_) {
        throw AudioError("duplex rings must have " + std::to_string(channels_) + " channel(s)");
    }
    const Endpoint in = resolve(input, Direction::kInput);
    const Endpoint out = resolve(output, Direction::kOutput);
    description_ = describe_stream("duplex", in.name + " / " + out.name, rate_hz_, channels_);
    stream_.reset(open_stream(&in, &out, input, &on_audio, this));
    // Capture plus playback: the delay a sample takes through this end of the link.
    latency_ms_ = stream_.input_latency_ms() + stream_.output_latency_ms();
}

PortAudioDuplex::~PortAudioDuplex() = default;

void PortAudioDuplex::start() {
    stream_.start(description_);
}
void PortAudioDuplex::stop() {
    stream_.stop();
}

EndpointStats PortAudioDuplex::stats() const noexcept {
    return {frames_.load(std::memory_order_relaxed), xruns_.load(std::memory_order_relaxed),
            latency_ms_};
}

int PortAudioDuplex::on_audio(const void* input, void* output, unsigned long frames,
                              const PaStreamCallbackTimeInfo* /*time*/, PaStreamCallbackFlags flags,
                              void* self) noexcept {
    const RealtimeScope realtime;
    auto& duplex = *static_cast<PortAudioDuplex*>(self);
    count_xruns(duplex.xruns_, flags);
    capture(duplex.capture_ring_, input, frames, duplex.channels_);
    play(duplex.gate_, duplex.playback_ring_, output, frames, duplex.channels_);
    duplex.frames_.fetch_add(frames, std::memory_order_relaxed);
    return paContinue;
}

}  // namespace extrema::audio
