#include "net/rtcp_interval.h"

#include <algorithm>
#include <numbers>

namespace extrema::net {
namespace {

constexpr double kSenderFraction = 0.25;
constexpr double kReceiverFraction = 1.0 - kSenderFraction;
constexpr double kCompensation = std::numbers::e - 1.5;

}  // namespace

double rtcp_deterministic_interval_s(const RtcpIntervalInputs& in) noexcept {
    const double minimum =
        std::chrono::duration<double>(kRtcpMinInterval).count() / (in.initial ? 2.0 : 1.0);
    double bandwidth_bps = in.session_bandwidth_bps * kRtcpBandwidthFraction;
    double members = std::max(in.members, 1);
    if (in.senders <= members * kSenderFraction) {
        if (in.we_sent) {
            bandwidth_bps *= kSenderFraction;
            members = std::max(in.senders, 1);
        } else {
            bandwidth_bps *= kReceiverFraction;
            members = std::max(members - in.senders, 1.0);
        }
    }
    if (bandwidth_bps <= 0.0) return minimum;
    const double interval = in.average_rtcp_bytes * 8.0 * members / bandwidth_bps;
    return std::max(interval, minimum);
}

double rtcp_interval_s(const RtcpIntervalInputs& in, double uniform01) noexcept {
    return rtcp_deterministic_interval_s(in) * (std::clamp(uniform01, 0.0, 1.0) + 0.5) /
           kCompensation;
}

}  // namespace extrema::net
