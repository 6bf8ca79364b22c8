#pragma once
// Link: one extremad link, assembled from its LinkConfig (SPEC §1, §5, §6).
//
//   capture callback -> capture ring -> [network thread: SendPath] -> LinkSocket -> UDP
//   UDP -> LinkSocket -> [network thread: ReceivePath validation] -> hand-over queue
//       -> [sink's clock pulls: jitter buffer, decoder, drift corrector] -> device or file
//
// The parts, each in its own file: LinkSocket (the socket and who may send), NetworkLoop (the
// network thread and when it wakes), SendPath and ReceivePath (the two directions), KeyAgreement
// (DTLS-SRTP), AudioEndpoints (the devices or files), net::RtcpSession (RTCP multiplexed on the
// socket, RFC 5761). The link joins them and does one wake-up's work: read what waits in the
// socket (RTCP to the RTCP session, the rest to DTLS or the receive path), drain the capture ring
// into the encoder and send what is ready, and send an RTCP compound when one is due. The sink
// pulls what it plays from the receive path (an audio::FrameReader) on its own clock, a device's
// callback or an audio::Pump: nothing waits between them. Nothing the audio callbacks touch takes a
// lock or allocates.
//
// Construction opens everything (socket, devices, files, keys) and throws on any bad set-up
// with a message naming what failed; nothing is left running then. start() starts audio and the
// network thread; stop() ends gracefully: capture stops, what is encoded is flushed and sent,
// playback stops (a file output is committed), the socket closes.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/ip/udp.hpp>

#include "audio/pace.h"
#include "audio/sample_ring.h"
#include "net/rtcp_session.h"
#include "pipeline/audio_endpoints.h"
#include "pipeline/key_agreement.h"
#include "pipeline/link_config.h"
#include "pipeline/link_error.h"
#include "pipeline/link_socket.h"
#include "pipeline/link_stats.h"
#include "pipeline/network_loop.h"
#include "pipeline/receive_path.h"
#include "pipeline/send_path.h"

namespace extrema::pipeline {

class Link final : private NetworkWork {
  public:
    // Throws LinkError, audio::AudioError, net::NetError, net::SrtpKeyError or
    // std::invalid_argument. Device endpoints need a PortAudioSession alive in the process.
    // `pace` runs the link's media time faster than the steady clock (audio/pace.h): for file
    // endpoints only (the loopback harness); not a setting of the daemon, which runs in real time.
    explicit Link(const LinkConfig& config, audio::Pace pace = audio::Pace{});
    ~Link();  // stops if still running, dropping errors
    Link(const Link&) = delete;
    Link& operator=(const Link&) = delete;

    void start();
    // Graceful stop (idempotent). Rethrows an endpoint's failure (a file that could not be read
    // or written) after everything is down.
    void stop();

    // Send side: the whole input (a file) has been captured, encoded and sent.
    bool input_finished() const noexcept { return input_finished_.load(std::memory_order_acquire); }
    // Grows while the pipeline makes progress: network wake-ups ran and audio frames moved. The
    // service pets systemd's watchdog only while it grows.
    std::uint64_t progress() const noexcept;

    LinkStats stats() const;
    // Live reconfiguration (SIGHUP): the compressor, the jitter target and the redundancy; the
    // caller has validated `fresh` (config::merge_reloadable). Applied on the network thread at its
    // next wake-up; returns once applied.
    void reload(const LinkConfig& fresh) { loop_->reload(fresh); }

    const LinkConfig& config() const noexcept { return config_; }
    boost::asio::ip::udp::endpoint local_endpoint() const { return socket_.local_endpoint(); }
    std::string describe() const;

    // Receive side, once playout has started: output samples before the first timeline sample,
    // and that sample's index (0 unless the first packets were lost).
    std::optional<std::uint64_t> lead_samples() const;
    std::int64_t first_played_position() const;

  private:
    // NetworkWork, on the network thread.
    void on_start() override;
    void on_wake() override;
    void on_finish() override;
    std::optional<std::uint64_t> samples_until_packet() const override;
    void apply_reload(const LinkConfig& fresh) override;

    void receive_waiting();
    void on_rtcp(std::span<std::uint8_t> datagram, std::size_t wire_bytes,
                 const boost::asio::ip::udp::endpoint& sender, net::Clock::time_point now);
    std::optional<net::RtcpSession::Sent> rtcp_sent() const;
    void install(const std::optional<net::DtlsSrtpKeys>& keys);
    void pump_capture(bool final);
    void publish_stats();
    void note_progress() noexcept;

    LinkConfig config_;
    audio::Pace pace_;
    LinkSocket socket_;
    std::unique_ptr<KeyAgreement> dtls_;  // network.dtls only
    std::unique_ptr<audio::SampleRing> capture_ring_;
    std::unique_ptr<SendPath> send_;
    std::unique_ptr<ReceivePath> receive_;
    std::unique_ptr<net::RtcpSession> rtcp_;

    // Network thread only.
    std::vector<float> scratch_;
    bool flushed_ = false;
    std::uint64_t last_frames_ = 0;
    std::uint64_t rtp_bytes_received_ = 0;  // for the RTCP interval's session bandwidth

    // A Link runs at most once: kIdle -> kRunning (start) -> kStopped (stop). A stop() before
    // start() goes straight to kStopped, so a later start() does nothing.
    enum class State { kIdle, kRunning, kStopped };
    std::atomic<State> state_{State::kIdle};
    std::atomic<bool> input_finished_{false};
    std::atomic<std::uint64_t> progress_{0};
    std::chrono::steady_clock::time_point started_at_{};  // set by start(), before the thread

    mutable std::mutex stats_mutex_;  // network thread writes, anyone reads; never on audio
    LinkStats snapshot_;
    std::optional<std::uint64_t> lead_samples_;
    std::int64_t first_played_position_ = 0;
    // Destroyed before everything its thread reaches above.
    std::unique_ptr<NetworkLoop> loop_;
    // Last: destroyed first, so no audio callback still runs while anything it reaches (the
    // capture ring, the receive path) goes away.
    std::unique_ptr<AudioEndpoints> endpoints_;
};

}  // namespace extrema::pipeline
