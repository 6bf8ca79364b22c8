#include "net/packet_validator.h"

#include "net/comfort_noise_payload.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace extrema::net {
namespace {

using boost::asio::ip::address;
using codec::kRecordBytes;

// IPv4 peers reach a dual-stack socket as IPv4-mapped IPv6 addresses (::ffff:a.b.c.d).
address plain(const address& a) noexcept {
    if (a.is_v6() && a.to_v6().is_v4_mapped()) {
        return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, a.to_v6());
    }
    return a;
}

DropReason reason_for(RtpParseError error) noexcept {
    switch (error) {
        case RtpParseError::kTruncatedHeader:
            return DropReason::kTruncatedHeader;
        case RtpParseError::kBadVersion:
            return DropReason::kBadVersion;
        case RtpParseError::kCsrcBeyondPacket:
            return DropReason::kBadCsrc;
        case RtpParseError::kExtensionBeyondPacket:
            return DropReason::kBadExtension;
        case RtpParseError::kBadPadding:
        case RtpParseError::kNone:
            break;
    }
    return DropReason::kBadPadding;
}

ValidatorConfig checked(const ValidatorConfig& config) {
    if (!(config.sample_rate_hz > 0.0)) throw std::invalid_argument("sample rate must be positive");
    if (config.payload_type > kMaxPayloadType)
        throw std::invalid_argument("payload type must be 0..127");
    if (config.red_payload_type && (*config.red_payload_type > kMaxPayloadType ||
                                    *config.red_payload_type == config.payload_type)) {
        throw std::invalid_argument(
            "RED payload type must be 0..127 and differ from the "
            "records' payload type");
    }
    if (config.cn_payload_type &&
        (*config.cn_payload_type > kMaxPayloadType ||
         *config.cn_payload_type == config.payload_type ||
         (config.red_payload_type && *config.cn_payload_type == *config.red_payload_type))) {
        throw std::invalid_argument(
            "CN payload type must be 0..127 and differ from the records' and RED payload types");
    }
    if (config.swing_payload_type && (*config.swing_payload_type > kMaxPayloadType ||
                                      *config.swing_payload_type == config.payload_type ||
                                      *config.swing_payload_type == config.red_payload_type ||
                                      *config.swing_payload_type == config.cn_payload_type)) {
        throw std::invalid_argument(
            "swing bank payload type must be 0..127 and differ from the standard records', RED "
            "and CN payload types");
    }
    if (config.max_payload_bytes < kRecordBytes || config.max_payload_bytes > kMaxPayloadBytes) {
        throw std::invalid_argument("max payload must be 5.." + std::to_string(kMaxPayloadBytes) +
                                    " bytes");
    }
    if (!(config.limits.max_packet_ms > 0.0 && config.limits.max_packet_ms <= 10000.0)) {
        throw std::invalid_argument("max_packet_ms must be in (0, 10000]");
    }
    if (!(config.limits.ssrc_timeout_ms >= 0.0))
        throw std::invalid_argument("ssrc_timeout_ms must be >= 0");
    if (config.peers.empty() && !config.accept_any_peer) {
        throw std::invalid_argument(
            "no peers configured: name the sender(s) or accept any peer explicitly");
    }
    return config;
}

}  // namespace

PacketValidator::PacketValidator(const ValidatorConfig& config) : config_(checked(config)) {
    max_packet_samples_ = static_cast<std::uint64_t>(
        std::ceil(config_.limits.max_packet_ms * config_.sample_rate_hz / 1000.0));
    ssrc_timeout_ = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double, std::milli>(config_.limits.ssrc_timeout_ms));
}

bool PacketValidator::peer_allowed(const boost::asio::ip::udp::endpoint& sender) const noexcept {
    if (config_.accept_any_peer) return true;
    const address from = plain(sender.address());
    for (const auto& peer : config_.peers) {
        if (plain(peer.address()) == from && (peer.port() == 0 || peer.port() == sender.port())) {
            return true;
        }
    }
    return false;
}

