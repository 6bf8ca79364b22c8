#include "audio/portaudio_session.h"

#include <pa_jack.h>
#include <portaudio.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <utility>

#include "audio/audio_backend.h"
#include "audio/stderr_capture.h"

namespace extrema::audio {
namespace {

std::atomic<bool> g_session_alive{false};

}  // namespace

std::string portaudio_error_text(int pa_error) {
    std::string text = Pa_GetErrorText(pa_error);
    if (pa_error == paUnanticipatedHostError) {
        const PaHostErrorInfo* host = Pa_GetLastHostErrorInfo();
        if (host != nullptr && host->errorText != nullptr && host->errorText[0] != '\0') {
            text += std::string(" (") + host->errorText + ")";
        }
    }
    return text;
}

PortAudioSession::PortAudioSession(std::string jack_client_name)
    : requested_name_(std::move(jack_client_name)) {
    if (g_session_alive.exchange(true)) {
        throw AudioError("PortAudio is already initialised in this process (one session only)");
    }
    StderrCapture capture;
    if (PaJack_SetClientName(requested_name_.c_str()) != paNoError) {
        library_output_ = capture.finish();
        g_session_alive = false;
        throw AudioError("JACK client name '" + requested_name_ + "' is too long");
    }
    const PaError err = Pa_Initialize();
    if (err == paNoError && Pa_HostApiTypeIdToHostApiIndex(paJACK) >= 0) {
        const char* name = nullptr;
        if (PaJack_GetClientName(&name) == paNoError && name != nullptr) jack_client_name_ = name;
    }
    library_output_ = capture.finish();
    if (!library_output_.empty()) {
        spdlog::debug("PortAudio initialisation printed:\n{}", library_output_);
    }
    if (err != paNoError) {
        g_session_alive = false;
        throw AudioError("cannot initialise PortAudio: " + portaudio_error_text(err));
    }
}

PortAudioSession::~PortAudioSession() {
    Pa_Terminate();
    g_session_alive = false;
}

}  // namespace extrema::audio
