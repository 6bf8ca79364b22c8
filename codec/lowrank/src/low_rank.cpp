// Truncated SVD and int16 quantisation of one matrix (Eigen's divide-and-conquer SVD).
#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "extrema/lowrank/svd_codec.h"

namespace extrema::lowrank {
namespace {

// Writes round(x / max|x| * 32767) and returns max|x| (0 for a zero vector, stored as zeros).
double quantize(const Eigen::Ref<const Eigen::VectorXd>& x, std::span<std::int16_t> out) {
    const double peak = x.cwiseAbs().maxCoeff();
    if (!(peak > 0.0)) {
        std::fill(out.begin(), out.end(), std::int16_t{0});
        return 0.0;
    }
    const double step = kXsvdQuantMax / peak;
    for (Eigen::Index i = 0; i < x.size(); ++i) {
        const long q = std::lround(x[i] * step);
        out[static_cast<std::size_t>(i)] =
            static_cast<std::int16_t>(std::clamp<long>(q, -kXsvdQuantMax, kXsvdQuantMax));
    }
    return peak;
}

}  // namespace

QuantizedFactors factorize(std::span<const double> column_major, std::uint32_t rows,
                           std::uint32_t cols, std::uint32_t rank) {
    if (column_major.size() != std::size_t{rows} * cols) {
        throw std::invalid_argument("factorize: matrix data does not match its shape");
    }
    if (rank < 1 || rank > std::min(rows, cols)) {
        throw std::invalid_argument("rank " + std::to_string(rank) + " is outside 1.." +
                                    std::to_string(std::min(rows, cols)) + " for a " +
                                    std::to_string(rows) + " x " + std::to_string(cols) +
                                    " matrix");
    }
    const Eigen::Map<const Eigen::MatrixXd> matrix(column_major.data(), rows, cols);
    const Eigen::BDCSVD<Eigen::MatrixXd> svd(matrix, Eigen::ComputeThinU | Eigen::ComputeThinV);
    QuantizedFactors f;
    f.rows = rows;
    f.cols = cols;
    f.rank = rank;
    f.scales.resize(rank);
    f.left.resize(std::size_t{rank} * rows);
    f.right.resize(std::size_t{rank} * cols);
    constexpr double kSteps2 = double{kXsvdQuantMax} * kXsvdQuantMax;
    for (std::uint32_t i = 0; i < rank; ++i) {
        const double u_peak =
            quantize(svd.matrixU().col(i), std::span(f.left).subspan(std::size_t{i} * rows, rows));
        const double v_peak =
            quantize(svd.matrixV().col(i), std::span(f.right).subspan(std::size_t{i} * cols, cols));
        f.scales[i] = static_cast<float>(svd.singularValues()[i] * u_peak * v_peak / kSteps2);
    }
    return f;
}

void reconstruct(const QuantizedFactors& f, std::span<double> column_major) {
    if (column_major.size() != std::size_t{f.rows} * f.cols ||
        f.left.size() != std::size_t{f.rank} * f.rows ||
        f.right.size() != std::size_t{f.rank} * f.cols || f.scales.size() != f.rank) {
        throw std::invalid_argument("reconstruct: factors do not match the matrix shape");
    }
    using Int16Matrix = Eigen::Matrix<std::int16_t, Eigen::Dynamic, Eigen::Dynamic>;
    const Eigen::Map<const Int16Matrix> left(f.left.data(), f.rows, f.rank);
    const Eigen::Map<const Int16Matrix> right(f.right.data(), f.cols, f.rank);
    const Eigen::Map<const Eigen::VectorXf> scales(f.scales.data(), f.rank);
    const Eigen::MatrixXd scaled_left = left.cast<double>() * scales.cast<double>().asDiagonal();
    Eigen::Map<Eigen::MatrixXd> out(column_major.data(), f.rows, f.cols);
    out.noalias() = scaled_left * right.cast<double>().transpose();
}

void reconstruct_column(const QuantizedFactors& f, std::uint32_t column, std::span<double> out) {
    if (out.size() != f.rows || column >= f.cols || f.left.size() != std::size_t{f.rank} * f.rows ||
        f.right.size() != std::size_t{f.rank} * f.cols || f.scales.size() != f.rank) {
        throw std::invalid_argument("reconstruct_column: factors do not match the column");
    }
    std::fill(out.begin(), out.end(), 0.0);
    for (std::uint32_t i = 0; i < f.rank; ++i) {
        const double weight = double{f.scales[i]} * f.right[std::size_t{i} * f.cols + column];
        if (weight == 0.0) continue;
        const std::int16_t* left = f.left.data() + std::size_t{i} * f.rows;
        for (std::uint32_t k = 0; k < f.rows; ++k) out[k] += weight * left[k];
    }
}

}  // namespace extrema::lowrank
