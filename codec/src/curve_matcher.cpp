#include "extrema/codec/curve_matcher.h"

#include "extrema/codec/curve_blocks.h"
#include "extrema/codec/curve_cells.h"
#include "extrema/codec/simd_path.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <mutex>

#include <Eigen/SVD>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace extrema::codec {
namespace {

// Padding lane: never the minimum, whatever the segment.
constexpr float kNeverChosen = 1.0e30f;

// The squared error of curve k against v is |v|^2 - 2 v.C_k + |C_k|^2; |v|^2 is the same for every
// curve, so the search minimises score_k = |C_k|^2 - 2 v.C_k: one fused multiply-add per point and
// curve, in the order of the points, as every kernel here computes it (so they all choose alike).
// Point-major layout: row i holds C_k(t_i) for k = 0..255 contiguously. Ties go to the lower id.
// __builtin_fmaf is one instruction where the CPU has FMA (aarch64 always) and libm's exactly
// rounded fmaf elsewhere.
std::size_t nearest_lane_portable(const float* grid, const float* norms, const float* v,
                                  std::size_t rows) noexcept {
    alignas(64) std::array<float, CurveMatcher::kLanes> score;
    std::copy(norms, norms + CurveMatcher::kLanes, score.begin());
    for (std::size_t i = 0; i < rows; ++i) {
        const float weight = -2.0f * v[i];
        const float* row = grid + i * CurveMatcher::kLanes;
        for (std::size_t k = 0; k < CurveMatcher::kLanes; ++k)
            score[k] = __builtin_fmaf(row[k], weight, score[k]);
    }
    return static_cast<std::size_t>(std::min_element(score.begin(), score.end()) - score.begin());
}

// The choice among a cell's listed lanes (ascending), scored exactly as the sweeps score them:
// one fused multiply-add per axis from the norm, ties to the lower lane.
[[gnu::always_inline]] inline std::size_t nearest_listed_portable(
    const float* grid, const float* norms, const float* v, std::size_t dims,
    std::span<const std::uint8_t> lanes) noexcept {
    float weight[CurveCells::kMaxDims];
    for (std::size_t d = 0; d < dims; ++d) weight[d] = -2.0f * v[d];
    float best_score = INFINITY;
    std::size_t best = 0;
    for (const std::uint8_t lane : lanes) {
        float score = norms[lane];
        for (std::size_t d = 0; d < dims; ++d)
            score = __builtin_fmaf(grid[d * CurveMatcher::kLanes + lane], weight[d], score);
        if (score < best_score) {
            best_score = score;
            best = lane;
        }
    }
    return best;
}

#if defined(__x86_64__)
// The same search with AVX2 and FMA: 8 curves per instruction, 64 curves per pass so the
// accumulators stay in registers. Chosen at run time when the CPU has them.
__attribute__((target("avx2,fma"))) std::size_t nearest_lane_avx2(const float* grid,
                                                                  const float* norms,
                                                                  const float* v,
                                                                  std::size_t rows) noexcept {
    constexpr std::size_t kPass = 64;
    __m256 best_score = _mm256_set1_ps(INFINITY);
    __m256i best_index = _mm256_setzero_si256();
    const __m256i lane_offsets = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    for (std::size_t base = 0; base < CurveMatcher::kLanes; base += kPass) {
        __m256 acc[kPass / 8];
        for (std::size_t j = 0; j < kPass / 8; ++j) acc[j] = _mm256_load_ps(norms + base + 8 * j);
        for (std::size_t i = 0; i < rows; ++i) {
            const __m256 weight = _mm256_set1_ps(-2.0f * v[i]);
            const float* row = grid + i * CurveMatcher::kLanes + base;
            for (std::size_t j = 0; j < kPass / 8; ++j)
                acc[j] = _mm256_fmadd_ps(_mm256_load_ps(row + 8 * j), weight, acc[j]);
        }
        for (std::size_t j = 0; j < kPass / 8; ++j) {
            const __m256 better = _mm256_cmp_ps(acc[j], best_score, _CMP_LT_OQ);
            best_score = _mm256_blendv_ps(best_score, acc[j], better);
            const __m256i index =
                _mm256_add_epi32(_mm256_set1_epi32(static_cast<int>(base + 8 * j)), lane_offsets);
            best_index = _mm256_castps_si256(_mm256_blendv_ps(_mm256_castsi256_ps(best_index),
                                                              _mm256_castsi256_ps(index), better));
        }
    }
    alignas(32) float scores[8];
    alignas(32) std::int32_t indices[8];
    _mm256_store_ps(scores, best_score);
    _mm256_store_si256(reinterpret_cast<__m256i*>(indices), best_index);
    std::size_t best = 0;
    for (std::size_t k = 1; k < 8; ++k) {
        if (scores[k] < scores[best] || (scores[k] == scores[best] && indices[k] < indices[best]))
            best = k;
    }
    return static_cast<std::size_t>(indices[best]);
}

// GCC 12's AVX-512 intrinsics start from _mm512_undefined_ps(), which -Wuninitialized flags.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
// AVX-512: 16 curves per instruction, all 256 in 16 accumulators at once (AVX-512 has 32
// registers). The least score is found by a tree of minima, then the first lane holding it: the
// lowest id among ties, as in the other kernels.
__attribute__((target("avx512f"))) std::size_t nearest_lane_avx512(const float* grid,
                                                                   const float* norms,
                                                                   const float* v,
                                                                   std::size_t rows) noexcept {
    constexpr std::size_t kVectors = CurveMatcher::kLanes / 16;
    __m512 acc[kVectors];
    for (std::size_t j = 0; j < kVectors; ++j) acc[j] = _mm512_load_ps(norms + 16 * j);
    for (std::size_t i = 0; i < rows; ++i) {
        const __m512 weight = _mm512_set1_ps(-2.0f * v[i]);
        const float* row = grid + i * CurveMatcher::kLanes;
        for (std::size_t j = 0; j < kVectors; ++j)
            acc[j] = _mm512_fmadd_ps(_mm512_load_ps(row + 16 * j), weight, acc[j]);
    }
    __m512 least[kVectors / 2];
    for (std::size_t j = 0; j < kVectors / 2; ++j)
        least[j] = _mm512_min_ps(acc[j], acc[j + kVectors / 2]);
    for (std::size_t width = kVectors / 4; width > 0; width /= 2) {
        for (std::size_t j = 0; j < width; ++j)
            least[j] = _mm512_min_ps(least[j], least[j + width]);
    }
    // Every lane of target ends up holding the least of least[0]'s lanes (swapping halves,
    // quarters, pairs and neighbours).
    __m512 target = least[0];
    target = _mm512_min_ps(target, _mm512_shuffle_f32x4(target, target, 0x4E));
    target = _mm512_min_ps(target, _mm512_shuffle_f32x4(target, target, 0xB1));
    target = _mm512_min_ps(target, _mm512_permute_ps(target, 0x4E));
    target = _mm512_min_ps(target, _mm512_permute_ps(target, 0xB1));
    for (std::size_t j = 0; j < kVectors; ++j) {
        const __mmask16 hit = _mm512_cmp_ps_mask(acc[j], target, _CMP_EQ_OQ);
        if (hit != 0) return 16 * j + static_cast<std::size_t>(__builtin_ctz(hit));
    }
    return 0;  // unreachable: some lane holds the least score
}
#pragma GCC diagnostic pop

// The same, its fused multiply-adds inlined as instructions (the portable one calls libm on x86).
__attribute__((target("fma"))) std::size_t nearest_listed_fma(
    const float* grid, const float* norms, const float* v, std::size_t dims,
    std::span<const std::uint8_t> lanes) noexcept {
    return nearest_listed_portable(grid, norms, v, dims, lanes);
}
#endif

// Segments are normalised to run from 0 to 1; the cells cover targets this far beyond, which peak
// segmentation hardly ever leaves (a target outside takes the full search).
constexpr double kCellMargin = 1.0 / 16.0;
// Cells per lattice by axis count: lists of a few curves while the lattice stays in cache.
constexpr std::size_t kLatticeCells[CurveCells::kMaxDims + 1] = {0, 1024, 16384};

}  // namespace

