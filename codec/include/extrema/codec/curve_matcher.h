#pragma once
// Picks the bank curve closest to a segment: the encoder's hot path (SPEC §3).
//
// A segment of n samples s_0..s_{n-1} that starts after the value `from` and ends at `to` is
// normalised to v_i = (s_i - from) / (to - from) at t = (i + 1) / n, exactly where the decoder will
// evaluate the curve. Segments of up to kExactPoints samples are compared at those very points (the
// decoder's own error); longer ones are resampled to kExactPoints uniform points first. The bank is
// precomputed at every such grid, laid out point-major with the 255 curves padded to 256 lanes so
// the distance loop is one contiguous, vectorisable sweep per point.
//
// The sweep defines the choice (its scores are fused multiply-adds on every SIMD path, simd_path.h,
// so every path chooses alike); two exact shortcuts reach the same curve with less work: cells of
// precomputed candidate lists for 2 and 3 samples (curve_cells.h), and, on the AVX-512 path,
// blocks of neighbouring curves pruned by their bounding boxes for longer segments
// (curve_blocks.h).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "extrema/codec/aligned_allocator.h"
#include "extrema/codec/curve_bank.h"
#include "extrema/codec/simd_path.h"

namespace extrema::codec {

class CurveMatcher {
  public:
    // 16 points: inside the seed's 8 to 64. Most speech segments are shorter than 16 samples
    // (docs/quality.md), and those are compared at every point the decoder renders.
    static constexpr std::size_t kExactPoints = 16;
    static constexpr std::size_t kLanes = 256;

    explicit CurveMatcher(const CurveBank& bank);

    // Curve id (1..255) with the least squared error; the bank's linear curve when the shape
    // carries no information (n < 2 or to == from).
    std::uint8_t best(std::span<const float> samples, float from, float to) const noexcept;

    // best() in two steps. A segment as the search sees it: its grid and its coordinates on the
    // grid's principal axes. prepare() copies them out of the samples, so the caller may reuse
    // the samples' buffer before choose(); the encoder batches its searches this way, and the CPU
    // overlaps independent searches where a lone one waits on its own latency.
    struct Target {
        std::size_t grid = 0;  // 2..kExactPoints; 0: the shape carries no information
        float coords[kExactPoints];
    };
    void prepare(std::span<const float> samples, float from, float to,
                 Target& target) const noexcept;
    std::uint8_t choose(const Target& target) const noexcept;
    // The same choice always made by sweeping all 255 curves, without the exact shortcut of short
    // segments (curve_cells.h): what tests hold best() to.
    std::uint8_t best_by_sweep(std::span<const float> samples, float from, float to) const noexcept;

    const CurveBank& bank() const noexcept { return *bank_; }
    // Principal-axis count the search uses for an n-sample segment (exposed for tests and docs).
    std::size_t search_dims(std::size_t n) const noexcept;
    // Mean number of curves a short segment's search scores (0 where every curve is swept).
    double mean_candidates(std::size_t n) const noexcept;

  private:
    using NearestFn = std::size_t (*)(const float* grid, const float* norms, const float* v,
                                      std::size_t rows) noexcept;
    using ListedFn = std::size_t (*)(const float* grid, const float* norms, const float* v,
                                     std::size_t dims,
                                     std::span<const std::uint8_t> lanes) noexcept;

    // The bank on one grid, in the coordinates of its principal axes.
    struct Reduced {
        std::size_t dims = 0;
        std::vector<float> axes;         // dims x rows
        std::vector<float> axes_by_row;  // rows x kProjectLanes: axes transposed, zero-padded
        std::vector<float> centre;       // rows: the mean curve
        std::vector<float, AlignedAllocator<float>> coords;  // dims x kLanes, point-major
        std::vector<float, AlignedAllocator<float>> norms;   // kLanes: |coordinates|^2 per curve
    };
    // Axes projected at once when a grid has at most this many (every bank so far: 7).
    static constexpr std::size_t kProjectLanes = 8;
    struct Tables;
    // Coordinates of normalised targets v on the axes of a grid of rows + 1 points (kRows: rows
    // fixed at compile time; 0: given).
    template <std::size_t kRows>
    void project(const Reduced& r, const float* v, std::size_t rows, float* coords) const noexcept;
    // A segment's coordinates on the axes of its grid; returns the grid (2..kExactPoints).
    std::size_t coordinates(std::span<const float> samples, float from, float inv_height,
                            float* coords) const noexcept;
    // Lane of the sweep's choice on grid n: pruned by blocks (curve_blocks.h) on the AVX-512 path.
    std::size_t search(std::size_t n, const float* coords) const noexcept;
    // Share of the bank's energy on a grid left off the principal axes (see reduce_grid()).
    static constexpr double kResidualShare = 1e-5;
    // Built once per bank and shared by every matcher of that bank (an encoder per channel or per
    // link costs no table set-up after the first).
    static std::shared_ptr<const Tables> tables_for(const CurveBank& bank);

    const CurveBank* bank_;
    std::shared_ptr<const Tables> tables_;
    SimdPath path_;                // simd_path() when this matcher was made
    NearestFn nearest_ = nullptr;  // the sweep on path_
    ListedFn listed_ = nullptr;    // the cells' candidate scoring on path_
};

}  // namespace extrema::codec
