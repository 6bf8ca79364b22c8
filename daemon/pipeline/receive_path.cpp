#include "pipeline/receive_path.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>

namespace extrema::pipeline {
namespace {

net::ValidatorConfig validator_config(const LinkConfig& config,
                                      std::vector<boost::asio::ip::udp::endpoint> peers,
                                      bool accept_any_peer) {
    net::ValidatorConfig validator;
    validator.sample_rate_hz = config.audio.rate_hz;
    validator.payload_type = static_cast<std::uint8_t>(config.network.payload_type);
    // Either bank whatever this end's own encoder.bank: the sender chooses.
    validator.swing_payload_type = static_cast<std::uint8_t>(config.network.swing_payload_type);
    // Whatever this end sends, it takes the peer's RED packets (the sender chooses redundancy),
    // unless the RED type is the records' own (allowed for a link that sends none).
    if (config.network.red_payload_type != config.network.payload_type) {
        validator.red_payload_type = static_cast<std::uint8_t>(config.network.red_payload_type);
    }
    // Comfort noise is taken whatever this end's own encoder.dtx (the sender chooses DTX).
    validator.cn_payload_type = static_cast<std::uint8_t>(config.network.cn_payload_type);
    validator.limits = config.receiver.limits;
    validator.peers = std::move(peers);
    validator.accept_any_peer = accept_any_peer;
    return validator;
}

net::JitterBufferConfig jitter_buffer_config(const LinkConfig& config) {
    net::JitterBufferConfig jitter;
    jitter.sample_rate_hz = config.audio.rate_hz;
    // Adaptive: playout starts at the smallest latency allowed (the ReceivePath raises it to the
    // adaptive floor); the target grows from there.
    jitter.target_delay_ms = config.receiver.latency == "adaptive"
                                 ? config.receiver.adaptive.min_latency_ms
                                 : config.receiver.jitter_target_ms;
    return jitter;
}

DriftCorrectorConfig drift_config(const LinkConfig& config) {
    DriftCorrectorConfig drift;
    drift.sample_rate_hz = config.audio.rate_hz;
    drift.fast_growth = config.receiver.latency == "adaptive";
    return drift;
}

AdaptiveLatencyConfig adaptive_config(const LinkConfig& config) {
    AdaptiveLatencyConfig adaptive = config.receiver.adaptive;
    adaptive.sample_rate_hz = config.audio.rate_hz;
    adaptive.half_packet_ms = config.network.packet_ms / 2.0;
    return adaptive;
}

// Validated packets the network thread may hand over before the playout thread takes them. The
// playout thread takes them every period of the sink's clock (a few ms), when a link delivers
// one to a few; 128 covers a second of 10 ms packets arriving at once
// after a network stall. Beyond that a stalled audio device is the problem: counted, dropped.
// Each RED packet hands over its redundant blocks too, as packets of their own.
constexpr std::size_t kHandoffPackets = 128 * (1 + net::kMaxRedundantBlocks);

}  // namespace

ReceivePath::ReceivePath(const LinkConfig& config,
                         std::vector<boost::asio::ip::udp::endpoint> peers, bool accept_any_peer)
    : validator_(validator_config(config, std::move(peers), accept_any_peer)),
      arrivals_(kHandoffPackets),
      requested_target_ms_(config.receiver.jitter_target_ms),
      rate_hz_(config.audio.rate_hz),
      jitter_(jitter_buffer_config(config)),
      drift_(drift_config(config)),
      drift_correction_(config.receiver.drift_correction),
      adaptive_(config.receiver.latency == "adaptive"),
      adaptive_latency_(adaptive_config(config)),
      half_packet_samples_(config.network.packet_ms * config.audio.rate_hz / 2000.0),
      max_target_ms_(jitter_buffer_config(config).max_ahead_ms),
      applied_target_ms_(config.receiver.jitter_target_ms) {
    if (adaptive_) {
        target_samples_ = adaptive_latency_.target_level_samples();
        // Playout starts at the adaptive floor, which may lie above min_latency_ms.
        (void)jitter_.set_target_delay_ms(adaptive_latency_.target_delay_ms());
    } else {
        apply_target(applied_target_ms_);
    }
    awaits_keys_ = config.network.dtls != "off";
    if (!config.network.srtp_key_file.empty() && !awaits_keys_) {
        srtp_ = std::make_unique<net::SrtpSession>(
            net::read_srtp_key_file(config.network.srtp_key_file), net::SrtpDirection::kReceive);
    }
    publish();
}

void ReceivePath::on_datagram(std::span<std::uint8_t> datagram, std::size_t wire_bytes,
                              const boost::asio::ip::udp::endpoint& sender,
                              net::Clock::time_point now) {
    ++datagrams_;
    wire_bytes_ += wire_bytes;
    // The peer check comes before SRTP so strangers cannot make us spend HMACs.
    if (!validator_.peer_allowed(sender)) {
        validator_.count_drop(net::DropReason::kForeignPeer);
        return;
    }
    // Cut by the socket: what we hold is not the packet, however valid its first bytes look.
    if (wire_bytes > datagram.size()) {
        validator_.count_drop(net::DropReason::kPayloadTooLong);
        return;
    }
    if (awaits_keys_ && !srtp_) {
        validator_.count_drop(net::DropReason::kAuth);
        return;
    }
    std::size_t length = datagram.size();
    if (srtp_ && !unprotect(datagram, length, now)) return;
    if (!validator_.validate(datagram.first(length), sender, now, packet_)) {
        // A sender that authenticated but was not taken keeps no SRTP stream.
        if (srtp_ && validator_.locked_ssrc() != net::ssrc_of(datagram)) {
            srtp_->remove_stream(net::ssrc_of(datagram));
            if (previous_srtp_) previous_srtp_->remove_stream(net::ssrc_of(datagram));
        }
        return;
    }
    if (!arrivals_.push(Arrival{packet_, now, net::PacketOrigin::kNetwork})) {
        ++handoff_overflows_;
        return;
    }
    // Redundant blocks after their carrier, which has set the timeline they belong to.
    for (const net::ValidatedPacket& copy : validator_.redundant().packets()) {
        if (!arrivals_.push(Arrival{copy, now, net::PacketOrigin::kRedundant}))
            ++handoff_overflows_;
    }
}

bool ReceivePath::unprotect(std::span<std::uint8_t> datagram, std::size_t& length,
                            net::Clock::time_point now) noexcept {
    if (length < net::kRtpHeaderBytes) {
        validator_.count_drop(net::DropReason::kTruncatedHeader);
        return false;
    }
    // SRTP leaves the RTP header in clear: another sender while one is locked is refused here,
    // before it costs an HMAC or (authenticated, with the key) a libsrtp2 stream.
    if (!validator_.ssrc_may_enter(net::ssrc_of(datagram), now)) {
        validator_.count_drop(net::DropReason::kForeignSsrc);
        return false;
    }
    net::DropReason why{};
    if (srtp_->unprotect(datagram, length, why)) return true;
    // The sender may still be on the previous session's keys for a round trip after a new
    // handshake. A packet that fails authentication is left as it was, so it can be tried again.
    net::DropReason previous_why{};
    if (why == net::DropReason::kAuth && previous_srtp_ &&
        previous_srtp_->unprotect(datagram, length, previous_why)) {
        return true;
    }
    validator_.count_drop(why == net::DropReason::kAuth && previous_srtp_ ? previous_why : why);
    return false;
}

void ReceivePath::set_srtp_key(const net::SrtpKey& key) {
    previous_srtp_ = std::move(srtp_);
    srtp_ = std::make_unique<net::SrtpSession>(key, net::SrtpDirection::kReceive);
}

void ReceivePath::take_arrivals() noexcept {
    // Filed in place: no copy of the (3.5 KB) packet on the playout thread.
    arrivals_.consume_all([this](const Arrival& arrival) {
        const net::ValidatedPacket& packet = arrival.packet;
        if (packet.ssrc_changed) {
            sequence_.restart();
            drift_.reset();
        }
        const net::InsertResult result = jitter_.insert(packet, arrival.at, arrival.origin);
        // A redundant block has no sequence number of its own: loss counts the network's.
        if (arrival.origin == net::PacketOrigin::kNetwork &&
            result != net::InsertResult::kDuplicate) {
            sequence_.observe(packet.header.sequence);
        }
    });
}

void ReceivePath::read(std::span<float> out) noexcept {
    const double target_ms = requested_target_ms_.load(std::memory_order_relaxed);
    if (!adaptive_ && target_ms != applied_target_ms_) apply_target(target_ms);
    // Margins filed from now on leave out what the resampler has added (adaptive_latency.h).
    jitter_.queue().set_margin_reference(drift_.stretched_samples());
    take_arrivals();
    const bool was_playing = jitter_.playing();
    const auto pull = [this](std::span<float> block) { jitter_.read(block); };
    if (jitter_.counters().resyncs != resyncs_seen_) {
        // The sender's timeline jumped: the level history says nothing about its clock now.
        resyncs_seen_ = jitter_.counters().resyncs;
        drift_.reset();
    }
    if (drift_correction_ && was_playing) {
        // Through a DTX pause nothing arrives: the level drains by design, so the tuner and the
        // drift fit hold (the resampler keeps its ratio) until packets come again.
        if (jitter_.in_dtx_pause()) {
            drift_.hold();
        } else {
            tune(out.size());
            drift_.observe(static_cast<double>(jitter_.level_samples()), target_samples_);
        }
        drift_.process(out, pull);
    } else {
        pull(out);
    }
    // A fixed target's set point is where this playout settles the level, not the estimate
    // target_samples_ (adaptive: the target follows the arrivals, and its rises are owed).
    const bool playout_began = !was_playing && jitter_.playing();
    if (playout_began && drift_correction_ && !adaptive_) drift_.anchor();
    if (playout_began && !started_) {
        // read() starts playout at the beginning of a call: the first timeline sample is out[0].
        started_ = true;
        lead_samples_ = produced_;
        first_played_position_ = jitter_.playout_position() - static_cast<std::int64_t>(out.size());
    }
    produced_ += out.size();
    publish();
}

void ReceivePath::tune(std::size_t samples) noexcept {
    if (!adaptive_) return;
    target_samples_ =
        adaptive_latency_.update(static_cast<double>(jitter_.level_samples()),
                                 drift_.stretched_samples(), jitter_.queue().arrivals(), samples);
    // A restart of the timeline pre-rolls to the latency the network is known to need.
    const double delay_ms = adaptive_latency_.target_delay_ms();
    if (delay_ms != jitter_.config().target_delay_ms) (void)jitter_.set_target_delay_ms(delay_ms);
}

void ReceivePath::settle() noexcept {
    take_arrivals();
    publish();
}

void ReceivePath::set_target_delay_ms(double target_ms) {
    if (!net::JitterBuffer::target_fits(target_ms, max_target_ms_)) {
        throw std::invalid_argument("jitter target " + std::to_string(target_ms) +
                                    " ms is outside [0, " + std::to_string(max_target_ms_) +
                                    ") ms");
    }
    requested_target_ms_.store(target_ms, std::memory_order_relaxed);
}

void ReceivePath::apply_target(double target_ms) noexcept {
    applied_target_ms_ = target_ms;
    (void)jitter_.set_target_delay_ms(target_ms);  // checked by set_target_delay_ms()
    // Playout starts at the target; packets then arrive in a sawtooth whose mean sits about half
    // a packet below it. With a fixed target the drift corrector holds the mean it measures
    // once playout has started instead (read()): this is only the estimate.
    target_samples_ = std::max(0.0, target_ms * rate_hz_ / 1000.0 - half_packet_samples_);
}

void ReceivePath::publish() noexcept {
    PlayoutCounters& c = counters_.writing();
    c.jitter = jitter_.counters();
    c.lost = sequence_.lost();
    c.output_samples = produced_;
    c.jitter_ms = jitter_.jitter_ms();
    c.buffer_ms = jitter_.level_ms();
    c.drift_ppm = drift_correction_ ? drift_.drift_ppm() : 0.0;
    c.target_delay_ms =
        adaptive_ ? adaptive_latency_.target_delay_ms() : jitter_.config().target_delay_ms;
    c.playout_position = jitter_.playout_position();
    c.started = started_;
    c.lead_samples = lead_samples_;
    c.first_played_position = first_played_position_;
    counters_.publish();
}

void ReceivePath::fill_stats(ReceiveStats& stats) noexcept {
    const PlayoutCounters& playout = counters_.latest();
    static_cast<net::JitterBufferCounters&>(stats) = playout.jitter;
    stats.datagrams = datagrams_;
    stats.wire_bytes = wire_bytes_;
    stats.packets = validator_.accepted();
    stats.handoff_overflows = handoff_overflows_;
    stats.lost = playout.lost;
    stats.drops = validator_.drops().by_reason;
    stats.output_samples = playout.output_samples;
    stats.jitter_ms = playout.jitter_ms;
    stats.buffer_ms = playout.buffer_ms;
    stats.drift_ppm = playout.drift_ppm;
    stats.locked = validator_.locked_ssrc().has_value();
}

std::optional<std::uint64_t> ReceivePath::lead_samples() noexcept {
    const PlayoutCounters& playout = counters_.latest();
    if (!playout.started) return std::nullopt;
    return playout.lead_samples;
}

double ReceivePath::target_delay_ms() noexcept {
    return counters_.latest().target_delay_ms;
}

std::int64_t ReceivePath::playout_position() noexcept {
    return counters_.latest().playout_position;
}

std::int64_t ReceivePath::first_played_position() noexcept {
    return counters_.latest().first_played_position;
}

}  // namespace extrema::pipeline
