#include "extrema/codec/curve_bank.h"

#include "extrema/codec/swing_bank.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <functional>
#include <numbers>

namespace extrema::codec {
namespace {

using Shape = std::function<double(double)>;

// Half-cosine ease: the exact shape of a sinusoid between a trough and the next crest.
double half_cosine(double u) {
    return 0.5 - 0.5 * std::cos(std::numbers::pi * u);
}

// Sharpness s in [0, 2]: 0 is a straight line, 1 the half-cosine, 2 the half-cosine applied twice
// (flatter ends, steeper middle), blending linearly in between. Every blend of monotone functions
// with positive weights is monotone.
double sharpen(double u, double s) {
    if (s <= 1.0) return (1.0 - s) * u + s * half_cosine(u);
    return (2.0 - s) * half_cosine(u) + (s - 1.0) * half_cosine(half_cosine(u));
}

// Skew b in [-1, 1]: a monotone warp of time, t + b t (1 - t), that moves the steepest part of the
// segment earlier (b > 0) or later (b < 0), as the asymmetric half-periods of speech do.
double skew(double t, double b) {
    return t + b * t * (1.0 - t);
}

// Standard bank (id 1):
//   ids   1..195: sharpness s_i = 2 i / 12 (i = 0..12) x skew b_j = -0.9 + 1.8 j / 14 (j = 0..14),
//                 C(t) = sharpen(skew(t, b_j), s_i), id = 1 + 15 i + j;
//   ids 196..225: C(t) = t^p_m,          p_m = 1.25 * (8 / 1.25)^(m / 29), m = 0..29;
//   ids 226..255: C(t) = 1 - (1 - t)^p_m, same p_m.
std::vector<Shape> standard_shapes() {
    std::vector<Shape> shapes;
    for (int i = 0; i <= 12; ++i) {
        for (int j = 0; j <= 14; ++j) {
            const double s = 2.0 * i / 12.0;
            const double b = -0.9 + 1.8 * j / 14.0;
            shapes.emplace_back([s, b](double t) { return sharpen(skew(t, b), s); });
        }
    }
    for (int m = 0; m < 30; ++m) {
        const double p = 1.25 * std::pow(8.0 / 1.25, m / 29.0);
        shapes.emplace_back([p](double t) { return std::pow(t, p); });
    }
    for (int m = 0; m < 30; ++m) {
        const double p = 1.25 * std::pow(8.0 / 1.25, m / 29.0);
        shapes.emplace_back([p](double t) { return 1.0 - std::pow(1.0 - t, p); });
    }
    return shapes;
}

// Power bank (id 2), the naive baseline: C(t) = t^p, p = 8^((k - 128) / 127), k = 1..255
// (from t^(1/8) through the line at k = 128 to t^8).
std::vector<Shape> power_shapes() {
    std::vector<Shape> shapes;
    for (int k = 1; k <= 255; ++k) {
        const double p = std::pow(8.0, (k - 128) / 127.0);
        shapes.emplace_back([p](double t) { return std::pow(t, p); });
    }
    return shapes;
}

// Swing bank (id 3), layout in swing_bank.h:
//   ids 1..63:    C(t) = sharpen(skew(t, b_j), s_i), s_i = 2 i / 6 (i = 0..6),
//                 b_j = -0.9 + 1.8 j / 8 (j = 0..8), id = 1 + 9 i + j;
//   ids 64..69:   C(t) = t^p_m,          p_m = 1.25 * (8 / 1.25)^(m / 5), m = 0..5;
//   ids 70..75:   C(t) = 1 - (1 - t)^p_m, same p_m;
//   ids 76..255:  swings, id = 76 + 20 a + k: with tau = tau_a and r = peak_k,
//                 C(t) = r h(t / tau) for t <= tau, r + (1 - r) h((t - tau) / (1 - tau)) after,
//                 h the half-cosine ease.
std::vector<Shape> swing_shapes() {
    std::vector<Shape> shapes;
    for (int i = 0; i < swing::kSharpnessSteps; ++i) {
        for (int j = 0; j < swing::kSkewSteps; ++j) {
            const double s = 2.0 * i / (swing::kSharpnessSteps - 1);
            const double b = -0.9 + 1.8 * j / (swing::kSkewSteps - 1);
            shapes.emplace_back([s, b](double t) { return sharpen(skew(t, b), s); });
        }
    }
    for (int flip = 0; flip < 2; ++flip) {
        for (int m = 0; m < swing::kPowerSteps; ++m) {
            const double p = 1.25 * std::pow(8.0 / 1.25, m / (swing::kPowerSteps - 1.0));
            if (flip == 0) {
                shapes.emplace_back([p](double t) { return std::pow(t, p); });
            } else {
                shapes.emplace_back([p](double t) { return 1.0 - std::pow(1.0 - t, p); });
            }
        }
    }
    for (int a = 0; a < swing::kTauSteps; ++a) {
        for (int k = 0; k < swing::kRatioSteps; ++k) {
            const double tau = swing::tau(a);
            const double r = swing::peak(k);
            shapes.emplace_back([tau, r](double t) {
                return t <= tau ? r * half_cosine(t / tau)
                                : r + (1.0 - r) * half_cosine((t - tau) / (1.0 - tau));
            });
        }
    }
    return shapes;
}

// Monotone banks are clamped to [0, 1] (against rounding); a swing bank's tables leave it.
std::vector<float> tabulate(const std::vector<Shape>& shapes, bool monotone = true) {
    assert(shapes.size() == kBankCurves);
    std::vector<float> tables(kBankCurves * kBankPoints);
    for (std::size_t k = 0; k < kBankCurves; ++k) {
        for (std::size_t j = 0; j < kBankPoints; ++j) {
            const double t = static_cast<double>(j) / (kBankPoints - 1);
            const double v = shapes[k](t);
            tables[k * kBankPoints + j] =
                static_cast<float>(monotone ? std::clamp(v, 0.0, 1.0) : v);
        }
        // The contract fixes the ends exactly, whatever the formula's rounding.
        tables[k * kBankPoints] = 0.0f;
        tables[k * kBankPoints + kBankPoints - 1] = 1.0f;
    }
    return tables;
}

}  // namespace

namespace swing {

double tau(int index) noexcept {
    return kTauLow + (kTauHigh - kTauLow) * index / (kTauSteps - 1);
}

double peak(int ratio_index) noexcept {
    const double q = -std::pow(10.0, -1.0 + (2.0 * ratio_index + 1.0) / kRatioSteps);
    return 1.0 / (1.0 + q);
}

}  // namespace swing

CurveBank::CurveBank(BankId id, std::string_view name, std::vector<float> tables)
    : id_(id), name_(name), tables_(std::move(tables)) {
    // The linear curve: least squared distance to t over the table.
    double best = INFINITY;
    for (std::size_t k = 0; k < kBankCurves; ++k) {
        double err = 0.0;
        for (std::size_t j = 0; j < kBankPoints; ++j) {
            const double d =
                tables_[k * kBankPoints + j] - static_cast<double>(j) / (kBankPoints - 1);
            err += d * d;
        }
        if (err < best) {
            best = err;
            linear_curve_ = static_cast<std::uint8_t>(k + 1);
        }
    }
    for (std::size_t n = 2; n <= kPrerenderedSamples; ++n) {
        const float step = static_cast<float>(kBankPoints - 1) / static_cast<float>(n);
        for (std::size_t k = 0; k < kBankCurves; ++k) {
            for (std::size_t i = 1; i < n; ++i) {
                prerendered_.push_back(
                    render_point(tables_.data() + k * kBankPoints, static_cast<float>(i), step));
            }
        }
    }
}

const CurveBank& CurveBank::standard() noexcept {
    static const CurveBank bank(BankId::kStandard, "standard-v1", tabulate(standard_shapes()));
    return bank;
}

const CurveBank& CurveBank::power() noexcept {
    static const CurveBank bank(BankId::kPower, "power-v1", tabulate(power_shapes()));
    return bank;
}

const CurveBank& CurveBank::swing() noexcept {
    static const CurveBank bank(BankId::kSwing, "swing-v1", tabulate(swing_shapes(), false));
    return bank;
}

const CurveBank& CurveBank::swing_monotone() noexcept {
    static const CurveBank bank = [] {
        const CurveBank& full = swing();
        std::vector<float> tables(full.tables_.begin(),
                                  full.tables_.begin() + swing::kMonotoneCurves * kBankPoints);
        const auto line = full.table(swing::kLinearCurve);
        while (tables.size() < kBankCurves * kBankPoints)
            tables.insert(tables.end(), line.begin(), line.end());
        return CurveBank(BankId::kSwing, "swing-v1-monotone", std::move(tables));
    }();
    return bank;
}

const CurveBank* CurveBank::find(std::uint16_t id) noexcept {
    switch (static_cast<BankId>(id)) {
        case BankId::kStandard:
            return &standard();
        case BankId::kPower:
            return &power();
        case BankId::kSwing:
            return &swing();
    }
    return nullptr;
}

float CurveBank::value(std::uint8_t curve_id, float t) const noexcept {
    const float* curve = tables_.data() + (curve_id - 1u) * kBankPoints;
    const float x = std::clamp(t, 0.0f, 1.0f) * static_cast<float>(kBankPoints - 1);
    const auto j = std::min(static_cast<std::size_t>(x), kBankPoints - 2);
    const float frac = x - static_cast<float>(j);
    return curve[j] + (curve[j + 1] - curve[j]) * frac;
}

std::uint64_t CurveBank::checksum() const noexcept {
    std::uint64_t hash = 0xcbf29ce484222325ull;
    for (const float v : tables_) {
        const auto q = static_cast<std::uint32_t>(std::lround(static_cast<double>(v) * (1 << 24)));
        for (int byte = 0; byte < 4; ++byte) {
            hash ^= (q >> (8 * byte)) & 0xFFu;
            hash *= 0x100000001b3ull;
        }
    }
    return hash;
}

}  // namespace extrema::codec
