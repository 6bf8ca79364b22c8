#include "nsim.h"

#include <cmath>
#include <vector>

namespace extrema::quality::visqol {
namespace {

// A patch with one replicated frame and band on every side: (frames + 2) x (kBands + 2).
struct Padded {
    std::size_t width = 0;  // kBands + 2
    std::vector<double> v;
    double at(std::size_t t, std::size_t b) const { return v[t * width + b]; }
};

Padded pad(const Spectrogram& s, std::size_t start, std::size_t frames) {
    Padded p;
    p.width = kBands + 2;
    p.v.assign((frames + 2) * p.width, 0.0);
    for (std::size_t t = 0; t < frames; ++t) {
        const std::size_t f = start + t;
        for (std::size_t b = 0; b < kBands; ++b) {
            p.v[(t + 1) * p.width + b + 1] = f < s.frames ? s.at(f, b) : 0.0;
        }
    }
    for (std::size_t t = 1; t <= frames; ++t) {
        p.v[t * p.width] = p.v[t * p.width + 1];
        p.v[t * p.width + kBands + 1] = p.v[t * p.width + kBands];
    }
    for (std::size_t b = 0; b < p.width; ++b) {
        p.v[b] = p.v[p.width + b];
        p.v[(frames + 1) * p.width + b] = p.v[frames * p.width + b];
    }
    return p;
}

}  // namespace

PatchSimilarity nsim(const Spectrogram& ref, std::size_t ref_start, const Spectrogram& deg,
                     std::size_t deg_start, std::size_t frames) {
    const Padded r = pad(ref, ref_start, frames);
    const Padded d = pad(deg, deg_start, frames);
    PatchSimilarity out;
    for (std::size_t t = 0; t < frames; ++t) {
        for (std::size_t b = 0; b < kBands; ++b) {
            double mu_r = 0, mu_d = 0, rr = 0, dd = 0, rd = 0;
            for (std::size_t dt = 0; dt < 3; ++dt) {
                for (std::size_t db = 0; db < 3; ++db) {
                    const double w = dt == 1 && db == 1   ? kNsimCentre
                                     : dt == 1 || db == 1 ? kNsimEdge
                                                          : kNsimCorner;
                    const double x = r.at(t + dt, b + db);
                    const double y = d.at(t + dt, b + db);
                    mu_r += w * x;
                    mu_d += w * y;
                    rr += w * x * x;
                    dd += w * y * y;
                    rd += w * x * y;
                }
            }
            const double var_r = rr - mu_r * mu_r;
            const double var_d = dd - mu_d * mu_d;
            const double cov = rd - mu_r * mu_d;
            const double intensity =
                (2.0 * mu_r * mu_d + kNsimC1) / (mu_r * mu_r + mu_d * mu_d + kNsimC1);
            // Rounding can make the variance product a hair negative on flat (floored) regions.
            const double product = var_r * var_d;
            const double structure =
                (cov + kNsimC3) / ((product < 0.0 ? 0.0 : std::sqrt(product)) + kNsimC3);
            out.band_means[b] += intensity * structure;
        }
    }
    double total = 0.0;
    for (double& m : out.band_means) {
        m /= static_cast<double>(frames);
        total += m;
    }
    out.nsim = total / static_cast<double>(kBands);
    return out;
}

}  // namespace extrema::quality::visqol
