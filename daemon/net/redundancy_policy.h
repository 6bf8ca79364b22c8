#pragma once
// network.redundancy = "auto": how many redundant blocks (RFC 2198, net/red_encoder.h) to send,
// from the fraction lost that the peer's RTCP reports give (RFC 3550 §6.4.1).
//
//  - On as soon as one report says more than kOnAboveFraction was lost; off again only when the
//    last kQuietReports reports all stayed at or below kOffAtOrBelowFraction (hysteresis: a
//    link near the threshold does not flap, and one clean interval inside a lossy stretch does
//    not switch the repair off).
//  - While on, the level is the smallest k (1..kMaxRedundantBlocks) for which a packet and its
//    k copies, each lost independently with the worst recent fraction p, are all lost with a
//    chance p^(k+1) of at most kResidualLoss; at worse loss, kMaxRedundantBlocks.
// Plain arithmetic on the network thread; no allocation.
#include <array>
#include <cstddef>

#include "net/red_payload.h"

namespace extrema::net {

class RedundancyPolicy {
  public:
    // 1 %: about where concealment of single lost 10 ms packets becomes audible in speech.
    static constexpr double kOnAboveFraction = 0.01;
    // Half the on threshold, so that loss wavering around 1 % keeps the repair on.
    static constexpr double kOffAtOrBelowFraction = 0.005;
    // Four reports: at RTCP's 5 s minimum interval, 20 s of a clean link before it goes off.
    static constexpr std::size_t kQuietReports = 4;
    // 1 in 1000 packets left unrepaired: rarer than single losses a listener notices.
    static constexpr double kResidualLoss = 0.001;

    // One report's fraction lost (0..1). Returns the level from now on.
    std::size_t observe(double fraction_lost) noexcept;
    std::size_t level() const noexcept { return level_; }
    // Reports observed.
    std::size_t reports() const noexcept { return reports_; }

    // The level for a loss fraction p, ignoring hysteresis (0 at or below kOnAboveFraction).
    static std::size_t level_for(double fraction_lost) noexcept;

  private:
    std::array<double, kQuietReports> recent_{};  // ring of the last fractions
    std::size_t reports_ = 0;
    std::size_t level_ = 0;
};

}  // namespace extrema::net