// Principal axes of the bank's curves on the grid for n: the search runs on each curve's
// coordinates along the few axes that hold almost all of the bank's variance, instead of on all
// n - 1 points. Squared distances are preserved up to the bank's energy off those axes, which is
// kept below kResidualShare of its total (the choice differs from the full search only between
// curves that fit within that margin of each other).
struct CurveMatcher::Tables {
    Reduced reduced[kExactPoints + 1];
    CurveCells cells[kExactPoints + 1];  // grids of at most CurveCells::kMaxDims axes
    CurveBlocks blocks[kExactPoints + 1];
    // grid: the bank at the n - 1 interior points of grid n, point-major over kLanes.
    void reduce_grid(std::size_t n, const float* grid);
    void build_cells(std::size_t n);
};

// The lattice covers every target in [-kCellMargin, 1 + kCellMargin] at each point of the grid:
// its box is that cube's image on the principal axes, cut into cells of equal width.
void CurveMatcher::Tables::build_cells(std::size_t n) {
    const Reduced& r = reduced[n];
    const std::size_t rows = n - 1;
    if (r.dims > CurveCells::kMaxDims) return;
    double lo[CurveCells::kMaxDims], hi[CurveCells::kMaxDims];
    double volume = 1.0;
    for (std::size_t d = 0; d < r.dims; ++d) {
        lo[d] = hi[d] = 0.0;
        for (std::size_t i = 0; i < rows; ++i) {
            const double axis = r.axes[d * rows + i];
            const double a = axis * (-kCellMargin - r.centre[i]);
            const double b = axis * (1.0 + kCellMargin - r.centre[i]);
            lo[d] += std::min(a, b);
            hi[d] += std::max(a, b);
        }
        volume *= hi[d] - lo[d];
    }
    const double width = std::pow(volume / static_cast<double>(kLatticeCells[r.dims]),
                                  1.0 / static_cast<double>(r.dims));
    std::size_t count[CurveCells::kMaxDims];
    for (std::size_t d = 0; d < r.dims; ++d)
        count[d] = std::max<std::size_t>(
            1, static_cast<std::size_t>(std::lround((hi[d] - lo[d]) / width)));
    cells[n] = CurveCells(r.dims, r.coords.data(), r.norms.data(), kLanes, kBankCurves,
                          std::span(lo, r.dims), std::span(hi, r.dims), std::span(count, r.dims));
}

