#include "pipeline/receive_path.h"

#include <algorithm>
#include <utility>

namespace extrema::pipeline {
namespace {

net::ValidatorConfig validator_config(const LinkConfig& config,
                                      std::vector<boost::asio::ip::udp::endpoint> peers,
                                      bool accept_any_peer) {
    net::ValidatorConfig validator;
    validator.sample_rate_hz = config.audio.rate_hz;
    validator.payload_type = static_cast<std::uint8_t>(config.network.payload_type);
    validator.max_packet_ms = config.receiver.max_packet_ms;
    validator.ssrc_timeout_ms = config.receiver.ssrc_timeout_ms;
    validator.peers = std::move(peers);
    validator.accept_any_peer = accept_any_peer;
    return validator;
}

net::JitterBufferConfig jitter_buffer_config(const LinkConfig& config) {
    net::JitterBufferConfig jitter;
    jitter.sample_rate_hz = config.audio.rate_hz;
    jitter.target_delay_ms = config.receiver.jitter_target_ms;
    return jitter;
}

DriftCorrectorConfig drift_config(const LinkConfig& config) {
    DriftCorrectorConfig drift;
    drift.sample_rate_hz = config.audio.rate_hz;
    return drift;
}

}  // namespace

ReceivePath::ReceivePath(const LinkConfig& config,
                         std::vector<boost::asio::ip::udp::endpoint> peers, bool accept_any_peer)
    : rate_hz_(config.audio.rate_hz),
      validator_(validator_config(config, std::move(peers), accept_any_peer)),
      jitter_(jitter_buffer_config(config)),
      drift_(drift_config(config)),
      drift_correction_(config.receiver.drift_correction),
      half_packet_samples_(config.network.packet_ms * config.audio.rate_hz / 2000.0) {
    set_target_delay_ms(config.receiver.jitter_target_ms);
    if (!config.network.srtp_key_file.empty()) {
        srtp_ = std::make_unique<net::SrtpSession>(
            net::read_srtp_key_file(config.network.srtp_key_file), net::SrtpDirection::kReceive);
    }
}

void ReceivePath::on_datagram(std::span<std::uint8_t> datagram,
                              const boost::asio::ip::udp::endpoint& sender,
                              net::Clock::time_point now) {
    ++datagrams_;
    wire_bytes_ += datagram.size();
    // The peer check comes before SRTP so strangers cannot make us spend HMACs.
    if (!validator_.peer_allowed(sender)) {
        validator_.count_drop(net::DropReason::kForeignPeer);
        return;
    }
    std::size_t length = datagram.size();
    if (srtp_) {
        net::DropReason why{};
        if (!srtp_->unprotect(datagram, length, why)) {
            validator_.count_drop(why);
            return;
        }
    }
    if (!validator_.validate(datagram.first(length), sender, now, packet_)) return;
    if (packet_.ssrc_changed) {
        sequence_.restart();
        drift_.reset();
    }
    const net::InsertResult result = jitter_.insert(packet_, now);
    if (result != net::InsertResult::kDuplicate) sequence_.observe(packet_.header.sequence);
}

void ReceivePath::fill(std::span<float> out) noexcept {
    const bool was_playing = jitter_.playing();
    const auto pull = [this](std::span<float> block) { jitter_.read(block); };
    if (jitter_.counters().resyncs != resyncs_seen_) {
        // The sender's timeline jumped: the level history says nothing about its clock now.
        resyncs_seen_ = jitter_.counters().resyncs;
        drift_.reset();
    }
    if (drift_correction_ && was_playing) {
        drift_.observe(static_cast<double>(jitter_.level_samples()), target_samples_);
        drift_.process(out, pull);
    } else {
        pull(out);
    }
    if (!was_playing && jitter_.playing() && !lead_samples_) {
        // read() starts playout at the beginning of a call: the first timeline sample is out[0].
        lead_samples_ = produced_;
        first_played_position_ = jitter_.playout_position() - static_cast<std::int64_t>(out.size());
    }
    produced_ += out.size();
}

void ReceivePath::set_target_delay_ms(double target_ms) {
    jitter_.set_target_delay_ms(target_ms);
    // Playout starts at the target; packets then arrive in a sawtooth whose mean sits about half
    // a packet below it. Holding that mean keeps the latency where playout put it.
    target_samples_ = std::max(0.0, target_ms * rate_hz_ / 1000.0 - half_packet_samples_);
}

void ReceivePath::fill_stats(ReceiveStats& stats) const noexcept {
    const net::JitterBufferCounters& jb = jitter_.counters();
    stats.datagrams = datagrams_;
    stats.wire_bytes = wire_bytes_;
    stats.packets = validator_.accepted();
    stats.lost = sequence_.lost();
    stats.late = jb.late;
    stats.duplicate = jb.duplicate;
    stats.early = jb.early;
    stats.drops = validator_.drops().by_reason;
    stats.concealed_samples = jb.concealed_samples;
    stats.played_samples = jb.played_samples;
    stats.output_samples = produced_;
    stats.resyncs = jb.resyncs;
    stats.jitter_ms = jitter_.jitter_ms();
    stats.buffer_ms = jitter_.level_ms();
    stats.drift_ppm = drift_correction_ ? drift_.drift_ppm() : 0.0;
    stats.locked = validator_.locked_ssrc().has_value();
}

}  // namespace extrema::pipeline
