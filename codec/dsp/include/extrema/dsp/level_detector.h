#pragma once
// Level detection for the compressor (Giannoulis, Massberg and Reiss, JAES 2012, section 3):
// one-pole smoothing coefficients from time constants, the smooth branching peak detector, and a
// mean-square detector for the optional RMS mode. No allocation, no denormals.
namespace extrema::dsp {

// alpha = exp(-1 / (tau * fs)): a one-pole filter with this coefficient takes tau to cover
// 1 - 1/e (63 %) of a step. A zero time constant gives 0, i.e. no smoothing.
double smoothing_coefficient(double time_ms, double sample_rate_hz) noexcept;

// The paper's smooth branching peak detector (eq. 17): attack coefficient while the input is above
// the state, release coefficient otherwise. Used on the gain reduction in dB (>= 0), so attack and
// release are exactly the configured time constants, independent of each other.
class BranchingPeakDetector {
  public:
    BranchingPeakDetector() = default;
    BranchingPeakDetector(double attack_coeff, double release_coeff) noexcept
        : attack_(attack_coeff), release_(release_coeff) {}

    double process(double input) noexcept {
        const double coeff = input > state_ ? attack_ : release_;
        state_ = coeff * state_ + (1.0 - coeff) * input;
        // A release towards 0 would decay into denormals after ~30 s of silence; a gain change
        // of 1e-9 dB is inaudible, so snap to 0 well before that.
        if (state_ < kFlushBelow && state_ > -kFlushBelow) state_ = 0.0;
        return state_;
    }
    double value() const noexcept { return state_; }
    void reset(double value = 0.0) noexcept { state_ = value; }

  private:
    static constexpr double kFlushBelow = 1e-9;
    double attack_ = 0.0;
    double release_ = 0.0;
    double state_ = 0.0;
};

// One-pole mean-square estimate of a signal (the RMS mode's detector), floored at floor_power so
// silence neither produces log(0) nor decays into denormals.
class MeanSquareDetector {
  public:
    MeanSquareDetector() = default;
    MeanSquareDetector(double coeff, double floor_power) noexcept
        : coeff_(coeff), floor_(floor_power), state_(floor_power) {}

    double process(double sample) noexcept {
        state_ = coeff_ * state_ + (1.0 - coeff_) * sample * sample;
        if (!(state_ > floor_)) state_ = floor_;  // also catches NaN input
        return state_;
    }
    void reset() noexcept { state_ = floor_; }

  private:
    double coeff_ = 0.0;
    double floor_ = 0.0;
    double state_ = 0.0;
};

}  // namespace extrema::dsp
