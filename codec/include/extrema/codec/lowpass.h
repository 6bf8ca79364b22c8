#pragma once
// 4th-order Butterworth low-pass (two cascaded biquads, RBJ cookbook coefficients), used as the
// encoder's optional pre-filter: removing what lies above the voice band before segmentation
// lengthens segments (fewer records) at little cost in intelligibility.
#include <array>

namespace extrema::codec {

class Biquad {
  public:
    static Biquad lowpass(double sample_rate_hz, double cutoff_hz, double q);
    float process(float x) noexcept {
        // Transposed direct form II: good numerical behaviour in float.
        const float y = b0_ * x + z1_;
        z1_ = flush_denormal(b1_ * x - a1_ * y + z2_);
        z2_ = flush_denormal(b2_ * x - a2_ * y);
        return y;
    }
    void reset() noexcept { z1_ = z2_ = 0.0f; }

  private:
    // A state that decays through silence would end in subnormal floats, where x86 arithmetic
    // is many times slower; so small a state is silence (the samples are on the int16 scale).
    static float flush_denormal(float z) noexcept {
        return z > -kSmallestState && z < kSmallestState ? 0.0f : z;
    }
    static constexpr float kSmallestState = 1e-20f;
    float b0_ = 1, b1_ = 0, b2_ = 0, a1_ = 0, a2_ = 0;
    float z1_ = 0, z2_ = 0;
};

class Lowpass {
  public:
    // cutoff_hz must lie in (0, sample_rate_hz / 2).
    Lowpass(double sample_rate_hz, double cutoff_hz);
    float process(float x) noexcept { return stages_[1].process(stages_[0].process(x)); }
    void reset() noexcept {
        for (auto& s : stages_) s.reset();
    }

  private:
    std::array<Biquad, 2> stages_;
};

}  // namespace extrema::codec