void CurveMatcher::Tables::reduce_grid(std::size_t n, const float* grid) {
    const std::size_t rows = n - 1;
    Eigen::MatrixXd centred(rows, kBankCurves);
    Eigen::VectorXd mean = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(rows));
    for (std::size_t i = 0; i < rows; ++i) {
        for (std::size_t k = 0; k < kBankCurves; ++k)
            mean[static_cast<Eigen::Index>(i)] += grid[i * kLanes + k];
    }
    mean /= static_cast<double>(kBankCurves);
    for (std::size_t i = 0; i < rows; ++i) {
        for (std::size_t k = 0; k < kBankCurves; ++k) {
            centred(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(k)) =
                grid[i * kLanes + k] - mean[static_cast<Eigen::Index>(i)];
        }
    }
    const Eigen::JacobiSVD<Eigen::MatrixXd> svd(centred, Eigen::ComputeThinU);
    const Eigen::VectorXd energy = svd.singularValues().array().square();
    const double total = energy.sum();
    std::size_t dims = 0;
    double kept = 0.0;
    while (dims < rows && (dims == 0 || total - kept > kResidualShare * total))
        kept += energy[static_cast<Eigen::Index>(dims++)];
    Reduced& r = reduced[n];
    r.dims = dims;
    r.axes.assign(dims * rows, 0.0f);
    r.centre.assign(rows, 0.0f);
    for (std::size_t i = 0; i < rows; ++i)
        r.centre[i] = static_cast<float>(mean[static_cast<Eigen::Index>(i)]);
    for (std::size_t d = 0; d < dims; ++d) {
        for (std::size_t i = 0; i < rows; ++i) {
            r.axes[d * rows + i] = static_cast<float>(
                svd.matrixU()(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(d)));
        }
    }
    r.axes_by_row.assign(rows * kProjectLanes, 0.0f);
    for (std::size_t d = 0; d < std::min(dims, kProjectLanes); ++d) {
        for (std::size_t i = 0; i < rows; ++i)
            r.axes_by_row[i * kProjectLanes + d] = r.axes[d * rows + i];
    }
    // Coordinates of every curve, point-major like the full grid, and their squared norms.
    r.coords.assign(dims * kLanes, 0.0f);
    r.norms.assign(kLanes, kNeverChosen);
    for (std::size_t k = 0; k < kBankCurves; ++k) {
        double norm = 0.0;
        for (std::size_t d = 0; d < dims; ++d) {
            double c = 0.0;
            for (std::size_t i = 0; i < rows; ++i)
                c += r.axes[d * rows + i] * (grid[i * kLanes + k] - r.centre[i]);
            r.coords[d * kLanes + k] = static_cast<float>(c);
            norm += c * c;
        }
        r.norms[k] = static_cast<float>(norm);
    }
}

