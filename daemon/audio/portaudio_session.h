#pragma once
// PortAudioSession: Pa_Initialize / Pa_Terminate as a scope. Create one before opening any
// PortAudio stream or listing devices, and keep it alive until every stream is closed.
//
// The JACK client name is set before Pa_Initialize (PaJack_SetClientName), because PortAudio's
// JACK host API opens its one client there; a distinct name per daemon lets several links share
// a JACK server and makes their ports findable ("<name>:in_0", "<name>:out_0"). JACK appends a
// suffix if the name is taken; jack_client_name() returns the name JACK actually gave.
//
// What ALSA and JACK print while PortAudio probes (no sound card, no JACK server) is captured
// and logged at debug level instead of flooding stderr (see StderrCapture).
#include <string>

namespace extrema::audio {

// "extrema": what a user looks for in a JACK patchbay; the daemon passes something more specific
// (the link's name) when it runs several links.
inline constexpr const char* kDefaultJackClientName = "extrema";

class PortAudioSession {
  public:
    // Throws AudioError if PortAudio cannot initialise, the name is too long for JACK, or another
    // session is alive in this process (PortAudio is process-global: share the one session).
    explicit PortAudioSession(std::string jack_client_name = kDefaultJackClientName);
    ~PortAudioSession();
    PortAudioSession(const PortAudioSession&) = delete;
    PortAudioSession& operator=(const PortAudioSession&) = delete;

    // The JACK client name in use, or "" when no JACK server was reachable at initialisation.
    const std::string& jack_client_name() const noexcept { return jack_client_name_; }
    // What the libraries printed while initialising (usually ALSA complaining about cards).
    const std::string& library_output() const noexcept { return library_output_; }

  private:
    std::string requested_name_;  // PortAudio keeps the pointer: must outlive Pa_Initialize
    std::string jack_client_name_;
    std::string library_output_;
};

// Message for a PortAudio error code, with the host API's own text when it has one.
std::string portaudio_error_text(int pa_error);

}  // namespace extrema::audio
