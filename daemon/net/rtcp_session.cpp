#include "net/rtcp_session.h"

#include <numeric>
#include <stdexcept>

#include "net/rtcp_interval.h"

namespace extrema::net {
namespace {

// IPv4 + UDP headers, which RFC 3550 §6.3.3 counts in the average compound size.
constexpr double kLowerHeaderBytes = 28.0;
// Seconds from 1900 (NTP's era 0) to 1970 (the system clock's epoch).
constexpr std::uint64_t kNtpUnixOffsetS = 2208988800ULL;

void count(RtcpDrops& drops, DropReason why) noexcept {
    switch (why) {
        case DropReason::kAuth:
            ++drops.auth;
            break;
        case DropReason::kReplay:
            ++drops.replay;
            break;
        default:
            ++drops.srtp_error;
            break;
    }
}

}  // namespace

std::uint64_t RtcpDrops::total() const noexcept {
    return std::accumulate(malformed.begin(), malformed.end(),
                           foreign_peer + too_long + unkeyed + auth + replay + srtp_error);
}

std::uint64_t ntp_now() noexcept {
    const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
    const auto fraction_ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(since_epoch - seconds).count();
    // fraction_ns < 10^9 < 2^30, so the shift stays within 64 bits.
    const std::uint64_t fraction = (static_cast<std::uint64_t>(fraction_ns) << 32) / 1000000000U;
    return (static_cast<std::uint64_t>(seconds.count()) + kNtpUnixOffsetS) << 32 | fraction;
}

RtcpSession::RtcpSession(const Config& config, Transmit transmit)
    : config_(config),
      transmit_(std::move(transmit)),
      reception_(config.rate_hz),
      random_(std::random_device{}()) {
    if (config_.cname.empty() || config_.cname.size() > kMaxCnameBytes) {
        throw std::invalid_argument("RTCP CNAME must be 1.." + std::to_string(kMaxCnameBytes) +
                                    " bytes");
    }
    if (!(config_.interval_scale > 0.0)) {
        throw std::invalid_argument("RTCP interval scale must be positive");
    }
    if (config_.srtp_key) set_srtp_keys(*config_.srtp_key, *config_.srtp_key);
}

void RtcpSession::set_srtp_keys(const SrtpKey& send, const SrtpKey& receive) {
    protect_ = std::make_unique<SrtpSession>(send, SrtpDirection::kSend);
    unprotect_ = std::make_unique<SrtpSession>(receive, SrtpDirection::kReceive);
}

void RtcpSession::on_rtp(const RtpHeader& header, Clock::time_point media_arrival) noexcept {
    ++rtp_received_;
    reception_.on_packet(header.ssrc, header.sequence, header.timestamp, media_arrival);
}

void RtcpSession::on_datagram(std::span<std::uint8_t> datagram, std::size_t wire_bytes,
                              Clock::time_point now) noexcept {
    if (wire_bytes > datagram.size()) {
        ++stats_.drops.too_long;
        return;
    }
    const bool keyed = unprotect_ != nullptr;
    if (config_.awaits_keys && !keyed) {
        ++stats_.drops.unkeyed;
        return;
    }
    std::size_t length = datagram.size();
    if (keyed) {
        DropReason why{};
        if (!unprotect_->unprotect_rtcp(datagram, length, why)) {
            count(stats_.drops, why);
            return;
        }
    }
    const RtcpParseError error = parse_rtcp(datagram.first(length), report_);
    if (error != RtcpParseError::kNone) {
        ++stats_.drops.malformed[static_cast<std::size_t>(error)];
        return;
    }
    average_rtcp_bytes_ +=
        (static_cast<double>(wire_bytes) + kLowerHeaderBytes - average_rtcp_bytes_) / 16.0;
    if (report_.has_sender_info) {
        ++stats_.sr_received;
        reception_.on_sender_report(report_.ssrc, report_.sender_info.ntp_timestamp, now);
    } else {
        ++stats_.rr_received;
    }
    if (report_.bye) ++stats_.bye_received;
    learn(report_);
}

void RtcpSession::learn(const RtcpReport& report) noexcept {
    for (const ReportBlock& block : report.blocks()) {
        if (block.ssrc != config_.ssrc) continue;
        stats_.has_remote_report = true;
        ++stats_.remote_reports;
        stats_.remote_fraction_lost = block.fraction_lost / 256.0;
        stats_.remote_cumulative_lost = block.cumulative_lost;
        stats_.remote_jitter_ms = block.jitter * 1000.0 / config_.rate_hz;
        if (block.lsr != 0) {
            // RFC 3550 §6.4.1: round trip = arrival - LSR - DLSR, in 1/65536 s, modulo 2^32.
            const std::uint32_t units = ntp_middle(ntp_now()) - block.lsr - block.dlsr;
            const auto signed_units = static_cast<std::int32_t>(units);
            stats_.rtt_ms = signed_units < 0 ? 0.0 : signed_units * 1000.0 / 65536.0;
        }
    }
}

void RtcpSession::schedule(Clock::time_point now, bool we_sent) noexcept {
    const double elapsed_s = std::chrono::duration<double>(now - started_at_).count();
    RtcpIntervalInputs in;
    in.we_sent = we_sent;
    const bool peer_sent = rtp_received_ != rtp_received_at_last_report_;
    in.senders = (we_sent ? 1 : 0) + (peer_sent ? 1 : 0);
    // Elapsed wall time stands for elapsed_s / interval_scale of media time.
    const double media_elapsed_s = elapsed_s / config_.interval_scale;
    in.session_bandwidth_bps =
        media_elapsed_s > 0.0 ? static_cast<double>(rtp_wire_bytes_) * 8.0 / media_elapsed_s : 0.0;
    in.average_rtcp_bytes = average_rtcp_bytes_;
    in.initial = !sent_any_;
    const double uniform = std::uniform_real_distribution<double>(0.0, 1.0)(random_);
    const double interval_s = rtcp_interval_s(in, uniform) * config_.interval_scale;
    next_due_ = now + std::chrono::duration_cast<Clock::duration>(
                          std::chrono::duration<double>(interval_s));
}

void RtcpSession::on_tick(Clock::time_point now, const std::optional<Sent>& sent,
                          std::uint64_t rtp_wire_bytes) noexcept {
    rtp_wire_bytes_ = rtp_wire_bytes;
    if (!started_) {
        started_ = true;
        started_at_ = now;
        schedule(now, sent.has_value());
        return;
    }
    if (now < next_due_) return;
    send_compound(now, sent, false);
    schedule(now, sent && sent->packets != packets_at_last_report_);
    if (sent) packets_at_last_report_ = sent->packets;
    rtp_received_at_last_report_ = rtp_received_;
}

void RtcpSession::send_bye(Clock::time_point now, const std::optional<Sent>& sent) noexcept {
    // RFC 3550 §6.6: a participant that never sent RTP or RTCP need not say goodbye.
    if (!sent_any_ && !(sent && sent->packets > 0)) return;
    send_compound(now, sent, true);
}

void RtcpSession::send_compound(Clock::time_point now, const std::optional<Sent>& sent,
                                bool bye) noexcept {
    if (!remote_) return;  // nobody to report to yet
    if (config_.awaits_keys && !protect_) return;
    // An SR while we send, and only once there is something to tell about it.
    const bool sender = sent && sent->packets > 0;
    SenderInfo info;
    if (sender) {
        info.ntp_timestamp = ntp_now();
        info.rtp_timestamp = sent->rtp_timestamp;
        info.packet_count = sent->packets;
        info.octet_count = sent->payload_bytes;
    }
    const std::optional<ReportBlock> block = reception_.take_report(now);
    RtcpCompound compound;
    compound.ssrc = config_.ssrc;
    compound.sender = sender ? &info : nullptr;
    if (block) compound.blocks = std::span<const ReportBlock>(&*block, 1);
    compound.cname = config_.cname;
    compound.bye = bye;
    std::size_t length =
        build_rtcp(compound, std::span(buffer_).first(buffer_.size() - kSrtcpTrailerRoomBytes));
    if (length == 0 || (protect_ && !protect_->protect_rtcp(buffer_, length)) ||
        !transmit_(std::span<const std::uint8_t>(buffer_.data(), length), *remote_)) {
        ++stats_.send_errors;
        return;
    }
    sent_any_ = true;
    average_rtcp_bytes_ +=
        (static_cast<double>(length) + kLowerHeaderBytes - average_rtcp_bytes_) / 16.0;
    ++(sender ? stats_.sr_sent : stats_.rr_sent);
    if (bye) ++stats_.bye_sent;
}

}  // namespace extrema::net
