#pragma once
// When the next RTCP compound leaves: RFC 3550 §6.3.1 and appendix A.7. RTCP shares 5 % of the
// session bandwidth, a quarter of it for senders when they are at most a quarter of the members;
// the interval is what the average compound takes of that share, at least the minimum (half of
// it before the first compound), then randomised over 0.5-1.5 x so that members do not send in
// step, and divided by e - 3/2 to make up for the timer reconsideration this two-party link does
// not need.
#include <chrono>

namespace extrema::net {

struct RtcpIntervalInputs {
    int members = 2;                     // this end and its peer
    int senders = 1;                     // members that sent RTP in the last two intervals
    bool we_sent = false;                // this end is one of them
    double session_bandwidth_bps = 0.0;  // the RTP stream's bit rate (RTP, UDP and IP headers)
    double average_rtcp_bytes = 0.0;     // of the compounds sent and received (UDP and IP included)
    bool initial = false;                // before this end's first compound
};

// The RFC's minimum: 5 s.
inline constexpr std::chrono::seconds kRtcpMinInterval{5};
// RTCP's share of the session bandwidth.
inline constexpr double kRtcpBandwidthFraction = 0.05;

// The deterministic interval, in seconds (before randomisation and compensation).
double rtcp_deterministic_interval_s(const RtcpIntervalInputs& in) noexcept;
// The interval to wait, in seconds: deterministic x (0.5 + `uniform01`) / (e - 3/2), where
// `uniform01` is a uniform random number in [0, 1).
double rtcp_interval_s(const RtcpIntervalInputs& in, double uniform01) noexcept;

}  // namespace extrema::net
