#pragma once
// StderrCapture: diverts file descriptor 2 into a temporary file for its lifetime, so the dozens
// of lines ALSA, JACK and PortAudio print while probing (missing cards, no JACK server, failed
// rate probes) do not bury our own message. The text is handed back by finish() and logged at
// debug level by the callers. Process-wide: anything another thread writes to stderr meanwhile is
// captured too, so use it only around set-up calls, never while streams run.
#include <string>

namespace extrema::audio {

class StderrCapture {
  public:
    StderrCapture() noexcept;  // on any failure it captures nothing and stderr stays as it was
    ~StderrCapture();          // restores stderr (finish() if not called)
    StderrCapture(const StderrCapture&) = delete;
    StderrCapture& operator=(const StderrCapture&) = delete;

    // Restores stderr and returns what was written meanwhile.
    std::string finish();

  private:
    int saved_fd_ = -1;
    int temp_fd_ = -1;
};

}  // namespace extrema::audio
