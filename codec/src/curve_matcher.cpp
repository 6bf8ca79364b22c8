#include "extrema/codec/curve_matcher.h"

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
// curve, so the search minimises score_k = |C_k|^2 - 2 v.C_k: one multiply-add per point and curve.
// Point-major layout: row i holds C_k(t_i) for k = 0..255 contiguously. Ties go to the lower id.
std::size_t nearest_lane_portable(const float* grid, const float* norms, const float* v,
                                  std::size_t rows) noexcept {
    alignas(64) std::array<float, CurveMatcher::kLanes> score;
    std::copy(norms, norms + CurveMatcher::kLanes, score.begin());
    for (std::size_t i = 0; i < rows; ++i) {
        const float weight = -2.0f * v[i];
        const float* row = grid + i * CurveMatcher::kLanes;
        for (std::size_t k = 0; k < CurveMatcher::kLanes; ++k) score[k] += weight * row[k];
    }
    return static_cast<std::size_t>(std::min_element(score.begin(), score.end()) - score.begin());
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

// AVX-512: 16 curves per instruction, 128 per pass.
__attribute__((target("avx512f"))) std::size_t nearest_lane_avx512(const float* grid,
                                                                   const float* norms,
                                                                   const float* v,
                                                                   std::size_t rows) noexcept {
    constexpr std::size_t kPass = 128;
    __m512 best_score = _mm512_set1_ps(INFINITY);
    __m512i best_index = _mm512_setzero_si512();
    const __m512i lane_offsets =
        _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    for (std::size_t base = 0; base < CurveMatcher::kLanes; base += kPass) {
        __m512 acc[kPass / 16];
        for (std::size_t j = 0; j < kPass / 16; ++j) acc[j] = _mm512_load_ps(norms + base + 16 * j);
        for (std::size_t i = 0; i < rows; ++i) {
            const __m512 weight = _mm512_set1_ps(-2.0f * v[i]);
            const float* row = grid + i * CurveMatcher::kLanes + base;
            for (std::size_t j = 0; j < kPass / 16; ++j)
                acc[j] = _mm512_fmadd_ps(_mm512_load_ps(row + 16 * j), weight, acc[j]);
        }
        for (std::size_t j = 0; j < kPass / 16; ++j) {
            const __mmask16 better = _mm512_cmp_ps_mask(acc[j], best_score, _CMP_LT_OQ);
            best_score = _mm512_mask_mov_ps(best_score, better, acc[j]);
            const __m512i index =
                _mm512_add_epi32(_mm512_set1_epi32(static_cast<int>(base + 16 * j)), lane_offsets);
            best_index = _mm512_mask_mov_epi32(best_index, better, index);
        }
    }
    alignas(64) float scores[16];
    alignas(64) std::int32_t indices[16];
    _mm512_store_ps(scores, best_score);
    _mm512_store_si512(indices, best_index);
    std::size_t best = 0;
    for (std::size_t k = 1; k < 16; ++k) {
        if (scores[k] < scores[best] || (scores[k] == scores[best] && indices[k] < indices[best]))
            best = k;
    }
    return static_cast<std::size_t>(indices[best]);
}
#endif

}  // namespace

// Principal axes of the bank's curves on the grid for n: the search runs on each curve's
// coordinates along the few axes that hold almost all of the bank's variance, instead of on all
// n - 1 points. Squared distances are preserved up to the bank's energy off those axes, which is
// kept below kResidualShare of its total (the choice differs from the full search only between
// curves that fit within that margin of each other).
struct CurveMatcher::Tables {
    std::vector<float, AlignedAllocator<float>>
        grids;                               // concatenated grids for n = 2..kExactPoints
    std::size_t offset[kExactPoints + 1]{};  // where the grid for n starts in grids
    Reduced reduced[kExactPoints + 1];
    void reduce_grid(std::size_t n);
};

void CurveMatcher::Tables::reduce_grid(std::size_t n) {
    const std::size_t rows = n - 1;
    const float* grid = grids.data() + offset[n];
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
    std::size_t total = 0;
    for (std::size_t n = 2; n <= kExactPoints; ++n) {
        tables->offset[n] = total;
        total += (n - 1) * kLanes;
    }
    tables->grids.assign(total, 0.0f);
    for (std::size_t n = 2; n <= kExactPoints; ++n) {
        float* grid = tables->grids.data() + tables->offset[n];
        for (std::size_t i = 0; i + 1 < n; ++i) {
            const float t = static_cast<float>(i + 1) / static_cast<float>(n);
            for (std::size_t k = 0; k < kBankCurves; ++k) {
                grid[i * kLanes + k] = bank.value(static_cast<std::uint8_t>(k + 1), t);
            }
        }
        tables->reduce_grid(n);
    }
    entry = std::move(tables);
    return entry;
}

CurveMatcher::CurveMatcher(const CurveBank& bank) : bank_(&bank), tables_(tables_for(bank)) {
    nearest_ = &nearest_lane_portable;
#if defined(__x86_64__)
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        nearest_ = &nearest_lane_avx2;
    if (__builtin_cpu_supports("avx512f")) nearest_ = &nearest_lane_avx512;
#endif
}

std::size_t CurveMatcher::search_dims(std::size_t n) const noexcept {
    return tables_->reduced[std::clamp<std::size_t>(n, 2, kExactPoints)].dims;
}

std::uint8_t CurveMatcher::best(std::span<const float> samples, float from,
                                float to) const noexcept {
    const std::size_t n = samples.size();
    const float height = to - from;
    if (n < 2 || height == 0.0f) return bank_->linear_curve();
    const float inv_height = 1.0f / height;

    // Normalised targets at the interior points (t = 1 is 1 for every curve and is left out).
    std::array<float, kExactPoints> v{};
    std::size_t rows = 0;
    if (n <= kExactPoints) {
        rows = n - 1;
        for (std::size_t i = 0; i < rows; ++i) v[i] = (samples[i] - from) * inv_height;
    } else {
        rows = kExactPoints - 1;
        const float step = static_cast<float>(n) / static_cast<float>(kExactPoints);
        for (std::size_t j = 0; j < rows; ++j) {
            // Sample index x with (x + 1) / n = (j + 1) / kExactPoints; index -1 is `from` itself.
            const float x = static_cast<float>(j + 1) * step - 1.0f;
            const auto lo = static_cast<std::ptrdiff_t>(std::floor(x));
            const float frac = x - static_cast<float>(lo);
            const float a = lo < 0 ? from : samples[static_cast<std::size_t>(lo)];
            const float b = samples[static_cast<std::size_t>(lo + 1)];
            v[j] = (a + (b - a) * frac - from) * inv_height;
        }
    }
    // Project the segment on the bank's principal axes for this grid, then search there.
    const Reduced& r = tables_->reduced[rows + 1];
    alignas(64) std::array<float, kExactPoints> coords{};
    for (std::size_t d = 0; d < r.dims; ++d) {
        float c = 0.0f;
        for (std::size_t i = 0; i < rows; ++i) c += r.axes[d * rows + i] * (v[i] - r.centre[i]);
        coords[d] = c;
    }
    const std::size_t lane = nearest_(r.coords.data(), r.norms.data(), coords.data(), r.dims);
    return static_cast<std::uint8_t>(lane + 1);
}

}  // namespace extrema::codec
