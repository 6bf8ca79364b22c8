#pragma once
// JackProbe: the tests' own JACK client pair. A player client plays a known float signal from its
// output port once asked; a recorder client records its input port into a preallocated buffer.
// Both note the JACK frame time (jack_last_frame_time) of the cycle in which they began, so the
// offset between what was played and what came back is a latency in frames on JACK's own clock.
// Two clients rather than one, so the graph under test is a chain (player -> device under test ->
// recorder) that JACK runs in order within each cycle, not a feedback loop that would add a
// period of its own.
//
// The process callbacks copy samples and set atomics only. Clients are closed properly in the
// destructor (a client that just vanishes stalls the graph: TESTING.md pitfall 5).
#include <jack/jack.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace extrema::audio::test {

class JackProbe {
  public:
    // `name` prefixes the two client names ("<name>-play", "<name>-rec"); must be unique on the
    // server. The recorder keeps `record_frames` frames. Throws std::runtime_error if no server.
    JackProbe(const std::string& name, std::vector<float> signal, std::size_t record_frames);
    ~JackProbe();
    JackProbe(const JackProbe&) = delete;
    JackProbe& operator=(const JackProbe&) = delete;

    std::string player_port() const;    // full name of the player's output port
    std::string recorder_port() const;  // full name of the recorder's input port

    // Full names of the ports whose names match `regex` and have `flags` (JackPortIsInput...).
    std::vector<std::string> ports(const std::string& regex, unsigned long flags) const;
    // jack_connect / jack_disconnect; throw std::runtime_error naming the ports on failure.
    void connect(const std::string& source, const std::string& destination);
    // Removes every connection of `port` (PortAudio's auto-connections to system:*).
    void disconnect_all(const std::string& port);
    // Connections of `port`, full names.
    std::vector<std::string> connections(const std::string& port) const;

    void start_recording() noexcept { record_requested_.store(true, std::memory_order_release); }
    void start_playing() noexcept { play_requested_.store(true, std::memory_order_release); }
    bool recording_full() const noexcept {
        return recorded_.load(std::memory_order_acquire) >= recording_.size();
    }

    // After recording_full(): the recording, and the frame times at which each side began.
    const std::vector<float>& recording() const noexcept { return recording_; }
    std::uint32_t play_start_frame() const noexcept { return play_start_frame_.load(); }
    std::uint32_t record_start_frame() const noexcept { return record_start_frame_.load(); }
    std::uint32_t period_frames() const noexcept;
    std::uint32_t rate_hz() const noexcept;
    // Server xruns seen while the probe was active.
    std::uint64_t xruns() const noexcept { return xruns_.load(); }

  private:
    static int play_cycle(jack_nframes_t frames, void* self) noexcept;
    static int record_cycle(jack_nframes_t frames, void* self) noexcept;
    static int on_xrun(void* self) noexcept;

    jack_client_t* player_ = nullptr;
    jack_client_t* recorder_ = nullptr;
    jack_port_t* play_port_ = nullptr;
    jack_port_t* record_port_ = nullptr;
    std::vector<float> signal_;
    std::vector<float> recording_;
    std::size_t played_ = 0;  // player's process thread only
    std::atomic<std::size_t> recorded_{0};
    std::atomic<bool> play_requested_{false};
    std::atomic<bool> record_requested_{false};
    std::atomic<bool> playing_{false};
    std::atomic<bool> recording_started_{false};
    std::atomic<std::uint32_t> play_start_frame_{0};
    std::atomic<std::uint32_t> record_start_frame_{0};
    std::atomic<std::uint64_t> xruns_{0};
};

}  // namespace extrema::audio::test
