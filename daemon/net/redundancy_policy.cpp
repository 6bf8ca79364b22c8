#include "net/redundancy_policy.h"

#include <algorithm>

namespace extrema::net {

std::size_t RedundancyPolicy::level_for(double fraction_lost) noexcept {
    if (!(fraction_lost > kOnAboveFraction)) return 0;
    double all_lost = fraction_lost;  // p^(k+1) for k = 0
    for (std::size_t k = 1; k <= kMaxRedundantBlocks; ++k) {
        all_lost *= fraction_lost;
        if (all_lost <= kResidualLoss) return k;
    }
    return kMaxRedundantBlocks;
}

std::size_t RedundancyPolicy::observe(double fraction_lost) noexcept {
    fraction_lost = std::clamp(fraction_lost, 0.0, 1.0);
    recent_[reports_ % recent_.size()] = fraction_lost;
    ++reports_;
    const std::size_t known = std::min(reports_, recent_.size());
    const double worst =
        *std::max_element(recent_.begin(), recent_.begin() + static_cast<std::ptrdiff_t>(known));
    if (fraction_lost > kOnAboveFraction) {
        level_ = std::max<std::size_t>(1, level_for(worst));
    } else if (level_ > 0) {
        const bool quiet = known == recent_.size() && worst <= kOffAtOrBelowFraction;
        level_ = quiet ? 0 : std::max<std::size_t>(1, level_for(worst));
    }
    return level_;
}

}  // namespace extrema::net
