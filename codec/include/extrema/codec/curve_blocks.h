#pragma once
// Exact pruned search for segments of 4 samples and more (AVX-512, simd_path.h): the bank's curves
// regrouped into 16 blocks of 16 neighbours on the principal axes, each with its bounding box. A
// search scores the query's own block first (the leaf of the splits that made the blocks), then
// only the blocks whose box could still hold a curve scoring as well, float rounding included; it
// returns what the full sweep returns, whichever block came first.
//
// Why a skipped block cannot hold the sweep's choice f: with w = -2c the sweep's score of curve k
// is s_k = norms_k + w.x_k (one rounded fused multiply-add per axis), within B of its exact value
// S_k = |c - x_k|^2 - |c|^2 + (norms_k - |x_k|^2). Every scored curve g bounds S_f <= s_f + B <=
// s_g + B, while a curve in a box at squared distance L from c has S_k >= L - |c|^2 - slack. So a
// box with L > s_g + |c|^2 + B + slack holds no f; the test below widens that by generous margins
// for its own float arithmetic.
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "extrema/codec/aligned_allocator.h"

namespace extrema::codec {

class CurveBlocks {
  public:
    static constexpr std::size_t kBlocks = 16;
    static constexpr std::size_t kBlockLanes = 16;
    static constexpr std::size_t kLanes = kBlocks * kBlockLanes;
    static constexpr std::size_t kMaxDims = 16;

    CurveBlocks() = default;
    // coords: dims x kLanes point-major (curve k of axis d at d * kLanes + k), norms: kLanes;
    // the curves are lanes 0..curves-1.
    CurveBlocks(std::size_t dims, const float* coords, const float* norms, std::size_t curves);

#if defined(__x86_64__)
    // Lane (as given to the constructor) that the full sweep chooses for the query c: the least
    // score, ties to the lowest lane. AVX-512: called on the SimdPath::kAvx512 path only.
    std::size_t nearest(const float* c) const noexcept;
#endif

  private:
    std::size_t dims_ = 0;
    std::vector<float, AlignedAllocator<float>> coords_;  // dims x kLanes, block-major lanes
    std::vector<float, AlignedAllocator<float>> norms_;   // kLanes
    std::vector<float, AlignedAllocator<float>> lo_;      // dims x kBlocks: the boxes
    std::vector<float, AlignedAllocator<float>> hi_;
    std::array<std::uint8_t, kLanes> lane_{};  // original lane of each regrouped lane
    float max_norm_ = 0.0f;                    // largest |norms_k|
    alignas(64) float max_coord_[kMaxDims]{};  // largest |x_kd| per axis
    float slack_ = 0.0f;                       // largest |norms_k - |x_k|^2|
    // The splits that made the blocks, a tree of depth 4 by node (1..15; 0 unused): a query's
    // leaf is the block searched first.
    alignas(64) float split_at_[kBlocks]{};
    alignas(64) std::int32_t split_axis_[kBlocks]{};
};

}  // namespace extrema::codec
