#include "net/rtcp_reception.h"

#include <algorithm>
#include <cmath>

namespace extrema::net {
namespace {

// RFC 3550 A.1: a jump of more than this is a restarted sender, not loss.
constexpr std::uint16_t kMaxDropout = 3000;
// ... and a step back of at most this many is a reordered or duplicated packet.
constexpr std::uint16_t kMaxMisorder = 100;
constexpr std::uint32_t kSequenceModulo = 1U << 16;

}  // namespace

void ReceptionStatistics::restart(std::uint32_t ssrc, std::uint16_t sequence) noexcept {
    ssrc_ = ssrc;
    base_sequence_ = sequence;
    max_sequence_ = sequence;
    cycles_ = 0;
    received_ = 0;
    expected_prior_ = 0;
    received_prior_ = 0;
    have_transit_ = false;
    jitter_ = 0.0;
    lsr_ = 0;
}

void ReceptionStatistics::on_packet(std::uint32_t ssrc, std::uint16_t sequence,
                                    std::uint32_t timestamp, Clock::time_point arrival) noexcept {
    if (ssrc_ != ssrc) {
        restart(ssrc, sequence);
        origin_ = arrival;
    } else {
        const auto delta = static_cast<std::uint16_t>(sequence - max_sequence_);
        if (delta < kMaxDropout) {
            if (sequence < max_sequence_) cycles_ += kSequenceModulo;  // wrapped
            max_sequence_ = sequence;
        } else if (delta <= kSequenceModulo - kMaxMisorder) {
            // A jump far ahead or far back: the sender restarted its numbering.
            restart(ssrc, sequence);
        }
        // Otherwise a duplicate or a reordered packet: counted as received below.
    }
    ++received_;
    // A.8: transit = arrival - timestamp in timestamp units; J += (|D| - J) / 16.
    const double arrival_units =
        std::chrono::duration<double>(arrival - origin_).count() * rate_hz_;
    const double transit = arrival_units - static_cast<double>(timestamp);
    if (have_transit_) {
        // Timestamps wrap at 2^32: the difference of two transits is taken modulo 2^32, as a
        // signed distance.
        double d = transit - transit_;
        const double wrap = 4294967296.0;
        d = std::remainder(d, wrap);
        jitter_ += (std::fabs(d) - jitter_) / 16.0;
    }
    transit_ = transit;
    have_transit_ = true;
}

void ReceptionStatistics::on_sender_report(std::uint32_t ssrc, std::uint64_t ntp_timestamp,
                                           Clock::time_point arrival) noexcept {
    if (ssrc_ != ssrc) return;
    lsr_ = ntp_middle(ntp_timestamp);
    lsr_arrival_ = arrival;
}

std::int64_t ReceptionStatistics::expected() const noexcept {
    return std::int64_t{extended_highest()} - base_sequence_ + 1;
}

std::int64_t ReceptionStatistics::cumulative_lost() const noexcept {
    return ssrc_ ? expected() - received_ : 0;
}

std::optional<ReportBlock> ReceptionStatistics::take_report(Clock::time_point now) noexcept {
    if (!ssrc_) return std::nullopt;
    ReportBlock block;
    block.ssrc = *ssrc_;
    const std::int64_t expected_now = expected();
    const std::int64_t expected_interval = expected_now - expected_prior_;
    const std::int64_t received_interval = received_ - received_prior_;
    const std::int64_t lost_interval = expected_interval - received_interval;
    expected_prior_ = expected_now;
    received_prior_ = received_;
    block.fraction_lost = expected_interval <= 0 || lost_interval <= 0
                              ? 0
                              : static_cast<std::uint8_t>(std::min<std::int64_t>(
                                    (lost_interval << 8) / expected_interval, 255));
    block.cumulative_lost =
        static_cast<std::int32_t>(std::clamp<std::int64_t>(cumulative_lost(), -0x800000, 0x7fffff));
    block.extended_highest_sequence = extended_highest();
    block.jitter = static_cast<std::uint32_t>(std::lround(jitter_));
    if (lsr_ != 0) {
        block.lsr = lsr_;
        const double since_s = std::chrono::duration<double>(now - lsr_arrival_).count();
        block.dlsr = static_cast<std::uint32_t>(std::max(since_s, 0.0) * 65536.0);
    }
    return block;
}

}  // namespace extrema::net