std::shared_ptr<const CurveMatcher::Tables> CurveMatcher::tables_for(const CurveBank& bank) {
    static std::mutex mutex;
    static std::map<const CurveBank*, std::shared_ptr<const Tables>> cache;
    const std::lock_guard lock(mutex);
    auto& entry = cache[&bank];
    if (entry) return entry;
    auto tables = std::make_shared<Tables>();
    // The bank on each grid is only needed to build the reduced tables.
    std::vector<float> grid;
    for (std::size_t n = 2; n <= kExactPoints; ++n) {
        grid.assign((n - 1) * kLanes, 0.0f);
        for (std::size_t i = 0; i + 1 < n; ++i) {
            const float t = static_cast<float>(i + 1) / static_cast<float>(n);
            for (std::size_t k = 0; k < kBankCurves; ++k) {
                grid[i * kLanes + k] = bank.value(static_cast<std::uint8_t>(k + 1), t);
            }
        }
        tables->reduce_grid(n, grid.data());
        tables->build_cells(n);
        const Reduced& r = tables->reduced[n];
        tables->blocks[n] = CurveBlocks(r.dims, r.coords.data(), r.norms.data(), kBankCurves);
    }
    entry = std::move(tables);
    return entry;
}

CurveMatcher::CurveMatcher(const CurveBank& bank)
    : bank_(&bank), tables_(tables_for(bank)), path_(simd_path()) {
    nearest_ = &nearest_lane_portable;
    listed_ = &nearest_listed_portable;
#if defined(__x86_64__)
    if (path_ >= SimdPath::kAvx2) {
        nearest_ = &nearest_lane_avx2;
        listed_ = &nearest_listed_fma;
    }
    if (path_ >= SimdPath::kAvx512) nearest_ = &nearest_lane_avx512;
#endif
}

std::size_t CurveMatcher::search_dims(std::size_t n) const noexcept {
    return tables_->reduced[std::clamp<std::size_t>(n, 2, kExactPoints)].dims;
}

double CurveMatcher::mean_candidates(std::size_t n) const noexcept {
    return tables_->cells[std::clamp<std::size_t>(n, 2, kExactPoints)].mean_candidates();
}

// The segment's coordinates on the principal axes of grid `rows + 1`, from its normalised targets
// (the same float operations in the same order for every grid, kRows fixing the count for the
// short grids at compile time; 0: rows at run time).
template <std::size_t kRows>
void CurveMatcher::project(const Reduced& r, const float* v, std::size_t rows,
                           float* coords) const noexcept {
    if constexpr (kRows > 0) rows = kRows;
#if defined(__x86_64__)
    if (kRows == 0 && r.dims <= kProjectLanes && path_ != SimdPath::kPortable) {
        // All axes at once, row by row: each lane adds its products (rounded apart: SSE has no
        // fused multiply-add) in the order of the loop below, so the coordinates are the same.
        __m128 low = _mm_setzero_ps(), high = _mm_setzero_ps();
        for (std::size_t i = 0; i < rows; ++i) {
            const __m128 u = _mm_set1_ps(v[i] - r.centre[i]);
            const float* axes = r.axes_by_row.data() + i * kProjectLanes;
            low = _mm_add_ps(low, _mm_mul_ps(_mm_loadu_ps(axes), u));
            high = _mm_add_ps(high, _mm_mul_ps(_mm_loadu_ps(axes + 4), u));
        }
        alignas(16) float c[kProjectLanes];
        _mm_store_ps(c, low);
        _mm_store_ps(c + 4, high);
        std::copy(c, c + r.dims, coords);
        return;
    }
#endif
    for (std::size_t d = 0; d < r.dims; ++d) {
        float c = 0.0f;
        for (std::size_t i = 0; i < rows; ++i) c += r.axes[d * rows + i] * (v[i] - r.centre[i]);
        coords[d] = c;
    }
}

