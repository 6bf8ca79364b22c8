#include "jack_probe.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace extrema::audio::test {
namespace {

jack_client_t* open_client(const std::string& name) {
    jack_status_t status{};
    // JackUseExactName: the tests look the ports up by this name. JackNoStartServer: only the
    // test's own server (JackServer) may be used.
    jack_client_t* client = jack_client_open(
        name.c_str(), static_cast<jack_options_t>(JackNoStartServer | JackUseExactName), &status);
    if (client == nullptr) {
        throw std::runtime_error("JackProbe: cannot open JACK client '" + name + "' (status 0x" +
                                 std::to_string(static_cast<int>(status)) +
                                 "): is the test's jackd running?");
    }
    return client;
}

std::vector<std::string> take(const char** names) {
    std::vector<std::string> out;
    if (names == nullptr) return out;
    for (const char** p = names; *p != nullptr; ++p) out.emplace_back(*p);
    jack_free(static_cast<void*>(names));
    return out;
}

}  // namespace

JackProbe::JackProbe(const std::string& name, std::vector<float> signal, std::size_t record_frames)
    : signal_(std::move(signal)), recording_(record_frames, 0.0f) {
    try {
        player_ = open_client(name + "-play");
        recorder_ = open_client(name + "-rec");
        play_port_ =
            jack_port_register(player_, "out", JACK_DEFAULT_AUDIO_TYPE, JackPortIsOutput, 0);
        record_port_ =
            jack_port_register(recorder_, "in", JACK_DEFAULT_AUDIO_TYPE, JackPortIsInput, 0);
        if (play_port_ == nullptr || record_port_ == nullptr) {
            throw std::runtime_error("JackProbe: cannot register ports");
        }
        jack_set_process_callback(player_, &JackProbe::play_cycle, this);
        jack_set_process_callback(recorder_, &JackProbe::record_cycle, this);
        jack_set_xrun_callback(recorder_, &JackProbe::on_xrun, this);
        if (jack_activate(player_) != 0 || jack_activate(recorder_) != 0) {
            throw std::runtime_error("JackProbe: cannot activate clients");
        }
    } catch (...) {
        if (recorder_ != nullptr) jack_client_close(recorder_);
        if (player_ != nullptr) jack_client_close(player_);
        throw;
    }
}

JackProbe::~JackProbe() {
    jack_deactivate(recorder_);
    jack_deactivate(player_);
    jack_client_close(recorder_);
    jack_client_close(player_);
}

std::string JackProbe::player_port() const {
    return jack_port_name(play_port_);
}
std::string JackProbe::recorder_port() const {
    return jack_port_name(record_port_);
}
std::uint32_t JackProbe::period_frames() const noexcept {
    return jack_get_buffer_size(player_);
}
std::uint32_t JackProbe::rate_hz() const noexcept {
    return jack_get_sample_rate(player_);
}

std::vector<std::string> JackProbe::ports(const std::string& regex, unsigned long flags) const {
    return take(jack_get_ports(player_, regex.c_str(), JACK_DEFAULT_AUDIO_TYPE, flags));
}

void JackProbe::connect(const std::string& source, const std::string& destination) {
    if (jack_connect(player_, source.c_str(), destination.c_str()) != 0) {
        throw std::runtime_error("JackProbe: cannot connect " + source + " -> " + destination);
    }
}

std::vector<std::string> JackProbe::connections(const std::string& port) const {
    jack_port_t* p = jack_port_by_name(player_, port.c_str());
    if (p == nullptr) throw std::runtime_error("JackProbe: no port " + port);
    return take(jack_port_get_all_connections(player_, p));
}

void JackProbe::disconnect_all(const std::string& port) {
    jack_port_t* p = jack_port_by_name(player_, port.c_str());
    if (p == nullptr) throw std::runtime_error("JackProbe: no port " + port);
    const bool output = (jack_port_flags(p) & JackPortIsOutput) != 0;
    for (const auto& other : connections(port)) {
        const std::string& source = output ? port : other;
        const std::string& destination = output ? other : port;
        if (jack_disconnect(player_, source.c_str(), destination.c_str()) != 0) {
            throw std::runtime_error("JackProbe: cannot disconnect " + source + " -> " +
                                     destination);
        }
    }
}

int JackProbe::play_cycle(jack_nframes_t frames, void* self) noexcept {
    auto& probe = *static_cast<JackProbe*>(self);
    auto* out = static_cast<float*>(jack_port_get_buffer(probe.play_port_, frames));
    std::size_t n = 0;
    if (probe.playing_.load(std::memory_order_relaxed) ||
        probe.play_requested_.load(std::memory_order_acquire)) {
        if (!probe.playing_.load(std::memory_order_relaxed)) {
            probe.play_start_frame_.store(jack_last_frame_time(probe.player_));
            probe.playing_.store(true, std::memory_order_relaxed);
        }
        n = std::min<std::size_t>(frames, probe.signal_.size() - probe.played_);
        std::memcpy(out, probe.signal_.data() + probe.played_, n * sizeof(float));
        probe.played_ += n;
    }
    std::fill(out + n, out + frames, 0.0f);
    return 0;
}

int JackProbe::record_cycle(jack_nframes_t frames, void* self) noexcept {
    auto& probe = *static_cast<JackProbe*>(self);
    if (!probe.record_requested_.load(std::memory_order_acquire)) return 0;
    if (!probe.recording_started_.load(std::memory_order_relaxed)) {
        probe.record_start_frame_.store(jack_last_frame_time(probe.recorder_));
        probe.recording_started_.store(true, std::memory_order_relaxed);
    }
    const auto* in = static_cast<const float*>(jack_port_get_buffer(probe.record_port_, frames));
    const std::size_t done = probe.recorded_.load(std::memory_order_relaxed);
    const std::size_t n = std::min<std::size_t>(frames, probe.recording_.size() - done);
    std::memcpy(probe.recording_.data() + done, in, n * sizeof(float));
    probe.recorded_.store(done + n, std::memory_order_release);
    return 0;
}

int JackProbe::on_xrun(void* self) noexcept {
    static_cast<JackProbe*>(self)->xruns_.fetch_add(1, std::memory_order_relaxed);
    return 0;
}

}  // namespace extrema::audio::test
