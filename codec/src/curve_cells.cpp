#include "extrema/codec/curve_cells.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

namespace extrema::codec {
namespace {

// A query maps to its cell through float arithmetic that may round it across a cell border by a
// few ulps; each cell's list is built for the cell widened by this share of its width on each side.
constexpr double kBorderShare = 1.0 / 64.0;
// Rounding of one fused multiply-add is at most 2^-24 of its result; 2^-22 per axis leaves a
// factor 4 for the partial sums and the double arithmetic of the build.
constexpr double kRoundingPerAxis = 0x1p-22;

}  // namespace

CurveCells::CurveCells(std::size_t dims, const float* coords, const float* norms, std::size_t lanes,
                       std::size_t curves, std::span<const double> lo, std::span<const double> hi,
                       std::span<const std::size_t> cells)
    : dims_(dims) {
    assert(dims >= 1 && dims <= kMaxDims && curves <= 256);
    std::size_t total = 1;
    double max_coord[kMaxDims]{};
    for (std::size_t d = 0; d < dims; ++d) {
        lo_[d] = static_cast<float>(lo[d]);
        inv_width_[d] = static_cast<float>(static_cast<double>(cells[d]) / (hi[d] - lo[d]));
        count_[d] = static_cast<float>(cells[d]);
        stride_[d] = total;
        total *= cells[d];
        for (std::size_t k = 0; k < curves; ++k)
            max_coord[d] = std::max(max_coord[d], std::fabs(double{coords[d * lanes + k]}));
    }
    // norms_k - |x_k|^2: how far the stored norm is from the stored coordinates' own.
    std::vector<double> offset(curves);
    double max_norm = 0.0;
    for (std::size_t k = 0; k < curves; ++k) {
        double sq = 0.0;
        for (std::size_t d = 0; d < dims; ++d)
            sq += double{coords[d * lanes + k]} * coords[d * lanes + k];
        offset[k] = double{norms[k]} - sq;
        max_norm = std::max(max_norm, std::fabs(double{norms[k]}));
    }

    // A curve scored exactly like a lower one (same coordinates and norm: symmetric curves of the
    // bank meet at the middle point) loses every tie to it, so is never listed.
    std::vector<bool> shadowed(curves, false);
    for (std::size_t k = 0; k < curves; ++k) {
        for (std::size_t j = 0; j < k && !shadowed[k]; ++j) {
            bool same = norms[j] == norms[k];
            for (std::size_t d = 0; d < dims; ++d)
                same = same && coords[d * lanes + j] == coords[d * lanes + k];
            shadowed[k] = same;
        }
    }

    start_.assign(total + 1, 0);
    std::vector<double> least(curves);
    for (std::size_t cell = 0; cell < total; ++cell) {
        // The cell's box, as the float mapping in candidates() sees it, widened at the borders.
        double a[kMaxDims], b[kMaxDims];
        double bound = max_norm;
        for (std::size_t d = 0; d < dims; ++d) {
            const std::size_t i = cell / stride_[d] % cells[d];
            const double width = 1.0 / double{inv_width_[d]};
            a[d] = double{lo_[d]} + (static_cast<double>(i) - kBorderShare) * width;
            b[d] = double{lo_[d]} + (static_cast<double>(i) + 1.0 + kBorderShare) * width;
            bound += 2.0 * std::max(std::fabs(a[d]), std::fabs(b[d])) * max_coord[d];
        }
        bound *= kRoundingPerAxis * static_cast<double>(dims);
        // T_k's least and greatest value on the box, and U: the least greatest value.
        double best_worst = std::numeric_limits<double>::infinity();
        for (std::size_t k = 0; k < curves; ++k) {
            double near = offset[k], far = offset[k];
            for (std::size_t d = 0; d < dims; ++d) {
                const double x = coords[d * lanes + k];
                const double below = a[d] - x, above = x - b[d];
                const double gap = std::max({below, above, 0.0});
                near += gap * gap;
                far += std::max(below * below, above * above);
            }
            least[k] = near;
            best_worst = std::min(best_worst, far);
        }
        for (std::size_t k = 0; k < curves; ++k) {
            if (!shadowed[k] && least[k] <= best_worst + 2.0 * bound)
                lanes_.push_back(static_cast<std::uint8_t>(k));
        }
        start_[cell + 1] = static_cast<std::uint32_t>(lanes_.size());
    }
}

double CurveCells::mean_candidates() const noexcept {
    if (start_.size() < 2) return 0.0;
    return static_cast<double>(lanes_.size()) / static_cast<double>(start_.size() - 1);
}

}  // namespace extrema::codec