std::size_t CurveMatcher::search(std::size_t n, const float* coords) const noexcept {
#if defined(__x86_64__)
    if (path_ >= SimdPath::kAvx512) return tables_->blocks[n].nearest(coords);
#endif
    const Reduced& r = tables_->reduced[n];
    return nearest_(r.coords.data(), r.norms.data(), coords, r.dims);
}

std::size_t CurveMatcher::coordinates(std::span<const float> samples, float from, float inv_height,
                                      float* coords) const noexcept {
    const std::size_t n = samples.size();
    // Normalised targets at the interior points (t = 1 is 1 for every curve and is left out).
    alignas(64) float v[kExactPoints];
    if (n <= 3) {
        // The short grids, most segments of speech: the same arithmetic, unrolled.
        for (std::size_t i = 0; i + 1 < n; ++i) v[i] = (samples[i] - from) * inv_height;
        if (n == 2) {
            project<1>(tables_->reduced[2], v, 1, coords);
        } else {
            project<2>(tables_->reduced[3], v, 2, coords);
        }
        return n;
    }
    std::size_t rows = 0;
    if (n <= kExactPoints) {
        rows = n - 1;
        for (std::size_t i = 0; i < rows; ++i) v[i] = (samples[i] - from) * inv_height;
    } else {
        rows = kExactPoints - 1;
        const float step = static_cast<float>(n) / static_cast<float>(kExactPoints);
        for (std::size_t j = 0; j < rows; ++j) {
            // Sample index x with (x + 1) / n = (j + 1) / kExactPoints; index -1 is `from` itself.
            // x >= step - 1 > 0, so truncation is the floor.
            const float x = static_cast<float>(j + 1) * step - 1.0f;
            const auto lo = static_cast<std::ptrdiff_t>(x);
            const float frac = x - static_cast<float>(lo);
            const float a = lo < 0 ? from : samples[static_cast<std::size_t>(lo)];
            const float b = samples[static_cast<std::size_t>(lo + 1)];
            v[j] = (a + (b - a) * frac - from) * inv_height;
        }
    }
    // The segment's coordinates on the bank's principal axes for this grid.
    project<0>(tables_->reduced[rows + 1], v, rows, coords);
    return rows + 1;
}

void CurveMatcher::prepare(std::span<const float> samples, float from, float to,
                           Target& target) const noexcept {
    const float height = to - from;
    target.grid = samples.size() < 2 || height == 0.0f
                      ? 0
                      : coordinates(samples, from, 1.0f / height, target.coords);
}

std::uint8_t CurveMatcher::choose(const Target& target) const noexcept {
    if (target.grid == 0) return bank_->linear_curve();
    // Short segments: only the curves listed for the target's cell can be the sweep's choice.
    const auto listed = tables_->cells[target.grid].candidates(target.coords);
    if (listed.size() == 1) return static_cast<std::uint8_t>(listed[0] + 1);
    if (!listed.empty()) {
        const Reduced& r = tables_->reduced[target.grid];
        return static_cast<std::uint8_t>(
            listed_(r.coords.data(), r.norms.data(), target.coords, r.dims, listed) + 1);
    }
    return static_cast<std::uint8_t>(search(target.grid, target.coords) + 1);
}

std::uint8_t CurveMatcher::best(std::span<const float> samples, float from,
                                float to) const noexcept {
    Target target;
    prepare(samples, from, to, target);
    return choose(target);
}

std::uint8_t CurveMatcher::best_by_sweep(std::span<const float> samples, float from,
                                         float to) const noexcept {
    Target target;
    prepare(samples, from, to, target);
    if (target.grid == 0) return bank_->linear_curve();
    const Reduced& r = tables_->reduced[target.grid];
    return static_cast<std::uint8_t>(
        nearest_(r.coords.data(), r.norms.data(), target.coords, r.dims) + 1);
}

}  // namespace extrema::codec
