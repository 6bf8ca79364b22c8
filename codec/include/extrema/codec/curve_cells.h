#pragma once
// Exact shortcut for the curve search on grids of one or two principal axes (segments of 2 or 3
// samples: over half of the records of speech, docs/quality.md). The axes' space is cut into a
// lattice of cells, and each cell lists every curve that can be the search's choice for a point in
// it, float rounding included; a search then scores a handful of curves instead of 255 and picks
// the same one (ties included) as the full sweep.
//
// Why a cell's list is complete: with w = -2c the sweep scores curve k as s_k = norms_k + w.x_k,
// rounded once per axis by the fused multiply-adds, so |s_k - S_k| <= B for the exact value S_k
// and a bound B on the cell. S_k + |c|^2 = |c - x_k|^2 + (norms_k - |x_k|^2) =: T_k(c). The chosen
// curve f has s_f <= s_j for every j, hence T_f(c) <= min_j T_j(c) + 2B <= U + 2B, where U is the
// least over j of T_j's maximum on the cell; so every curve whose minimum of T_k on the cell
// exceeds U + 2B can never be chosen there (nor tie with the choice), and is left off the list.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace extrema::codec {

class CurveCells {
  public:
    static constexpr std::size_t kMaxDims = 2;

    CurveCells() = default;
    // coords: dims x lanes point-major (lane k of axis d at d * lanes + k), norms: lanes; curves
    // are lanes 0..curves-1. lo/hi: the box of query coordinates the lattice covers (queries
    // outside it get no list), cut into cells[d] cells along axis d.
    CurveCells(std::size_t dims, const float* coords, const float* norms, std::size_t lanes,
               std::size_t curves, std::span<const double> lo, std::span<const double> hi,
               std::span<const std::size_t> cells);

    // The lanes (ascending) that can win for the query c (dims values), or an empty span when c
    // lies outside the lattice.
    std::span<const std::uint8_t> candidates(const float* c) const noexcept {
        if (dims_ == 0) return {};
        std::size_t cell = 0;
        for (std::size_t d = 0; d < dims_; ++d) {
            const float x = (c[d] - lo_[d]) * inv_width_[d];
            // Also rejects NaN; x < cells keeps the cast in range.
            if (!(x >= 0.0f && x < count_[d])) return {};
            cell += static_cast<std::size_t>(x) * stride_[d];
        }
        return {lanes_.data() + start_[cell], start_[cell + 1] - start_[cell]};
    }
    // Mean list length over the cells (tests and tuning).
    double mean_candidates() const noexcept;

  private:
    std::size_t dims_ = 0;
    float lo_[kMaxDims]{};
    float inv_width_[kMaxDims]{};
    float count_[kMaxDims]{};  // cells along each axis, as a float for the range test
    std::size_t stride_[kMaxDims]{};
    std::vector<std::uint32_t> start_;  // cells + 1: where each cell's list starts in lanes_
    std::vector<std::uint8_t> lanes_;
};

}  // namespace extrema::codec
