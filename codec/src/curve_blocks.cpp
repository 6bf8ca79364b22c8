#include "extrema/codec/curve_blocks.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numeric>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace extrema::codec {
namespace {

// One fused multiply-add rounds by at most 2^-24 of its result; 2^-22 per axis leaves a factor 4.
constexpr float kRoundingPerAxis = 0x1p-22f;
// Relative error allowed for the box test's own float arithmetic (a few roundings of 2^-24).
constexpr float kTestRounding = 0x1p-16f;

// Splits `ids` in halves along the axis where they spread most, `depth` times: 2^depth groups of
// neighbours, in order. Node `node` of the tree (root 1, children 2 node and 2 node + 1) records
// its split in `axis` and `at`: the upper half lies at or above `at`.
void split(std::vector<std::size_t> ids, int depth, std::size_t dims, const float* coords,
           std::size_t lanes, std::size_t node, std::int32_t* axis_of, float* at,
           std::vector<std::vector<std::size_t>>& groups) {
    if (depth == 0 || ids.size() <= 1) {
        std::sort(ids.begin(), ids.end());
        groups.push_back(std::move(ids));
        for (int g = 1; g < (1 << depth); ++g) groups.emplace_back();
        return;
    }
    std::size_t axis = 0;
    float widest = -1.0f;
    for (std::size_t d = 0; d < dims; ++d) {
        const auto [lo, hi] = std::minmax_element(ids.begin(), ids.end(), [&](auto a, auto b) {
            return coords[d * lanes + a] < coords[d * lanes + b];
        });
        const float spread = coords[d * lanes + *hi] - coords[d * lanes + *lo];
        if (spread > widest) {
            widest = spread;
            axis = d;
        }
    }
    std::sort(ids.begin(), ids.end(), [&](auto a, auto b) {
        const float x = coords[axis * lanes + a], y = coords[axis * lanes + b];
        return x < y || (x == y && a < b);
    });
    const auto half = static_cast<std::ptrdiff_t>((ids.size() + 1) / 2);
    axis_of[node] = static_cast<std::int32_t>(axis);
    at[node] = coords[axis * lanes + ids[static_cast<std::size_t>(half)]];
    split(std::vector<std::size_t>(ids.begin(), ids.begin() + half), depth - 1, dims, coords, lanes,
          2 * node, axis_of, at, groups);
    split(std::vector<std::size_t>(ids.begin() + half, ids.end()), depth - 1, dims, coords, lanes,
          2 * node + 1, axis_of, at, groups);
}

}  // namespace

CurveBlocks::CurveBlocks(std::size_t dims, const float* coords, const float* norms,
                         std::size_t curves)
    : dims_(dims) {
    assert(dims >= 1 && dims <= kMaxDims && curves < kLanes);
    std::vector<std::size_t> ids(curves);
    std::iota(ids.begin(), ids.end(), std::size_t{0});
    std::vector<std::vector<std::size_t>> groups;
    // A node left unsplit (too few curves) sends every query to its first half.
    std::fill(std::begin(split_at_), std::end(split_at_), INFINITY);
    split(std::move(ids), 4, dims, coords, kLanes, 1, split_axis_, split_at_, groups);
    assert(groups.size() == kBlocks);

    coords_.assign(dims * kLanes, 0.0f);
    norms_.assign(kLanes, 0.0f);
    lo_.assign(dims * kBlocks, 0.0f);
    hi_.assign(dims * kBlocks, 0.0f);
    // Padding lanes repeat the last lane, a padding lane of the sweep that never wins.
    lane_.fill(static_cast<std::uint8_t>(kLanes - 1));
    for (std::size_t b = 0; b < kBlocks; ++b) {
        assert(groups[b].size() <= kBlockLanes);
        for (std::size_t j = 0; j < groups[b].size(); ++j)
            lane_[b * kBlockLanes + j] = static_cast<std::uint8_t>(groups[b][j]);
        for (std::size_t d = 0; d < dims; ++d) {
            float lo = 0.0f, hi = 0.0f;
            for (std::size_t j = 0; j < groups[b].size(); ++j) {
                const float x = coords[d * kLanes + groups[b][j]];
                lo = j == 0 ? x : std::min(lo, x);
                hi = j == 0 ? x : std::max(hi, x);
            }
            lo_[d * kBlocks + b] = lo;
            hi_[d * kBlocks + b] = hi;
        }
    }
    for (std::size_t k = 0; k < kLanes; ++k) {
        norms_[k] = norms[lane_[k]];
        for (std::size_t d = 0; d < dims; ++d)
            coords_[d * kLanes + k] = coords[d * kLanes + lane_[k]];
    }
    for (std::size_t k = 0; k < curves; ++k) {
        double sq = 0.0;
        for (std::size_t d = 0; d < dims; ++d) {
            const double x = coords[d * kLanes + k];
            sq += x * x;
            max_coord_[d] = std::max(max_coord_[d], std::fabs(coords[d * kLanes + k]));
        }
        max_norm_ = std::max(max_norm_, std::fabs(norms[k]));
        // Rounded up: the bound must not shrink in float.
        slack_ = std::max(slack_,
                          std::nextafter(static_cast<float>(std::fabs(norms[k] - sq)), INFINITY));
    }
}

#if defined(__x86_64__)

