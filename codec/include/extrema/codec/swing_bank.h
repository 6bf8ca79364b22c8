#pragma once
// Layout of the swing bank (bank 3, docs/format.md): a thinned copy of the standard bank's
// monotone shapes, then "swings": curves with one interior extremum, so that one record covers two
// half-cycles of the waveform (trough to crest to trough) where the standard bank needs two.
//
// A swing rises (or falls) by a half-cosine from 0 to r at t = tau, then by a half-cosine from r
// to 1 at t = 1. The ratio q = (second half's height) / (first half's height) = (1 - r) / r of a
// waveform's consecutive half-cycles is negative and mostly within a decade of -1, so the bank
// samples |q| log-uniformly over [0.1, 10], and r = 1 / (1 + q); |q| = 1 (a swing that returns to
// its start) would need r = infinity and is approached from both sides.
#include <cstddef>
#include <cstdint>

namespace extrema::codec::swing {

// Monotone part, ids 1..kMonotoneCurves.
inline constexpr int kSharpnessSteps = 7;  // s_i = 2 i / 6, i = 0..6
inline constexpr int kSkewSteps = 9;       // b_j = -0.9 + 1.8 j / 8, j = 0..8
inline constexpr int kPowerSteps = 6;      // p_m = 1.25 (8 / 1.25)^(m / 5), m = 0..5
inline constexpr std::size_t kMonotoneCurves = kSharpnessSteps * kSkewSteps + 2 * kPowerSteps;
// The straight line: sharpness 0, skew 0.
inline constexpr std::uint8_t kLinearCurve = 1 + (kSkewSteps - 1) / 2;

// Swing part, ids kMonotoneCurves + 1 .. 255: tau_a = 0.1 + 0.8 a / 8, a = 0..8 (the interior
// extremum's place), q_k = -10^(-1 + (2 k + 1) / 20), k = 0..19.
inline constexpr int kTauSteps = 9;
inline constexpr int kRatioSteps = 20;
inline constexpr double kTauLow = 0.1;
inline constexpr double kTauHigh = 0.9;
static_assert(kMonotoneCurves + kTauSteps * kRatioSteps == 255);

inline constexpr std::uint8_t swing_id(int tau, int ratio) noexcept {
    return static_cast<std::uint8_t>(kMonotoneCurves + 1 + tau * kRatioSteps + ratio);
}
double tau(int index) noexcept;
// r = C(tau), the interior extremum's height as a share of the record's net change.
double peak(int ratio_index) noexcept;

}  // namespace extrema::codec::swing
