#include "audio/portaudio_backend.h"

#include <chrono>
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
    endpoint.name = device_label(device);
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
    std::string text;
    if (rates_hz.empty()) {
        for (const int rate : kStandardRatesHz)
            text += (text.empty() ? "" : "/") + std::to_string(rate);
        return "none of " + text + " Hz";
    }
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

// An endpoint's ring must carry the device's channel count.
void check_ring(const char* kind, const SampleRing& ring, const PortAudioConfig& config) {
    if (ring.channels() != config.channels) {
        throw AudioError(std::string(kind) + " ring has " + std::to_string(ring.channels()) +
                         " channel(s), the device " + std::to_string(config.channels));
    }
}

std::string describe_stream(const char* kind, const std::string& device, int rate_hz,
                            int channels) {
    return std::string("PortAudio ") + kind + " " + device + ", " + std::to_string(rate_hz) +
           " Hz x" + std::to_string(channels);
}

// The callback bodies, shared by the three endpoints. Real-time: ring moves, the reader's pull
// and relaxed atomic increments.
void count_xruns(std::atomic<std::uint64_t>& xruns, PaStreamCallbackFlags flags) noexcept {
    if ((flags & kXrunFlags) != 0) xruns.fetch_add(1, std::memory_order_relaxed);
}

// Moves a captured period into the ring, counts it and says when it came (the network thread
// wakes by that, see DeliveryClock).
void capture(SampleRing& ring, detail::PaEndpointStream& stream, const void* input,
             unsigned long frames) noexcept {
    if (input != nullptr) {  // PortAudio passes none only for output-only streams
        ring.push(std::span(
            static_cast<const float*>(input),
            static_cast<std::size_t>(frames) * static_cast<std::size_t>(stream.channels)));
    }
    const std::uint64_t total = stream.frames.fetch_add(frames, std::memory_order_relaxed) + frames;
    stream.delivery.publish(total, static_cast<std::uint32_t>(frames),
                            std::chrono::steady_clock::now());
}

void play(FrameReader& reader, void* output, unsigned long frames, int channels) noexcept {
    reader.read(std::span(static_cast<float*>(output),
                          static_cast<std::size_t>(frames) * static_cast<std::size_t>(channels)));
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
    : ring_(ring), stream_(config.rate_hz, config.channels) {
    check_ring("capture", ring, config);
    const Endpoint in = resolve(config, Direction::kInput);
    stream_.description = describe_stream("capture", in.name, config.rate_hz, config.channels);
    stream_.handle.reset(open_stream(&in, nullptr, config, &on_audio, this));
    stream_.latency_ms = stream_.handle.input_latency_ms();
}

int PortAudioSource::on_audio(const void* input, void* /*output*/, unsigned long frames,
                              const PaStreamCallbackTimeInfo* /*time*/, PaStreamCallbackFlags flags,
                              void* self) noexcept {
    const RealtimeScope realtime;
    auto& source = *static_cast<PortAudioSource*>(self);
    count_xruns(source.stream_.xruns, flags);
    capture(source.ring_, source.stream_, input, frames);
    return paContinue;
}

// --- sink ---

PortAudioSink::PortAudioSink(FrameReader& reader, const PortAudioConfig& config)
    : reader_(reader), stream_(config.rate_hz, config.channels) {
    const Endpoint out = resolve(config, Direction::kOutput);
    stream_.description = describe_stream("playback", out.name, config.rate_hz, config.channels);
    stream_.handle.reset(open_stream(nullptr, &out, config, &on_audio, this));
    stream_.latency_ms = stream_.handle.output_latency_ms();
}

int PortAudioSink::on_audio(const void* /*input*/, void* output, unsigned long frames,
                            const PaStreamCallbackTimeInfo* /*time*/, PaStreamCallbackFlags flags,
                            void* self) noexcept {
    const RealtimeScope realtime;
    auto& sink = *static_cast<PortAudioSink*>(self);
    count_xruns(sink.stream_.xruns, flags);
    play(sink.reader_, output, frames, sink.stream_.channels);
    sink.stream_.frames.fetch_add(frames, std::memory_order_relaxed);
    return paContinue;
}

// --- duplex ---

PortAudioDuplex::PortAudioDuplex(SampleRing& capture_ring, FrameReader& playback,
                                 const PortAudioConfig& input, const PortAudioConfig& output)
    : capture_ring_(capture_ring), playback_(playback), stream_(input.rate_hz, input.channels) {
    if (output.rate_hz != input.rate_hz || output.channels != input.channels) {
        throw AudioError("a duplex stream needs the same rate and channel count both ways (" +
                         std::to_string(input.rate_hz) + " Hz x" + std::to_string(input.channels) +
                         " in, " + std::to_string(output.rate_hz) + " Hz x" +
                         std::to_string(output.channels) + " out)");
    }
    check_ring("capture", capture_ring, input);
    const Endpoint in = resolve(input, Direction::kInput);
    const Endpoint out = resolve(output, Direction::kOutput);
    stream_.description =
        describe_stream("duplex", in.name + " / " + out.name, input.rate_hz, input.channels);
    stream_.handle.reset(open_stream(&in, &out, input, &on_audio, this));
    // Capture plus playback: the delay a sample takes through this end of the link.
    stream_.latency_ms = stream_.handle.input_latency_ms() + stream_.handle.output_latency_ms();
}

int PortAudioDuplex::on_audio(const void* input, void* output, unsigned long frames,
                              const PaStreamCallbackTimeInfo* /*time*/, PaStreamCallbackFlags flags,
                              void* self) noexcept {
    const RealtimeScope realtime;
    auto& duplex = *static_cast<PortAudioDuplex*>(self);
    count_xruns(duplex.stream_.xruns, flags);
    capture(duplex.capture_ring_, duplex.stream_, input, frames);
    play(duplex.playback_, output, frames, duplex.stream_.channels);
    return paContinue;
}

}  // namespace extrema::audio