// GCC 12's AVX-512 intrinsics start from _mm512_undefined_ps(), which -Wuninitialized flags.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#if !defined(__clang__)  // a GCC-only warning: clang would reject the unknown option
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
namespace {

// Every lane of the result holds the least of x's lanes.
__attribute__((target("avx512f"))) inline __m512 least_of(__m512 x) noexcept {
    x = _mm512_min_ps(x, _mm512_shuffle_f32x4(x, x, 0x4E));
    x = _mm512_min_ps(x, _mm512_shuffle_f32x4(x, x, 0xB1));
    x = _mm512_min_ps(x, _mm512_permute_ps(x, 0x4E));
    return _mm512_min_ps(x, _mm512_permute_ps(x, 0xB1));
}

// The first lane of x equal to the same lane of target.
__attribute__((target("avx512f"))) inline std::size_t first_lane(__m512 x, __m512 target) noexcept {
    return static_cast<std::size_t>(__builtin_ctz(_mm512_cmp_ps_mask(x, target, _CMP_EQ_OQ)));
}

// The sum of x's lanes (in some order: for bounds, not for scores).
__attribute__((target("avx512f"))) inline float hsum(__m512 x) noexcept {
    x = _mm512_add_ps(x, _mm512_shuffle_f32x4(x, x, 0x4E));
    x = _mm512_add_ps(x, _mm512_shuffle_f32x4(x, x, 0xB1));
    x = _mm512_add_ps(x, _mm512_permute_ps(x, 0x4E));
    return _mm512_cvtss_f32(_mm512_add_ps(x, _mm512_permute_ps(x, 0xB1)));
}

// Scores of one block of 16 lanes exactly as the sweep computes them.
__attribute__((target("avx512f"))) inline __m512 score_block(const float* norms,
                                                             const float* coords,
                                                             const float* weight,
                                                             std::size_t dims) noexcept {
    __m512 acc = _mm512_load_ps(norms);
    for (std::size_t d = 0; d < dims; ++d) {
        const __m512 x = _mm512_load_ps(coords + d * CurveBlocks::kLanes);
        acc = _mm512_fmadd_ps(x, _mm512_set1_ps(weight[d]), acc);
    }
    return acc;
}

}  // namespace

__attribute__((target("avx512f"))) std::size_t CurveBlocks::nearest(const float* c) const noexcept {
    // Squared distance from c to each block's box.
    __m512 gap2 = _mm512_setzero_ps();
    for (std::size_t d = 0; d < dims_; ++d) {
        const __m512 x = _mm512_set1_ps(c[d]);
        const __m512 below = _mm512_sub_ps(_mm512_load_ps(lo_.data() + d * kBlocks), x);
        const __m512 above = _mm512_sub_ps(x, _mm512_load_ps(hi_.data() + d * kBlocks));
        const __m512 gap = _mm512_max_ps(_mm512_max_ps(below, above), _mm512_setzero_ps());
        gap2 = _mm512_fmadd_ps(gap, gap, gap2);
    }
    // The weights, |c|^2 and the bound B on the scores' rounding, all axes at once.
    const auto live = static_cast<__mmask16>((1u << dims_) - 1);
    const __m512 cv = _mm512_maskz_loadu_ps(live, c);
    const __m512 wv = _mm512_mul_ps(cv, _mm512_set1_ps(-2.0f));
    alignas(64) float weight[kMaxDims];
    _mm512_store_ps(weight, wv);
    const __m512 terms = _mm512_mul_ps(_mm512_abs_ps(wv), _mm512_load_ps(max_coord_));

    // The query's leaf in the tree the blocks were split by is searched first (its least score
    // sets how far the others may lie): found beside the boxes' distances, not after them.
    const __mmask16 right =
        _mm512_cmp_ps_mask(_mm512_permutexvar_ps(_mm512_load_si512(split_axis_), cv),
                           _mm512_load_ps(split_at_), _CMP_GE_OQ);
    std::size_t node = 1;
    for (int level = 0; level < 4; ++level) node = 2 * node + ((right >> node) & 1u);
    const std::size_t first = node - kBlocks;
    __m512 best_acc = score_block(norms_.data() + first * kBlockLanes,
                                  coords_.data() + first * kBlockLanes, weight, dims_);
    float best_score = _mm512_cvtss_f32(least_of(best_acc));
    std::size_t best_block = first;

    const float cc = hsum(_mm512_mul_ps(cv, cv));
    const float bound = kRoundingPerAxis * static_cast<float>(dims_) * (max_norm_ + hsum(terms));
    const float reach =
        (best_score + cc + 2.0f * (bound + slack_) + kTestRounding * (cc + std::fabs(best_score))) *
        (1.0f + kTestRounding);
    auto open = static_cast<unsigned>(_mm512_cmp_ps_mask(gap2, _mm512_set1_ps(reach), _CMP_LE_OQ));
    open &= ~(1u << first);
    // Lanes within a block ascend: a block's first least lane is the lowest of its tied curves.
    const std::uint8_t* lanes = lane_.data();
    while (open != 0) {
        const auto block = static_cast<std::size_t>(__builtin_ctz(open));
        open &= open - 1;
        const __m512 acc = score_block(norms_.data() + block * kBlockLanes,
                                       coords_.data() + block * kBlockLanes, weight, dims_);
        const float value = _mm512_cvtss_f32(least_of(acc));
        if (value < best_score ||
            (value == best_score &&
             lanes[block * kBlockLanes + first_lane(acc, _mm512_set1_ps(value))] <
                 lanes[best_block * kBlockLanes + first_lane(best_acc, _mm512_set1_ps(value))])) {
            best_score = value;
            best_acc = acc;
            best_block = block;
        }
    }
    return lanes[best_block * kBlockLanes + first_lane(best_acc, _mm512_set1_ps(best_score))];
}
#pragma GCC diagnostic pop

#endif

}  // namespace extrema::codec
