#pragma once
// A private JACK server for one test process: `jackd -R -p 64 -d dummy -r RATE -p PERIOD` under
// a server name unique to this process (JACK_DEFAULT_SERVER), so parallel tests and other
// engineers' servers never meet. The dummy driver runs on a real-time clock with no sound card
// (shared/TESTING.md). The constructor exports the server name, JACK_NO_AUDIO_RESERVATION=1 and
// JACK_NO_START_SERVER=1 into this process's environment, so PortAudio and the probe connect to
// this server and libjack never starts another; it waits for readiness by polling jack_lsp.
//
// If jackd cannot start with -R (no permission for real-time scheduling), it retries without and
// says so on stderr; if it cannot start at all, the constructor throws (the test fails: never a
// silent pass). The destructor always tears down: SIGTERM (SIGKILL after a bound), reap, and
// remove this server's files from /dev/shm.
#include <sys/types.h>

#include <filesystem>
#include <string>

namespace extrema::audio::test {

class JackServer {
  public:
    JackServer(int rate_hz, int period_frames);
    ~JackServer();
    JackServer(const JackServer&) = delete;
    JackServer& operator=(const JackServer&) = delete;

    const std::string& name() const noexcept { return name_; }
    // What jackd printed so far.
    std::string log() const;

  private:
    bool launch(bool realtime);  // true once jack_lsp answers; false if jackd exited
    void terminate() noexcept;

    std::string name_;
    std::filesystem::path log_path_;
    int rate_hz_;
    int period_frames_;
    pid_t pid_ = -1;
};

}  // namespace extrema::audio::test
