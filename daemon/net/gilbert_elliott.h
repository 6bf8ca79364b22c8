#pragma once
// The Gilbert-Elliott model of bursty packet loss (Gilbert 1960, Elliott 1963): a two-state
// Markov chain, Good and Bad, with a loss probability in each state. Each packet is first lost or
// kept with the probability of the current state, then the chain moves: Good -> Bad with
// p_good_to_bad, Bad -> Good with p_bad_to_good. Losses cluster while the chain sits in Bad, which
// is how real networks lose packets (a full router queue, a Wi-Fi fade), unlike independent loss.
//
// The impairment proxy's `--loss P --burst L` is the model's simple (Gilbert) form: nothing is
// lost in Good, everything in Bad, so a burst is a stay in Bad and its length is geometric with
// mean L = 1 / p_bad_to_good; Bad's stationary share is the average loss P, which sets
// p_good_to_bad = P / (L (1 - P)) (from P = p_gb / (p_gb + p_bg)). That needs p_good_to_bad <= 1,
// i.e. P <= L / (L + 1): a mean burst of L packets cannot average more loss than that.
//
// Pure: no randomness of its own (the caller draws the uniforms, so one seeded generator drives
// every decision of the proxy), no allocation.
#include <stdexcept>

namespace extrema::net {

struct GilbertElliottParams {
    double p_good_to_bad = 0.0;  // per packet, in Good
    double p_bad_to_good = 1.0;  // per packet, in Bad
    double loss_good = 0.0;      // loss probability in Good
    double loss_bad = 1.0;       // loss probability in Bad

    // Long-run share of packets lost.
    double mean_loss() const noexcept {
        const double moving = p_good_to_bad + p_bad_to_good;
        const double bad = moving > 0.0 ? p_good_to_bad / moving : 0.0;
        return (1.0 - bad) * loss_good + bad * loss_bad;
    }
};

// Shortest mean burst the simple form takes: a burst is at least one packet.
inline constexpr double kMinBurstPackets = 1.0;

// The simple Gilbert form for an average loss of `loss_percent` (0..100) in bursts of
// `burst_packets` on average (>= 1). std::invalid_argument, naming the limit, when the two do not
// fit together (loss_percent above 100 L / (L + 1)).
GilbertElliottParams gilbert_from_loss_and_burst(double loss_percent, double burst_packets);

class GilbertElliott {
  public:
    explicit GilbertElliott(const GilbertElliottParams& params);

    // One packet; `u_loss` and `u_move` are independent uniforms in [0, 1). True: it is lost.
    bool lose(double u_loss, double u_move) noexcept {
        const bool lost = u_loss < (bad_ ? params_.loss_bad : params_.loss_good);
        bad_ = u_move < (bad_ ? 1.0 - params_.p_bad_to_good : params_.p_good_to_bad);
        return lost;
    }
    bool bad() const noexcept { return bad_; }
    const GilbertElliottParams& params() const noexcept { return params_; }

  private:
    GilbertElliottParams params_;
    bool bad_ = false;  // starts Good, as a link does
};

}  // namespace extrema::net
