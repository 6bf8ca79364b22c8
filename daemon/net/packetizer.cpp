#include "net/packetizer.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>
#include <string>

namespace extrema::net {
namespace {

using codec::kRecordBytes;
using codec::Record;

PacketizerConfig checked(const PacketizerConfig& config) {
    if (!(config.sample_rate_hz > 0.0)) throw std::invalid_argument("sample rate must be positive");
    // 1 s per packet is far beyond any live use; above it the latency makes no sense.
    if (!(config.packet_ms > 0.0 && config.packet_ms <= 1000.0)) {
        throw std::invalid_argument("packet_ms must be in (0, 1000]");
    }
    if (config.max_payload_bytes < 2 * kRecordBytes ||
        config.max_payload_bytes > kMaxPayloadBytes) {
        throw std::invalid_argument("max payload must be " + std::to_string(2 * kRecordBytes) +
                                    ".." + std::to_string(kMaxPayloadBytes) + " bytes");
    }
    if (config.payload_type > kMaxPayloadType || config.cn_payload_type > kMaxPayloadType)
        throw std::invalid_argument("payload type must be 0..127");
    if (config.cn_payload_type == config.payload_type)
        throw std::invalid_argument("comfort noise needs a payload type of its own");
    return config;
}

}  // namespace

Packetizer::Packetizer(const PacketizerConfig& config, Sink sink)
    : config_(checked(config)), sink_(std::move(sink)) {
    const double samples = std::round(config_.packet_ms * config_.sample_rate_hz / 1000.0);
    packet_samples_ = static_cast<std::uint32_t>(std::clamp(samples, 1.0, 4294967295.0));
    max_records_ = config_.max_payload_bytes / kRecordBytes;
    buffer_.resize(kRtpHeaderBytes + std::max(max_records_ * kRecordBytes, kMaxCnPayloadBytes) +
                   kSrtpTrailerRoomBytes);
    std::random_device random;
    ssrc_ = config_.ssrc ? *config_.ssrc : static_cast<std::uint32_t>(random());
    sequence_ =
        config_.first_sequence ? *config_.first_sequence : static_cast<std::uint16_t>(random());
}

void Packetizer::push(std::span<const Record> records) {
    for (const auto& record : records) push(record);
}

void Packetizer::push(const Record& record) {
    if (record.is_anchor()) {
        // Anchors are legal only first in a packet: end the packet in hand.
        if (records_ > 0) send();
        position_ = record.end;
        if (!config_.lead_with_anchor) {
            begin_packet();
            write_record(record);
        }
        return;
    }
    if (record.is_silence()) {
        std::uint64_t left = record.samples;
        while (left > 0) {
            const std::uint64_t room = packet_end_sample() - next_sample_;  // > 0: up to the line
            const auto piece = static_cast<std::uint32_t>(std::min(left, room));
            append(Record::silence(piece));
            left -= piece;
        }
        return;
    }
    if (record.samples >= packet_samples_ && samples_ > 0) send();  // a long curve goes alone
    append(record);
}

void Packetizer::append(const Record& record) {
    if (records_ == max_records_) send();
    if (records_ == 0) begin_packet();
    write_record(record);
    samples_ += record.samples;
    next_sample_ += record.samples;
    silence_only_ = silence_only_ && record.is_silence();
    if (!record.is_silence()) position_ = record.end;
    if (next_sample_ >= grid_line_after(first_sample_)) send();
}

void Packetizer::begin_packet() {
    records_ = 0;
    samples_ = 0;
    first_sample_ = next_sample_;
    silence_only_ = true;
    if (config_.lead_with_anchor) write_record(Record::anchor(position_));
}

void Packetizer::write_record(const Record& record) {
    const std::size_t at = kRtpHeaderBytes + records_ * kRecordBytes;
    codec::pack_record(record, std::span<std::uint8_t>(buffer_).subspan(at).first<kRecordBytes>());
    ++records_;
}

void Packetizer::flush() {
    if (samples_ > 0) send();
}

void Packetizer::send() {
    if (records_ == 0) return;
    if (samples_ == 0) {  // only an anchor: nothing a receiver could place on its timeline
        records_ = 0;
        return;
    }
    OutgoingPacket packet;
    packet.header.payload_type = config_.payload_type;
    packet.header.sequence = sequence_;
    // RTP timestamps are the low 32 bits of the sample index; receivers extend them back.
    packet.header.timestamp = static_cast<std::uint32_t>(first_sample_);
    packet.header.ssrc = ssrc_;
    // A talk spurt starts at the first packet and after each all-silence packet (RFC 3551 §4.1).
    packet.header.marker =
        !sent_any_ || spurt_pending_ || (previous_silence_only_ && !silence_only_);
    packet.buffer = buffer_;
    packet.size_bytes = kRtpHeaderBytes + records_ * kRecordBytes;
    packet.samples = samples_;
    packet.records = records_;
    packet.silence_only = silence_only_;
    pack_rtp_header(packet.header, std::span<std::uint8_t>(buffer_).first<kRtpHeaderBytes>());

    ++sequence_;
    ++packets_sent_;
    payload_bytes_sent_ += records_ * kRecordBytes;
    sent_any_ = true;
    spurt_pending_ = false;
    previous_silence_only_ = silence_only_;
    records_ = 0;
    samples_ = 0;
    sink_(packet);
}

void Packetizer::skip(std::span<const Record> records) {
    flush();
    records_ = 0;  // a lone anchor in hand is dropped: the skipped records set the value
    std::uint64_t samples = 0;
    for (const Record& record : records) {
        if (!record.is_silence()) position_ = record.end;
        samples += record.samples;
    }
    skip(samples);
}

void Packetizer::skip(std::uint64_t samples) {
    flush();
    records_ = 0;
    if (samples == 0) return;
    next_sample_ += samples;
    skipped_samples_ += samples;
    spurt_pending_ = true;  // the spurt's packets end on the packet_ms grid like all others
}

void Packetizer::send_comfort_noise(std::span<const std::uint8_t> payload) {
    flush();
    records_ = 0;
    if (payload.empty() || payload.size() > kMaxCnPayloadBytes) return;
    OutgoingPacket packet;
    packet.header.payload_type = config_.cn_payload_type;
    packet.header.sequence = sequence_;
    packet.header.timestamp = static_cast<std::uint32_t>(next_sample_);
    packet.header.ssrc = ssrc_;
    packet.header.marker = false;
    packet.buffer = buffer_;
    packet.size_bytes = kRtpHeaderBytes + payload.size();
    packet.comfort_noise = true;
    pack_rtp_header(packet.header, std::span<std::uint8_t>(buffer_).first<kRtpHeaderBytes>());
    std::copy(payload.begin(), payload.end(), buffer_.begin() + kRtpHeaderBytes);

    ++sequence_;
    ++packets_sent_;
    ++comfort_noise_sent_;
    payload_bytes_sent_ += payload.size();
    sink_(packet);
}

}  // namespace extrema::net
