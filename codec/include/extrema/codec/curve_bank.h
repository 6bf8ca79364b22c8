#pragma once
// The curve bank: 255 shapes C_k on [0,1], C(0) = 0, C(1) = 1, tabulated at 1024 points
// and read with linear interpolation. The bank is part of the wire format (SPEC §2): its tables are
// generated from the formulas documented in docs/format.md, identified by a bank id, and pinned by
// a checksum test. Changing a formula means a new bank id.
#include <algorithm>
#include <array>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace extrema::codec {

inline constexpr std::size_t kBankCurves = 255;
inline constexpr std::size_t kBankPoints = 1024;
// Curves of up to this many samples come prerendered (most records of speech are this short).
inline constexpr std::size_t kPrerenderedSamples = 16;

// Sample k of a curve rendered over n samples as the decoder computes it (SPEC §2): the table read
// at x = k (kBankPoints - 1) / n with linear interpolation; step = (kBankPoints - 1) / n.
inline float render_point(const float* table, float k, float step) noexcept {
    const float x = k * step;
    const std::size_t j = std::min(static_cast<std::size_t>(x), kBankPoints - 2);
    const float frac = x - static_cast<float>(j);
    return table[j] + (table[j + 1] - table[j]) * frac;
}

enum class BankId : std::uint16_t {
    kStandard = 1,  // eased half-cosine family with skew, plus power curves (the default)
    kPower = 2,  // naive bank of plain power curves t^p, kept to measure the standard one against
    kSwing = 3,  // monotone shapes plus swings that cover two half-cycles (swing_bank.h)
};

class CurveBank {
  public:
    // The bank with that id, or nullptr for an unknown id (a value read from a file or a packet).
    static const CurveBank* find(std::uint16_t id) noexcept;
    static const CurveBank& standard() noexcept;
    static const CurveBank& power() noexcept;
    static const CurveBank& swing() noexcept;
    // The swing bank's monotone curves (ids 1..swing::kMonotoneCurves), the other ids padded with
    // copies of its straight line: what the encoder searches for a segment recorded on its own.
    // Not a wire bank (find() never returns it).
    static const CurveBank& swing_monotone() noexcept;

    BankId id() const noexcept { return id_; }
    std::string_view name() const noexcept { return name_; }
    // Curve `curve_id` (1..255) at t in [0,1], linearly interpolated between table points.
    float value(std::uint8_t curve_id, float t) const noexcept;
    // The 1024-point table of curve `curve_id` (1..255): entry j is C((j) / 1023).
    std::span<const float, kBankPoints> table(std::uint8_t curve_id) const noexcept {
        assert(curve_id >= 1);
        return std::span<const float, kBankPoints>(tables_.data() + (curve_id - 1u) * kBankPoints,
                                                   kBankPoints);
    }
    // The n - 1 interior samples of curve `curve_id` rendered over n samples (2 <= n <=
    // kPrerenderedSamples): entry k - 1 is render_point(table, k, step). One contiguous read where
    // the table itself would be read at n - 1 scattered cache lines.
    const float* prerendered(std::uint8_t curve_id, std::size_t n) const noexcept {
        assert(curve_id >= 1 && n >= 2 && n <= kPrerenderedSamples);
        return prerendered_.data() + kBankCurves * (n - 1) * (n - 2) / 2 +
               (curve_id - 1u) * (n - 1);
    }
    // The curve closest to a straight line: used where the shape carries no information.
    std::uint8_t linear_curve() const noexcept { return linear_curve_; }
    // FNV-1a 64 over the tables quantised to 24-bit fixed point (robust to last-ulp libm noise).
    std::uint64_t checksum() const noexcept;

  private:
    CurveBank(BankId id, std::string_view name, std::vector<float> tables);
    BankId id_;
    std::string_view name_;
    std::vector<float> tables_;       // kBankCurves * kBankPoints, curve-major
    std::vector<float> prerendered_;  // by n = 2..kPrerenderedSamples, then curve, then sample
    std::uint8_t linear_curve_ = 1;
};

}  // namespace extrema::codec
