#include "pipeline/link.h"

#include <algorithm>
#include <exception>

#include <pthread.h>

#include "net/udp_socket.h"
#include "net/wire_limits.h"
#include "pipeline/capture_wake.h"
#include "pipeline/setting_errors.h"

namespace extrema::pipeline {
namespace {

namespace asio = boost::asio;
using asio::ip::udp;
using std::chrono::steady_clock;

// One second of audio in the capture ring: far more than a tick (the network thread drains it
// every few ms), so an overrun means the thread stalled, not that the ring is short.
constexpr double kRingSeconds = 1.0;

// At most this many datagrams are read per tick: a flood waits in the socket (the kernel drops
// what its buffer cannot hold) instead of delaying the tick's sending. 512 is over 100 times a
// link's packets per tick.
constexpr std::size_t kMaxDatagramsPerTick = 512;

udp::endpoint resolve_allowed(asio::io_context& io, const std::string& text) {
    bool has_port = true;
    try {
        (void)net::parse_host_port(text);
    } catch (const net::NetError&) {
        has_port = false;
    }
    if (has_port) return net::resolve_endpoint(io, text);
    // No port given: any port of that host (NAT rewrites ports).
    const bool v6 = text.find(':') != std::string::npos;
    return net::resolve_endpoint(io, v6 ? "[" + text + "]:0" : text + ":0");
}

std::chrono::microseconds clamped_ms(double ms, double lo, double hi) {
    return std::chrono::microseconds(static_cast<std::int64_t>(std::clamp(ms, lo, hi) * 1000.0));
}

}  // namespace

// The network tick: half a packet, so a packet's records leave within half a packet of being
// complete, but no faster than 1 ms (a bare wake-up costs about 52 us on the build VM,
// docs/latency.md: 1 ms ticks are some 5 % of a core already) and no slower than 5 ms (a file
// sink is fed at ticks). Received datagrams wait in the socket until the tick rather than waking
// the thread per packet, for up to one tick more of delay, which the jitter target covers like
// any network jitter.
std::chrono::microseconds tick_for(double packet_ms) {
    return clamped_ms(packet_ms / 2.0, 1.0, 5.0);
}

// Waking with the capture, a packet leaves about as soon as its block is in the ring, instead of
// up to a tick later; datagrams may then wait up to a whole packet in the socket instead of a
// tick, so a packet's total wait is the same (one packet, where it was two half-packet ticks) for
// half the wake-ups: one per packet. Capped at 10 ms, as the tick at 5, for long packets.
std::chrono::microseconds poll_for(double packet_ms) {
    return clamped_ms(packet_ms, 1.0, 10.0);
}

Link::Link(const LinkConfig& config, audio::Pace pace)
    : config_(config),
      pace_(pace),
      socket_(io_),
      tick_(pace.wall(tick_for(config.network.packet_ms))) {
    const bool sends = config_.mode != LinkMode::kReceive;
    const bool receives = config_.mode != LinkMode::kSend;
    // Devices, tones and the null sink keep the steady clock's own pace.
    if (!pace_.real_time() && ((sends && config_.audio.input != InputKind::kFile) ||
                               (receives && config_.audio.output != OutputKind::kFile) ||
                               config_.audio.file_pacing != FilePacing::kRealTime)) {
        throw LinkError("a link faster than real time needs real-time paced file endpoints");
    }
    open_socket();
    if (config_.network.dtls != "off") open_dtls();
    const auto ring_frames = static_cast<std::size_t>(kRingSeconds * config_.audio.rate_hz);
    if (sends) capture_ring_ = std::make_unique<audio::SampleRing>(ring_frames);
    // An SRTP key is the one thing the send and receive paths open that a setting names.
    const std::string_view key_file = "network.srtp_key_file";
    if (sends) {
        send_ = for_setting(key_file, [this] {
            return std::make_unique<SendPath>(config_, [this](std::span<const std::uint8_t> bytes) {
                boost::system::error_code error;
                const std::size_t sent =
                    socket_.send_to(asio::buffer(bytes.data(), bytes.size()), peer_, 0, error);
                return !error && sent == bytes.size();
            });
        });
    }
    if (receives) {
        receive_ = for_setting(key_file, [this] {
            return std::make_unique<ReceivePath>(config_, allowed_, accept_any_);
        });
    }
    endpoints_ =
        std::make_unique<AudioEndpoints>(config_, capture_ring_.get(), receive_.get(), pace_);
    if (sends) {
        capture_clock_ = endpoints_->source()->delivery_clock();
        poll_ = pace_.wall(poll_for(config_.network.packet_ms));
    }
    scratch_.resize(4096);
    datagram_.resize(net::kMaxDatagramBytes);
}

void Link::open_dtls() {
    const NetworkSettings& net = config_.network;
    if (net.srtp_key_file.empty()) {
        throw LinkError(
            "network.dtls needs network.srtp_key_file: the pre-shared key that "
            "authenticates the handshake");
    }
    if (!net.peer.empty() && peer_.address().is_multicast()) {
        throw LinkError("network.dtls needs a unicast peer: " + net.peer +
                        " is a multicast group (DTLS is between two ends)");
    }
    const bool client = net.dtls == "client";
    if (client && net.peer.empty()) {
        throw LinkError(
            "network.dtls = \"client\" needs network.peer: the end it shakes hands "
            "with");
    }
    const net::SrtpKey psk = for_setting(
        "network.srtp_key_file", [&] { return net::read_srtp_key_file(net.srtp_key_file); });
    dtls_to_ = peer_;
    dtls_ = for_setting("network.dtls", [&] {
        return std::make_unique<net::DtlsSrtp>(
            psk, client ? net::DtlsRole::kClient : net::DtlsRole::kServer,
            [this](std::span<const std::uint8_t> datagram) {
                boost::system::error_code ignored;  // a lost flight is sent again on its timer
                socket_.send_to(asio::buffer(datagram.data(), datagram.size()), dtls_to_, 0,
                                ignored);
            });
    });
}

bool Link::dtls_peer_allowed(const udp::endpoint& sender) const noexcept {
    if (receive_) return receive_->peer_allowed(sender);
    return sender == peer_;  // a sender shakes hands with its peer only
}

void Link::install_dtls_keys() {
    const std::optional<net::DtlsSrtpKeys> keys = dtls_->take_keys();
    if (!keys) return;
    if (send_) send_->set_srtp_key(keys->send);
    if (receive_) receive_->set_srtp_key(keys->receive);
}

Link::~Link() {
    try {
        stop();
    } catch (...) {
        // The destructor must not throw; stop() is where callers hear about failures.
    }
}

void Link::open_socket() {
    const NetworkSettings& net = config_.network;
    const bool sends = config_.mode != LinkMode::kReceive;
    const bool receives = config_.mode != LinkMode::kSend;
    if (sends && net.peer.empty()) {
        throw LinkError(std::string("mode '") + to_string(config_.mode) +
                        "' needs a peer to send to (network.peer, --peer)");
    }
    const udp::endpoint local =
        for_setting("network.bind", [&] { return net::resolve_endpoint(io_, net.bind); });
    if (!net.peer.empty()) {
        peer_ = for_setting("network.peer", [&] { return net::resolve_endpoint(io_, net.peer); });
    }
    const bool multicast = !net.peer.empty() && peer_.address().is_multicast();
    if (multicast && config_.mode == LinkMode::kDuplex) {
        throw LinkError("duplex needs a unicast peer: " + net.peer + " is a multicast group");
    }
    if (!net.peer.empty() && !multicast && peer_.protocol() != local.protocol()) {
        throw LinkError("peer " + net.peer + " and bind address " + net.bind +
                        " are of different IP versions");
    }
    if (multicast && receives) {
        std::optional<asio::ip::address> interface_address;
        if (!net.multicast_interface.empty()) {
            boost::system::error_code error;
            interface_address = asio::ip::make_address(net.multicast_interface, error);
            if (error) {
                throw LinkError("multicast_interface '" + net.multicast_interface +
                                "' is not an IP address");
            }
        }
        socket_ = for_setting("network.peer", [&] {
            return net::open_multicast_receiver(io_, peer_, interface_address,
                                                net.receive_buffer_bytes);
        });
    } else {
        net::BindOptions options;
        options.receive_buffer_bytes = receives ? net.receive_buffer_bytes : 0;
        socket_ =
            for_setting("network.bind", [&] { return net::bind_socket(io_, local, options); });
    }
    if (multicast && sends) {
        for_setting("network.multicast_ttl",
                    [&] { net::set_multicast_sending(socket_, net.multicast_ttl, true); });
    }
    if (receives) {
        if (!net.peer.empty() && !multicast) allowed_.push_back(peer_);
        for (const std::string& entry : net.allow) {
            allowed_.push_back(
                for_setting("network.allow", [&] { return resolve_allowed(io_, entry); }));
        }
        // Senders to a group are not known in advance: with no allow list, anyone may send.
        accept_any_ = net.accept_any_peer || (multicast && net.allow.empty());
        if (allowed_.empty() && !accept_any_) {
            throw LinkError(
                "mode 'receive' needs to know its senders: set network.peer, network.allow or "
                "network.accept_any_peer");
        }
    }
    // A full send buffer must never block the thread that also reads the socket and keeps the
    // ticks: the datagram is dropped and counted instead.
    socket_.non_blocking(true);
    local_ = socket_.local_endpoint();
}

std::string Link::describe() const {
    std::string text = std::string(to_string(config_.mode)) + " on " +
                       local_.address().to_string() + ":" + std::to_string(local_.port());
    if (send_) {
        text += " to " + peer_.address().to_string() + ":" + std::to_string(peer_.port());
    }
    if (endpoints_->source()) text += "; in: " + endpoints_->source()->describe();
    if (endpoints_->sink()) text += "; out: " + endpoints_->sink()->describe();
    return text;
}

void Link::start() {
    State idle = State::kIdle;
    if (!state_.compare_exchange_strong(idle, State::kRunning)) return;
    started_at_ = steady_clock::now();
    {
        const std::lock_guard lock(reload_mutex_);
        thread_active_ = true;
    }
    thread_ = std::thread([this] { run(); });
    try {
        endpoints_->start();
    } catch (...) {
        state_ = State::kStopped;
        finish_.store(true, std::memory_order_release);
        thread_.join();
        throw;
    }
}

void Link::run() noexcept {
    // Named so `top -H` and the CPU benchmark can tell the link's thread from the audio ones.
    pthread_setname_np(pthread_self(), kNetworkThreadName);
    // Real-time priority when the system grants it (the units' LimitRTPRIO, or root): a tick
    // delayed by ordinary threads under load delays packets past the jitter target's margin. Below
    // JACK's clients (priority 5 and up), which must never wait for us. Refused: carry on.
    sched_param priority{};
    priority.sched_priority = kNetworkThreadPriority;
    pthread_setschedparam(pthread_self(), SCHED_FIFO, &priority);
    auto wake = started_at_ + (capture_clock_ ? poll_ : tick_);
    if (dtls_) dtls_->start(steady_clock::now());  // a client's first ClientHello
    while (true) {
        std::this_thread::sleep_until(wake);
        if (finish_.load(std::memory_order_acquire)) break;
        ++wakeups_;
        if (reload_waiting_.load(std::memory_order_acquire)) {
            const std::lock_guard lock(reload_mutex_);
            apply_pending_reload();
        }
        // Read before draining: every frame it counts is then taken from the ring by the tick.
        const std::optional<audio::Delivery> delivered =
            capture_clock_ ? capture_clock_->last() : std::nullopt;
        on_tick();
        const auto now = steady_clock::now();
        if (capture_clock_) {
            wake = next_wake(delivered, now);
        } else {
            wake += tick_;
            // After a stall (suspend, overload) restart the ticks instead of racing to catch up.
            if (now - wake > 10 * tick_) wake = now + tick_;
        }
    }
    // The last tick: what the source delivered is encoded, flushed and sent before the socket
    // closes. stop() has stopped the source already.
    if (send_) pump_capture(true);
    publish_stats();
    boost::system::error_code ignored;
    socket_.close(ignored);
    const std::lock_guard lock(reload_mutex_);
    apply_pending_reload();
    thread_active_ = false;
}

void Link::receive_waiting(net::Clock::time_point now) {
    for (std::size_t i = 0; i < kMaxDatagramsPerTick; ++i) {
        boost::system::error_code error;
        const net::ReceivedDatagram got = net::receive_datagram(socket_, datagram_, sender_, error);
        if (error == asio::error::would_block || error == asio::error::try_again) return;
        // Other errors (an ICMP "port unreachable" reported on a later read) change nothing:
        // read on.
        if (error) continue;
        const std::span<std::uint8_t> datagram(datagram_.data(), got.bytes);
        if (dtls_ && net::is_dtls_datagram(datagram)) {
            if (!got.truncated() && dtls_peer_allowed(sender_)) {
                if (dtls_->role() == net::DtlsRole::kServer) dtls_to_ = sender_;
                dtls_->on_datagram(datagram, now);
                install_dtls_keys();
            }
            continue;
        }
        if (!receive_) continue;  // a sending link reads its socket for DTLS only
        if (dtls_ && !dtls_->has_keys() && dtls_->role() == net::DtlsRole::kServer &&
            receive_->peer_allowed(sender_)) {
            dtls_to_ = sender_;
            dtls_->on_srtp_without_keys(now);
        }
        // Arrival in media time: the jitter statistics and the SSRC timeout are spans of audio.
        receive_->on_datagram(std::span<std::uint8_t>(datagram_.data(), got.bytes), got.wire_bytes,
                              sender_, pace_.media_time(started_at_, now));
    }
}

steady_clock::time_point Link::next_wake(const std::optional<audio::Delivery>& delivered,
                                         steady_clock::time_point now) {
    const steady_clock::time_point poll = now + poll_;
    if (flushed_) return poll;
    const std::optional<audio::Delivery> latest = capture_clock_->last(delivered);
    if (!latest) return poll;
    // The tick took every frame `delivered` counts (more if a block came meanwhile: then this
    // wakes early, finds the packet short and plans again); the packet needs this many beyond.
    const std::uint64_t wanted =
        (delivered ? delivered->frames : 0) + send_->samples_until_packet();
    return std::min(poll, capture_wake(*latest, wanted, config_.audio.rate_hz, now, pace_));
}

void Link::on_tick() {
    if (receive_ || dtls_) receive_waiting(net::Clock::now());
    if (dtls_) {
        dtls_->on_tick(net::Clock::now());
        install_dtls_keys();
    }
    if (send_) pump_capture(false);
    note_progress();
    publish_stats();
}

void Link::pump_capture(bool final) {
    if (flushed_) return;
    // Read `finished` before draining: what the source pushed before finishing is then all in
    // the ring, and the flush below covers the whole input.
    const bool source_done = final || endpoints_->source()->finished();
    while (true) {
        const std::size_t got = capture_ring_->pop_available(scratch_);
        if (got == 0) break;
        send_->push(std::span<float>(scratch_.data(), got));
    }
    if (source_done) {
        send_->flush();
        flushed_ = true;
        input_finished_.store(true, std::memory_order_release);
    }
}

void Link::publish_stats() {
    LinkStats stats;
    stats.uptime_s = std::chrono::duration<double>(steady_clock::now() - started_at_).count();
    stats.sending = send_ != nullptr;
    stats.receiving = receive_ != nullptr;
    stats.network_wakeups = wakeups_;
    if (send_) {
        send_->fill_stats(stats.send);
        const audio::EndpointStats source = endpoints_->source()->stats();
        stats.send.frames_captured = source.frames;
        stats.send.device_xruns = source.device_xruns;
        stats.send.capture_overruns = capture_ring_->counters().overrun_samples;
    }
    if (receive_) {
        receive_->fill_stats(stats.receive);
        const audio::EndpointStats sink = endpoints_->sink()->stats();
        stats.receive.device_xruns = sink.device_xruns;
        stats.receive.output_write_errors = sink.write_errors;
        // The peer's packetisation and capture device are assumed to match ours: this end
        // cannot see them. A duplex stream reports capture plus playback already.
        const double devices_ms =
            endpoints_->duplex_stream() ? sink.latency_ms : 2.0 * sink.latency_ms;
        stats.receive.latency_ms = config_.network.packet_ms + stats.receive.buffer_ms + devices_ms;
    }
    const std::lock_guard lock(stats_mutex_);
    snapshot_ = stats;
    if (receive_ && !lead_samples_ && receive_->lead_samples()) {
        lead_samples_ = receive_->lead_samples();
        first_played_position_ = receive_->first_played_position();
    }
}

LinkStats Link::stats() const {
    const std::lock_guard lock(stats_mutex_);
    return snapshot_;
}

std::optional<std::uint64_t> Link::lead_samples() const {
    const std::lock_guard lock(stats_mutex_);
    return lead_samples_;
}

std::int64_t Link::first_played_position() const {
    const std::lock_guard lock(stats_mutex_);
    return first_played_position_;
}

std::uint64_t Link::progress() const noexcept {
    return progress_.load(std::memory_order_relaxed);
}

void Link::note_progress() noexcept {
    std::uint64_t frames = 0;
    if (endpoints_->source()) frames += endpoints_->source()->stats().frames;
    if (endpoints_->sink()) frames += endpoints_->sink()->stats().frames;
    // Progress needs both: this tick ran (the network thread lives) and audio moved since the
    // last one (the device or file thread lives). A finished file input no longer moves, but
    // then the link is done anyway.
    if (frames != last_frames_) progress_.fetch_add(1, std::memory_order_relaxed);
    last_frames_ = frames;
}

void Link::apply_reload_now(const LinkConfig& fresh) {
    // The target first: it is the one that can refuse, and then nothing has changed.
    if (receive_) receive_->set_target_delay_ms(fresh.receiver.jitter_target_ms);
    if (send_) send_->set_compressor(fresh.compressor);
    config_.compressor = fresh.compressor;
    config_.receiver.jitter_target_ms = fresh.receiver.jitter_target_ms;
}

// Network thread, reload_mutex_ held: applies what reload() left and wakes it.
void Link::apply_pending_reload() {
    if (pending_reload_) {
        try {
            apply_reload_now(*pending_reload_);
        } catch (...) {
            reload_failure_ = std::current_exception();
        }
        pending_reload_.reset();
    }
    reload_waiting_.store(false, std::memory_order_release);
    reload_done_.notify_all();
}

void Link::reload(const LinkConfig& fresh) {
    const std::lock_guard serial(reload_serial_);
    std::unique_lock lock(reload_mutex_);
    if (!thread_active_) {
        apply_reload_now(fresh);
        return;
    }
    pending_reload_ = fresh;
    reload_failure_ = nullptr;
    reload_waiting_.store(true, std::memory_order_release);
    reload_done_.wait(lock, [this] { return !pending_reload_; });
    if (reload_failure_) std::rethrow_exception(reload_failure_);
}

void Link::stop() {
    if (state_.exchange(State::kStopped) != State::kRunning) return;
    std::exception_ptr failure;
    try {
        endpoints_->stop_source();
    } catch (...) {
        failure = std::current_exception();
    }
    // Only now: the network thread's last tick must see everything the source delivered.
    finish_.store(true, std::memory_order_release);
    if (thread_.joinable()) thread_.join();
    try {
        endpoints_->stop_sink();
    } catch (...) {
        if (!failure) failure = std::current_exception();
    }
    if (receive_) {
        // No callback runs any more: file what arrived after the last one and publish the
        // final counters.
        receive_->settle();
        publish_stats();
    }
    if (failure) std::rethrow_exception(failure);
}

}  // namespace extrema::pipeline
