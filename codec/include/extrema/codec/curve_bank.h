#pragma once
// The curve bank: 255 monotone shapes C_k on [0,1], C(0) = 0, C(1) = 1, tabulated at 1024 points
// and read with linear interpolation. The bank is part of the wire format (SPEC §2): its tables are
// generated from the formulas documented in docs/format.md, identified by a bank id, and pinned by
// a checksum test. Changing a formula means a new bank id.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace extrema::codec {

inline constexpr std::size_t kBankCurves = 255;
inline constexpr std::size_t kBankPoints = 1024;

enum class BankId : std::uint16_t {
    kStandard = 1,  // eased half-cosine family with skew, plus power curves (the default)
    kPower = 2,  // naive bank of plain power curves t^p, kept to measure the standard one against
};

class CurveBank {
  public:
    // The bank with that id, or nullptr for an unknown id (a value read from a file or a packet).
    static const CurveBank* find(std::uint16_t id) noexcept;
    static const CurveBank& standard() noexcept;
    static const CurveBank& power() noexcept;

    BankId id() const noexcept { return id_; }
    std::string_view name() const noexcept { return name_; }
    // Curve `curve_id` (1..255) at t in [0,1], linearly interpolated between table points.
    float value(std::uint8_t curve_id, float t) const noexcept;
    // The 1024-point table of curve `curve_id` (1..255): entry j is C((j) / 1023).
    std::span<const float, kBankPoints> table(std::uint8_t curve_id) const noexcept;
    // The curve closest to a straight line: used where the shape carries no information.
    std::uint8_t linear_curve() const noexcept { return linear_curve_; }
    // FNV-1a 64 over the tables quantised to 24-bit fixed point (robust to last-ulp libm noise).
    std::uint64_t checksum() const noexcept;

  private:
    CurveBank(BankId id, std::string_view name, std::vector<float> tables);
    BankId id_;
    std::string_view name_;
    std::vector<float> tables_;  // kBankCurves * kBankPoints, curve-major
    std::uint8_t linear_curve_ = 1;
};

}  // namespace extrema::codec
