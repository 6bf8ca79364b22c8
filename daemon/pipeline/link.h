#pragma once
// Link: one extremad link, assembled from its LinkConfig (SPEC §1, §5, §6).
//
//   capture callback -> capture ring -> [network thread: SendPath] -> UDP
//   UDP -> [network thread: ReceivePath validation] -> hand-over queue
//       -> [sink's clock pulls: jitter buffer, decoder, drift corrector] -> device or file
//
// The capture callback only moves samples into its ring. The network thread wakes on its own
// schedule and nothing else: when the capture device delivers the block that can complete the
// next packet (a sending link whose source keeps a DeliveryClock, capture_wake.h), else at a
// steady tick, and at least every poll interval. Each time it reads the datagrams waiting on the
// (Boost.Asio, non-blocking) socket and hands the validated packets over lock-free, then drains
// the capture ring into the encoder and sends what is ready. The sink pulls what it plays from
// the receive path (an audio::FrameReader) on its own clock, a device's callback or, for a sink
// without one, an audio::Pump: nothing waits between them. Nothing the audio callbacks touch
// takes a lock or allocates.
//
// Construction opens everything (socket, devices, files, keys) and throws on any bad set-up
// with a message naming what failed; nothing is left running then. start() starts audio and the
// network thread; stop() ends gracefully: capture stops, what is encoded is flushed and sent,
// playback stops (a file output is committed), the socket closes.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>

#include "audio/pace.h"
#include "audio/sample_ring.h"
#include "net/dtls_srtp.h"
#include "pipeline/audio_endpoints.h"
#include "pipeline/link_config.h"
#include "pipeline/link_stats.h"
#include "pipeline/receive_path.h"
#include "pipeline/send_path.h"

namespace extrema::pipeline {

// Set-up errors that are not about audio or the network (a mode without a peer, ...).
class LinkError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// The name of every link's network thread (Linux allows 15 characters).
inline constexpr const char* kNetworkThreadName = "extrema-net";
// SCHED_FIFO priority of the network thread when allowed: above ordinary threads, below JACK's
// own (5 and up) and its clients.
inline constexpr int kNetworkThreadPriority = 3;

// The network tick for a packet duration: half a packet, clamped to 1..5 ms (link.cpp says why).
std::chrono::microseconds tick_for(double packet_ms);
// The longest a datagram waits in the socket when the thread wakes with the capture instead:
// one packet, clamped to 1..10 ms (link.cpp says why).
std::chrono::microseconds poll_for(double packet_ms);

class Link final {
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
    // Grows while the pipeline makes progress: network ticks ran and audio frames moved. The
    // service pets systemd's watchdog only while it grows.
    std::uint64_t progress() const noexcept;

    LinkStats stats() const;
    // Live reconfiguration (SIGHUP): the compressor and the jitter target; the caller has
    // validated `fresh`. Applied on the network thread at its next tick; returns once applied.
    void reload(const LinkConfig& fresh);

    const LinkConfig& config() const noexcept { return config_; }
    boost::asio::ip::udp::endpoint local_endpoint() const { return local_; }
    std::string describe() const;

    // Receive side, once playout has started: output samples before the first timeline sample,
    // and that sample's index (0 unless the first packets were lost).
    std::optional<std::uint64_t> lead_samples() const;
    std::int64_t first_played_position() const;

  private:
    void open_socket();
    void open_dtls();
    bool dtls_peer_allowed(const boost::asio::ip::udp::endpoint& sender) const noexcept;
    void install_dtls_keys();
    void receive_waiting(net::Clock::time_point now);
    void on_tick();
    // When to wake after a tick that ran at `now`; `delivered` is the capture clock read before
    // the tick drained the ring.
    std::chrono::steady_clock::time_point next_wake(const std::optional<audio::Delivery>& delivered,
                                                    std::chrono::steady_clock::time_point now);
    void apply_pending_reload();
    void apply_reload_now(const LinkConfig& fresh);
    void pump_capture(bool final);
    void publish_stats();
    void note_progress() noexcept;
    void run() noexcept;

    LinkConfig config_;
    audio::Pace pace_;
    boost::asio::io_context io_;
    boost::asio::ip::udp::socket socket_;
    boost::asio::ip::udp::endpoint local_;
    boost::asio::ip::udp::endpoint peer_;  // where the sender sends
    std::vector<boost::asio::ip::udp::endpoint> allowed_;
    bool accept_any_ = false;
    std::chrono::steady_clock::duration tick_{};  // tick_for, at the pace
    // Set when the thread wakes with the capture: the source's clock, and the longest wait
    // between wake-ups (poll_for); otherwise null, and the thread ticks every tick_.
    const audio::DeliveryClock* capture_clock_ = nullptr;
    std::chrono::steady_clock::duration poll_{};

    std::unique_ptr<audio::SampleRing> capture_ring_;
    std::unique_ptr<SendPath> send_;
    std::unique_ptr<ReceivePath> receive_;
    // DTLS-SRTP key agreement (network.dtls), network thread only; it sends to dtls_to_: the
    // peer, or (server) the sender of the last handshake datagram.
    std::unique_ptr<net::DtlsSrtp> dtls_;
    boost::asio::ip::udp::endpoint dtls_to_;

    // Network thread only.
    std::vector<float> scratch_;
    std::vector<std::uint8_t> datagram_;
    boost::asio::ip::udp::endpoint sender_;
    bool flushed_ = false;

    // A Link runs at most once: kIdle -> kRunning (start) -> kStopped (stop). A stop() before
    // start() goes straight to kStopped, so a later start() does nothing.
    enum class State { kIdle, kRunning, kStopped };
    std::thread thread_;
    std::atomic<State> state_{State::kIdle};
    std::atomic<bool> finish_{false};  // the network thread runs its last tick and ends
    std::atomic<bool> input_finished_{false};
    std::atomic<std::uint64_t> progress_{0};
    std::uint64_t last_frames_ = 0;                       // network thread only
    std::uint64_t wakeups_ = 0;                           // network thread only
    std::chrono::steady_clock::time_point started_at_{};  // set by start(), before the thread

    // Reload hand-over: reload() leaves `pending_reload_` and waits; the network thread applies it
    // at its next tick (or as it ends) and clears it. One reload at a time.
    std::mutex reload_serial_;
    std::mutex reload_mutex_;
    std::condition_variable reload_done_;
    std::atomic<bool> reload_waiting_{false};
    std::optional<LinkConfig> pending_reload_;
    std::exception_ptr reload_failure_;
    bool thread_active_ = false;  // under reload_mutex_: the network thread will still apply

    mutable std::mutex stats_mutex_;  // network thread writes, anyone reads; never on audio
    LinkStats snapshot_;
    std::optional<std::uint64_t> lead_samples_;
    std::int64_t first_played_position_ = 0;
    // Last: destroyed first, so no audio callback still runs while anything it reaches (the
    // capture ring, the receive path) goes away.
    std::unique_ptr<AudioEndpoints> endpoints_;
};

}  // namespace extrema::pipeline
