#pragma once
// What a receiver knows of one RTP sender, and the reception report block it sends back
// (RFC 3550 §6.4.1, appendix A.1, A.3, A.8): extended highest sequence number, cumulative and
// interval loss, interarrival jitter, and when the sender's last SR came. Fed on the network
// thread with every accepted RTP packet and every SR; allocates nothing.
#include <chrono>
#include <cstdint>
#include <optional>

#include "net/rtcp_packet.h"

namespace extrema::net {

class ReceptionStatistics {
  public:
    using Clock = std::chrono::steady_clock;

    // `rate_hz`: the RTP clock, to express arrival times in timestamp units for the jitter.
    explicit ReceptionStatistics(double rate_hz) : rate_hz_(rate_hz) {}

    // An accepted RTP packet, duplicates and late ones included (RFC 3550 §6.4.1 counts them as
    // received, so cumulative loss may go negative). A new SSRC starts afresh.
    void on_packet(std::uint32_t ssrc, std::uint16_t sequence, std::uint32_t timestamp,
                   Clock::time_point arrival) noexcept;
    // An SR from the sender we report on, arrived at `arrival`.
    void on_sender_report(std::uint32_t ssrc, std::uint64_t ntp_timestamp,
                          Clock::time_point arrival) noexcept;

    // The block to send at `now`; none before the first packet. Starts the next interval (the
    // fraction lost covers the packets since the last call).
    std::optional<ReportBlock> take_report(Clock::time_point now) noexcept;

    std::optional<std::uint32_t> ssrc() const noexcept { return ssrc_; }
    std::uint32_t extended_highest() const noexcept { return cycles_ + max_sequence_; }
    std::int64_t cumulative_lost() const noexcept;
    double jitter_timestamp_units() const noexcept { return jitter_; }

  private:
    void restart(std::uint32_t ssrc, std::uint16_t sequence) noexcept;
    std::int64_t expected() const noexcept;

    double rate_hz_;
    std::optional<std::uint32_t> ssrc_;
    std::uint32_t base_sequence_ = 0;
    std::uint16_t max_sequence_ = 0;
    std::uint32_t cycles_ = 0;  // sequence wraps, times 65536
    std::int64_t received_ = 0;
    std::int64_t expected_prior_ = 0;
    std::int64_t received_prior_ = 0;
    bool have_transit_ = false;
    double transit_ = 0.0;        // arrival - timestamp of the last packet, in timestamp units
    double jitter_ = 0.0;         // in timestamp units
    Clock::time_point origin_{};  // arrivals are measured from here
    std::uint32_t lsr_ = 0;
    Clock::time_point lsr_arrival_{};
};

}  // namespace extrema::net