bool PacketValidator::validate(std::span<const std::uint8_t> datagram,
                               const boost::asio::ip::udp::endpoint& sender, Clock::time_point now,
                               ValidatedPacket& out) noexcept {
    if (!peer_allowed(sender)) return drop(DropReason::kForeignPeer);

    RtpPacketView view;
    if (const auto error = parse_rtp_packet(datagram, view); error != RtpParseError::kNone) {
        return drop(reason_for(error));
    }
    redundant_.count = 0;
    const bool red =
        config_.red_payload_type && view.header.payload_type == *config_.red_payload_type;
    const bool cn = config_.cn_payload_type && view.header.payload_type == *config_.cn_payload_type;
    const std::optional<codec::BankId> bank = bank_of(view.header.payload_type);
    if (!bank && !red && !cn) return drop(DropReason::kPayloadType);
    if (view.payload.size() > config_.max_payload_bytes) return drop(DropReason::kPayloadTooLong);
    if (cn) return accept_comfort_noise(view, now, out);
    out.comfort_noise = false;

    std::span<const std::uint8_t> primary = view.payload;
    codec::BankId primary_bank = bank.value_or(codec::BankId::kStandard);
    if (red) {
        if (parse_red_payload(view.payload, red_) != RedParseError::kNone ||
            !bank_of(red_.primary.payload_type)) {
            return drop(DropReason::kBadRedundancy);
        }
        primary_bank = *bank_of(red_.primary.payload_type);
        for (const RedBlock& block : red_.redundant()) {
            std::optional<DropReason> why;
            ValidatedPacket& packet = redundant_.storage[redundant_.count];
            const std::optional<codec::BankId> block_bank = bank_of(block.payload_type);
            if (!block_bank) {
                why = DropReason::kBadRedundancy;
            } else {
                why = check_records(block.data, packet);
                packet.bank = *block_bank;
            }
            if (why) {
                redundant_.count = 0;
                return drop(*why);
            }
            packet.header = view.header;
            packet.header.marker = false;
            packet.header.payload_type = block.payload_type;
            packet.header.timestamp = view.header.timestamp - block.timestamp_offset;
            packet.ssrc_changed = false;
            packet.comfort_noise = false;
            ++redundant_.count;
        }
        primary = red_.primary.data;
    }
    if (const auto why = check_records(primary, out)) {
        redundant_.count = 0;
        return drop(*why);
    }

    if (!check_ssrc(view.header.ssrc, now, out)) {
        redundant_.count = 0;
        return drop(DropReason::kForeignSsrc);
    }
    out.header = view.header;
    out.bank = primary_bank;
    if (red) out.header.payload_type = red_.primary.payload_type;
    for (ValidatedPacket& packet : std::span(redundant_.storage).first(redundant_.count)) {
        packet.header.ssrc = out.header.ssrc;
    }
    ++accepted_;
    return true;
}

std::optional<codec::BankId> PacketValidator::bank_of(std::uint8_t payload_type) const noexcept {
    if (payload_type == config_.payload_type) return codec::BankId::kStandard;
    if (payload_type == config_.swing_payload_type) return codec::BankId::kSwing;
    return std::nullopt;
}

bool PacketValidator::accept_comfort_noise(const RtpPacketView& view, Clock::time_point now,
                                           ValidatedPacket& out) noexcept {
    if (parse_comfort_noise(view.payload, out.noise) != ComfortNoiseParseError::kNone) {
        return drop(DropReason::kBadComfortNoise);
    }
    if (!check_ssrc(view.header.ssrc, now, out)) return drop(DropReason::kForeignSsrc);
    out.header = view.header;
    out.comfort_noise = true;
    out.record_count = 0;
    out.samples = 0;
    out.has_anchor = false;
    ++accepted_;
    return true;
}

std::optional<DropReason> PacketValidator::check_records(std::span<const std::uint8_t> payload,
                                                         ValidatedPacket& out) const noexcept {
    if (payload.empty()) return DropReason::kEmptyPayload;
    if (payload.size() % kRecordBytes != 0) return DropReason::kPartialRecord;
    const std::size_t count = payload.size() / kRecordBytes;
    std::uint64_t samples = 0;  // at most 288 records * 2^32: no overflow in 64 bits
    for (std::size_t i = 0; i < count; ++i) {
        const auto record =
            codec::unpack_record(payload.subspan(i * kRecordBytes).first<kRecordBytes>());
        // An anchor resets the decoder's value: only first, where it makes the packet standalone;
        // anywhere else it would be a jump in the waveform a sender has no reason to make.
        if (record.is_anchor() && i > 0) return DropReason::kMisplacedAnchor;
        samples += record.samples;
        out.storage[i] = record;
    }
    if (samples == 0) return DropReason::kNoSamples;
    if (samples > max_packet_samples_) return DropReason::kSampleCap;
    out.record_count = count;
    out.samples = samples;
    out.has_anchor = out.storage[0].is_anchor();
    return std::nullopt;
}

bool PacketValidator::check_ssrc(std::uint32_t ssrc, Clock::time_point now,
                                 ValidatedPacket& out) noexcept {
    out.ssrc_changed = false;
    if (!ssrc_may_enter(ssrc, now)) return false;
    if (!locked_ssrc_ || *locked_ssrc_ != ssrc) {
        locked_ssrc_ = ssrc;
        out.ssrc_changed = true;
    }
    last_from_locked_ = now;
    return true;
}

}  // namespace extrema::net
