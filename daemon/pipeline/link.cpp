#include "pipeline/link.h"

#include <array>
#include <exception>
#include <random>
#include <string>

#include <unistd.h>

#include "net/dtls_srtp.h"
#include "net/srtp_session.h"
#include "pipeline/link_rules.h"
#include "pipeline/setting_errors.h"
#include "pipeline/setting_keys.h"

namespace extrema::pipeline {
namespace {

using std::chrono::steady_clock;

// One second of audio in the capture ring: far more than a wake-up's worth (the network thread
// drains it every few ms), so an overrun means the thread stalled, not that the ring is short.
constexpr double kRingSeconds = 1.0;

bool sends(const LinkConfig& config) noexcept {
    return config.mode != LinkMode::kReceive;
}
bool receives(const LinkConfig& config) noexcept {
    return config.mode != LinkMode::kSend;
}

// A config from code has not met the loader's checks; the rules between settings it must meet.
const LinkConfig& within_rules(const LinkConfig& config) {
    if (const auto broken = first_broken_rule(config)) throw LinkError(broken->problem);
    return config;
}

// Devices, tones and the null sink keep the steady clock's own pace.
const LinkConfig& paceable(const LinkConfig& config, audio::Pace pace) {
    if (!pace.real_time() && ((sends(config) && config.audio.input != InputKind::kFile) ||
                              (receives(config) && config.audio.output != OutputKind::kFile) ||
                              config.audio.file_pacing != FilePacing::kRealTime)) {
        throw LinkError("a link faster than real time needs real-time paced file endpoints");
    }
    return config;
}

// RFC 3550 §6.5.1: CNAME "user@host"; the daemon is the user.
std::string rtcp_cname() {
    std::array<char, 256> host{};
    if (gethostname(host.data(), host.size() - 1) != 0 || host[0] == '\0') return "extremad";
    return "extremad@" + std::string(host.data());
}

}  // namespace

Link::Link(const LinkConfig& config, audio::Pace pace)
    : config_(paceable(within_rules(config), pace)),
      pace_(pace),
      socket_(config_.mode, config_.network) {
    if (config_.network.dtls != "off") {
        dtls_ = std::make_unique<KeyAgreement>(config_.network, socket_);
    }
    // An SRTP key is the one thing the send and receive paths open that a setting names.
    const std::string_view key_file = keys::kSrtpKeyFile;
    if (sends(config_)) {
        capture_ring_ = std::make_unique<audio::SampleRing>(
            static_cast<std::size_t>(kRingSeconds * config_.audio.rate_hz));
        send_ = for_setting(key_file, [this] {
            return std::make_unique<SendPath>(config_, [this](std::span<const std::uint8_t> bytes) {
                return socket_.send(bytes);
            });
        });
    }
    if (receives(config_)) {
        receive_ = for_setting(key_file, [this] {
            return std::make_unique<ReceivePath>(config_, socket_.allowed(), socket_.accept_any());
        });
    }
    {
        net::RtcpSession::Config rtcp;
        rtcp.rate_hz = config_.audio.rate_hz;
        // A sender reports under its RTP SSRC; a receiver draws its own (RFC 3550 §8.1).
        rtcp.ssrc = send_ ? send_->ssrc() : std::random_device{}();
        rtcp.cname = rtcp_cname();
        rtcp.interval_scale = 1.0 / pace_.speed();
        rtcp.awaits_keys = dtls_ != nullptr;
        if (!config_.network.srtp_key_file.empty() && !dtls_) {
            rtcp.srtp_key = for_setting(key_file, [this] {
                return net::read_srtp_key_file(config_.network.srtp_key_file);
            });
        }
        rtcp_ = std::make_unique<net::RtcpSession>(
            rtcp,
            [this](std::span<const std::uint8_t> bytes, const boost::asio::ip::udp::endpoint& to) {
                return socket_.send_to(bytes, to);
            });
        if (send_) rtcp_->set_remote(socket_.peer());
    }
    endpoints_ =
        std::make_unique<AudioEndpoints>(config_, capture_ring_.get(), receive_.get(), pace_);
    // A sending link wakes with its capture when the source keeps a clock; otherwise it ticks.
    NetworkWork& work = *this;
    loop_ = std::make_unique<NetworkLoop>(work, pace_.wall(tick_for(config_.network.packet_ms)),
                                          send_ ? endpoints_->source()->delivery_clock() : nullptr,
                                          pace_.wall(poll_for(config_.network.packet_ms)),
                                          config_.audio.rate_hz, pace_);
    scratch_.resize(4096);
}

Link::~Link() {
    try {
        stop();
    } catch (...) {
        // The destructor must not throw; stop() is where callers hear about failures.
    }
}

void Link::start() {
    State idle = State::kIdle;
    if (!state_.compare_exchange_strong(idle, State::kRunning)) return;
    started_at_ = steady_clock::now();
    loop_->start(started_at_);
    try {
        endpoints_->start();
    } catch (...) {
        state_ = State::kStopped;
        loop_->stop();
        throw;
    }
}

void Link::stop() {
    if (state_.exchange(State::kStopped) != State::kRunning) return;
    std::exception_ptr failure;
    try {
        endpoints_->stop_source();
    } catch (...) {
        failure = std::current_exception();
    }
    // Only now: the network thread's last wake-up must see everything the source delivered.
    loop_->stop();
    try {
        endpoints_->stop_sink();
    } catch (...) {
        if (!failure) failure = std::current_exception();
    }
    if (receive_) {
        // No sink pulls any more: file what arrived after the last pull and publish the final
        // counters.
        receive_->settle();
        publish_stats();
    }
    if (failure) std::rethrow_exception(failure);
}

void Link::on_start() {
    if (dtls_) dtls_->start(net::Clock::now());  // a client's first ClientHello
}

void Link::on_wake() {
    receive_waiting();  // RTCP comes to every link
    if (dtls_) install(dtls_->on_tick(net::Clock::now()));
    if (send_) pump_capture(false);
    rtcp_->on_tick(net::Clock::now(), rtcp_sent(),
                   (send_ ? send_->wire_bytes() : 0) + rtp_bytes_received_);
    note_progress();
    publish_stats();
}

// The last wake-up: what the source delivered is encoded, flushed and sent before the socket
// closes. stop() has stopped the source already.
void Link::on_finish() {
    if (send_) pump_capture(true);
    rtcp_->send_bye(net::Clock::now(), rtcp_sent());
    publish_stats();
    socket_.close();
}

std::optional<std::uint64_t> Link::samples_until_packet() const {
    if (!send_ || flushed_) return std::nullopt;
    return send_->samples_until_packet();
}

void Link::receive_waiting() {
    const net::Clock::time_point now = net::Clock::now();
    socket_.receive_waiting([&](std::span<std::uint8_t> datagram, std::size_t wire_bytes,
                                const boost::asio::ip::udp::endpoint& sender) {
        if (dtls_ && net::is_dtls_datagram(datagram)) {
            // A sender shakes hands with its peer only.
            const bool allowed =
                receive_ ? receive_->peer_allowed(sender) : sender == socket_.peer();
            if (wire_bytes == datagram.size() && allowed) {
                install(dtls_->on_datagram(datagram, sender, now));
            }
            return;
        }
        if (net::is_rtcp(datagram)) {
            on_rtcp(datagram, wire_bytes, sender, now);
            return;
        }
        if (!receive_) return;  // a sending link reads its socket for DTLS and RTCP only
        if (dtls_ && receive_->peer_allowed(sender)) dtls_->on_srtp_without_keys(sender, now);
        // Arrival in media time: the jitter statistics and the SSRC timeout are spans of audio.
        const net::Clock::time_point media_now = pace_.media_time(started_at_, now);
        const std::uint64_t accepted = receive_->accepted_packets();
        receive_->on_datagram(datagram, wire_bytes, sender, media_now);
        if (receive_->accepted_packets() != accepted) {
            rtp_bytes_received_ += wire_bytes;
            rtcp_->on_rtp(receive_->last_accepted_header(), media_now);
            // A receiver without a configured peer reports to the sender it hears.
            if (!send_) rtcp_->set_remote(sender);
        }
    });
}

void Link::on_rtcp(std::span<std::uint8_t> datagram, std::size_t wire_bytes,
                   const boost::asio::ip::udp::endpoint& sender, net::Clock::time_point now) {
    const bool allowed = receive_ ? receive_->peer_allowed(sender) : sender == socket_.peer();
    if (!allowed) {
        rtcp_->count_foreign_peer();
        return;
    }
    const std::uint64_t reports = rtcp_->stats().remote_reports;
    rtcp_->on_datagram(datagram, wire_bytes, now);
    // A report on our stream came in: its fraction lost steers network.redundancy = auto.
    if (send_ && rtcp_->stats().remote_reports != reports) {
        send_->on_loss_report(rtcp_->stats().remote_fraction_lost);
    }
}

std::optional<net::RtcpSession::Sent> Link::rtcp_sent() const {
    if (!send_) return std::nullopt;
    return send_->rtcp_sent();
}

void Link::install(const std::optional<net::DtlsSrtpKeys>& keys) {
    if (!keys) return;
    if (send_) send_->set_srtp_key(keys->send);
    if (receive_) receive_->set_srtp_key(keys->receive);
    rtcp_->set_srtp_keys(keys->send, keys->receive);
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

void Link::apply_reload(const LinkConfig& fresh) {
    // What can refuse goes first, so that a refusal leaves everything as it was.
    const NetworkSettings& network = fresh.network;
    if (send_) send_->check_redundancy(network.redundancy, network.redundancy_auto);
    if (receive_) receive_->set_target_delay_ms(fresh.receiver.jitter_target_ms);
    if (send_) {
        send_->set_redundancy(network.redundancy, network.redundancy_auto);
        send_->set_compressor(fresh.compressor);
    }
    config_.compressor = fresh.compressor;
    config_.receiver.jitter_target_ms = fresh.receiver.jitter_target_ms;
    config_.network.redundancy = network.redundancy;
    config_.network.redundancy_auto = network.redundancy_auto;
}

std::string Link::describe() const {
    const auto& local = socket_.local_endpoint();
    std::string text = std::string(to_string(config_.mode)) + " on " + local.address().to_string() +
                       ":" + std::to_string(local.port());
    if (send_) {
        text += " to " + socket_.peer().address().to_string() + ":" +
                std::to_string(socket_.peer().port());
    }
    if (endpoints_->source()) text += "; in: " + endpoints_->source()->describe();
    if (endpoints_->sink()) text += "; out: " + endpoints_->sink()->describe();
    return text;
}

void Link::publish_stats() {
    LinkStats stats;
    stats.uptime_s = std::chrono::duration<double>(steady_clock::now() - started_at_).count();
    stats.sending = send_ != nullptr;
    stats.receiving = receive_ != nullptr;
    stats.network_wakeups = loop_->wakeups();
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
    stats.rtcp = rtcp_->stats();
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
    // Progress needs both: this wake-up ran (the network thread lives) and audio moved since the
    // last one (the device or file thread lives). A finished file input no longer moves, but
    // then the link is done anyway.
    if (frames != last_frames_) progress_.fetch_add(1, std::memory_order_relaxed);
    last_frames_ = frames;
}

}  // namespace extrema::pipeline
