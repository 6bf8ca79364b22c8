#include "pipeline/send_path.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>

namespace extrema::pipeline {
namespace {

bool redundancy_possible(const LinkConfig& config) {
    return config.network.redundancy_auto || config.network.redundancy > 0;
}

net::PacketizerConfig packetizer_config(const LinkConfig& config) {
    net::PacketizerConfig packetizer;
    packetizer.sample_rate_hz = config.audio.rate_hz;
    packetizer.packet_ms = config.network.packet_ms;
    packetizer.max_payload_bytes = static_cast<std::size_t>(config.network.max_payload_bytes);
    // With redundancy the records share the cap with the RED primary header.
    if (redundancy_possible(config)) packetizer.max_payload_bytes -= net::kRedPrimaryHeaderBytes;
    packetizer.payload_type = records_payload_type(config);
    packetizer.cn_payload_type = static_cast<std::uint8_t>(config.network.cn_payload_type);
    return packetizer;
}

net::RedEncoderConfig red_config(const LinkConfig& config) {
    net::RedEncoderConfig red;
    red.payload_type = records_payload_type(config);
    red.red_payload_type = static_cast<std::uint8_t>(config.network.red_payload_type);
    red.max_payload_bytes = static_cast<std::size_t>(config.network.max_payload_bytes);
    return red;
}

// The blocks' encoder: the link's, steered to the lower rate.
codec::EncoderConfig low_rate_config(const LinkConfig& config) {
    codec::EncoderConfig encoder = encoder_config(config);
    encoder.target_kbps = config.network.redundancy_kbps;
    return encoder;
}

DtxConfig dtx_config(const LinkConfig& config) {
    DtxConfig dtx = config.encoder.dtx_gate;
    dtx.sample_rate_hz = config.audio.rate_hz;
    dtx.frame_ms = config.network.packet_ms;
    return dtx;
}

}  // namespace

codec::EncoderConfig encoder_config(const LinkConfig& config) {
    codec::EncoderConfig encoder = config.encoder.codec;
    encoder.sample_rate_hz = config.audio.rate_hz;
    // Segments close at packet ends, so every packet leaves as soon as its audio is captured.
    encoder.frame_ms = config.network.packet_ms;
    return encoder;
}

std::uint8_t records_payload_type(const LinkConfig& config) {
    return static_cast<std::uint8_t>(config.encoder.bank == "swing"
                                         ? config.network.swing_payload_type
                                         : config.network.payload_type);
}

const codec::CurveBank& curve_bank(const LinkConfig& config) {
    return config.encoder.bank == "swing" ? codec::CurveBank::swing()
                                          : codec::CurveBank::standard();
}

SendPath::SendPath(const LinkConfig& config, Transmit transmit)
    : rate_hz_(config.audio.rate_hz),
      encoder_(encoder_config(config), curve_bank(config)),
      packetizer_(packetizer_config(config),
                  [this](net::OutgoingPacket& packet) { on_packet(packet); }),
      red_config_(red_config(config)),
      transmit_(std::move(transmit)) {
    if (redundancy_possible(config)) {
        set_redundancy(config.network.redundancy, config.network.redundancy_auto);
        if (config.network.redundancy_kbps > 0.0) {
            low_rate_.emplace(low_rate_config(config), curve_bank(config),
                              packetizer_.packet_samples());
        }
    }
    if (config.encoder.dtx) dtx_.emplace(dtx_config(config));
    set_compressor(config.compressor);
    awaits_keys_ = config.network.dtls != "off";
    if (!config.network.srtp_key_file.empty() && !awaits_keys_) {
        srtp_ = std::make_unique<net::SrtpSession>(
            net::read_srtp_key_file(config.network.srtp_key_file), net::SrtpDirection::kSend);
    }
    // A push closes at most one record per two samples, and the link pushes at most 4096
    // samples at a time (its scratch block): reserve twice that once, so push() never grows it.
    records_.reserve(8192);
}

void SendPath::set_compressor(const CompressorSettings& settings) {
    if (settings.enabled) {
        compressor_.emplace(settings.config, rate_hz_, 1);
    } else {
        compressor_.reset();
    }
}

void SendPath::push(std::span<float> samples) {
    if (samples.empty()) return;
    if (compressor_) compressor_->process(samples);
    if (!low_rate_) {
        encode(samples);
        return;
    }
    // Pieces that end at grid lines: the frame a packet needs from the low-rate encoder is done
    // before the packet leaves, and the ring holds the few frames pushed ahead of it.
    const std::uint64_t packet = packetizer_.packet_samples();
    while (!samples.empty()) {
        const std::uint64_t to_line = packet - samples_pushed_ % packet;
        const std::size_t n = static_cast<std::size_t>(
            std::min<std::uint64_t>({samples.size(), to_line, LowRateBlocks::kMaxPushSamples}));
        const auto piece = samples.first(n);
        low_rate_->push(piece);
        encode(piece);
        samples = samples.subspan(n);
    }
}

void SendPath::encode(std::span<float> samples) {
    samples_pushed_ += samples.size();
    records_.clear();
    if (dtx_) dtx_->analyse(samples);
    encoder_.push(std::span<const float>(samples), records_);
    records_encoded_ += records_.size();
    route(records_);
}

void SendPath::route(std::span<const codec::Record> records) {
    if (dtx_) {
        dtx_->route(records, packetizer_);
    } else {
        packetizer_.push(records);
    }
}

std::uint64_t SendPath::samples_until_packet() const noexcept {
    const std::uint64_t end = packetizer_.packet_end_sample();
    return end > samples_pushed_ ? end - samples_pushed_ : 1;
}

void SendPath::flush() {
    if (low_rate_) low_rate_->flush();
    records_.clear();
    encoder_.flush(records_);
    records_encoded_ += records_.size();
    route(records_);
    if (dtx_) dtx_->flush(packetizer_);
    packetizer_.flush();
}

void SendPath::set_srtp_key(const net::SrtpKey& key) {
    srtp_ = std::make_unique<net::SrtpSession>(key, net::SrtpDirection::kSend);
}

void SendPath::on_packet(net::OutgoingPacket& packet) {
    if (awaits_keys_ && !srtp_) {
        ++unkeyed_;
        return;
    }
    // CN packets carry no records for RED to repeat (RFC 2198 blocks are of our payload type).
    if (red_ && !packet.comfort_noise) {
        std::span<const std::uint8_t> block;
        if (low_rate_) {
            block = low_rate_->block(packet.header.timestamp, packet.samples);
            if (block.empty()) ++red_copies_;
        }
        red_->process(packet, redundancy_, block);
    }
    const std::size_t payload_bytes = packet.size_bytes - net::kRtpHeaderBytes;
    if (srtp_ && !srtp_->protect(packet.buffer, packet.size_bytes)) {
        ++send_errors_;
        return;
    }
    ++packets_;
    payload_bytes_ += payload_bytes;
    wire_bytes_ += packet.size_bytes;
    if (!transmit_(packet.bytes())) ++send_errors_;
}

void SendPath::check_redundancy(int count, bool automatic) const {
    if (!automatic && (count < 0 || static_cast<std::size_t>(count) > net::kMaxRedundantBlocks)) {
        throw std::invalid_argument("redundancy " + std::to_string(count) + " is outside 0.." +
                                    std::to_string(net::kMaxRedundantBlocks));
    }
    if ((automatic || count > 0) && red_config_.payload_type == red_config_.red_payload_type) {
        throw std::invalid_argument("redundancy needs a RED payload type other than " +
                                    std::to_string(red_config_.payload_type));
    }
}

void SendPath::set_redundancy(int count, bool automatic) {
    check_redundancy(count, automatic);
    // The encoder stays once made: turned off, it keeps remembering for the next time.
    if (!red_ && (automatic || count > 0)) red_.emplace(red_config_);
    redundancy_auto_ = automatic;
    redundancy_ = automatic ? policy_.level() : static_cast<std::size_t>(count);
}

void SendPath::on_loss_report(double fraction_lost) noexcept {
    const std::size_t level = policy_.observe(fraction_lost);
    if (redundancy_auto_) redundancy_ = level;
}

net::RtcpSession::Sent SendPath::rtcp_sent() const noexcept {
    // RFC 3550 §6.4.1: the counts wrap at 2^32.
    net::RtcpSession::Sent sent;
    sent.packets = static_cast<std::uint32_t>(packets_);
    sent.payload_bytes = static_cast<std::uint32_t>(payload_bytes_);
    sent.rtp_timestamp = static_cast<std::uint32_t>(packetizer_.next_sample());
    return sent;
}

void SendPath::fill_stats(SendStats& stats) const noexcept {
    stats.records = records_encoded_;
    stats.packets = packets_;
    stats.wire_bytes = wire_bytes_;
    stats.send_errors = send_errors_;
    stats.unkeyed = unkeyed_;
    stats.redundancy = redundancy_;
    stats.cn_packets = packetizer_.comfort_noise_sent();
    stats.dtx_samples = packetizer_.skipped_samples();
    if (red_) {
        stats.redundant_blocks = red_->blocks_sent();
        stats.redundant_dropped = red_->blocks_dropped();
        stats.redundant_plain = red_->plain_for_cap();
        stats.redundant_copied = red_copies_;
    }
    stats.encoder_latency_ms = static_cast<double>(encoder_.pending_samples()) * 1000.0 / rate_hz_;
}

}  // namespace extrema::pipeline
