#include "net/gilbert_elliott.h"

#include <sstream>
#include <string>

namespace extrema::net {
namespace {

bool probability(double p) noexcept {
    return p >= 0.0 && p <= 1.0;
}

template <typename... Parts>
std::string text(const Parts&... parts) {
    std::ostringstream out;
    (out << ... << parts);
    return out.str();
}

}  // namespace

GilbertElliottParams gilbert_from_loss_and_burst(double loss_percent, double burst_packets) {
    if (!(burst_packets >= kMinBurstPackets)) {
        throw std::invalid_argument(text("mean burst length must be >= ", kMinBurstPackets,
                                         " packets, not ", burst_packets));
    }
    if (!(loss_percent >= 0.0 && loss_percent <= 100.0)) {
        throw std::invalid_argument(text("loss must be 0..100 %, not ", loss_percent));
    }
    const double limit = 100.0 * burst_packets / (burst_packets + 1.0);
    if (loss_percent > limit) {
        throw std::invalid_argument(text("a mean burst of ", burst_packets,
                                         " packets averages at most ", limit, " % loss, not ",
                                         loss_percent, " %"));
    }
    const double loss = loss_percent / 100.0;
    GilbertElliottParams params;
    params.p_bad_to_good = 1.0 / burst_packets;
    params.p_good_to_bad = loss / (burst_packets * (1.0 - loss));
    params.loss_good = 0.0;
    params.loss_bad = 1.0;
    return params;
}

GilbertElliott::GilbertElliott(const GilbertElliottParams& params) : params_(params) {
    if (!probability(params.p_good_to_bad) || !probability(params.p_bad_to_good) ||
        !probability(params.loss_good) || !probability(params.loss_bad)) {
        throw std::invalid_argument("Gilbert-Elliott probabilities must be 0..1");
    }
}

}  // namespace extrema::net
