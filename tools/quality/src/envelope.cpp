#include "envelope.h"

#include <kissfft.hh>

#include <algorithm>
#include <complex>
#include <map>
#include <utility>

namespace extrema::quality::visqol {
namespace {

using Complex = std::complex<double>;

// 2^16-sample blocks (4 s at 16 kHz) less 2^12 samples (0.26 s) trimmed on each side: the
// analytic signal's edge error has decayed well within that, and alignment needs no more.
constexpr std::size_t kBlock = 1 << 16;
constexpr std::size_t kMargin = 1 << 12;

// Analytic-signal magnitude of `x` (already mean-removed), zero-padded to a power of two so any
// length transforms fast.
void analytic_magnitude(const std::vector<double>& x, std::vector<double>& out) {
    std::size_t n = 1;
    while (n < x.size()) n *= 2;
    std::vector<Complex> in(n), spectrum(n);
    for (std::size_t i = 0; i < x.size(); ++i) in[i] = x[i];
    // Plans are built once per size and thread: their twiddle tables cost as much as a transform.
    thread_local std::map<std::size_t, std::pair<kissfft<double>, kissfft<double>>> plans;
    auto plan = plans.find(n);
    if (plan == plans.end()) {
        plan = plans.try_emplace(n, kissfft<double>(n, false), kissfft<double>(n, true)).first;
    }
    plan->second.first.transform(in.data(), spectrum.data());
    // Keep DC (and Nyquist for even n), double the positive frequencies, drop the negative ones.
    for (std::size_t k = 1; k < n; ++k) {
        const bool positive = 2 * k < n;
        const bool nyquist = 2 * k == n;
        spectrum[k] *= positive ? 2.0 : (nyquist ? 1.0 : 0.0);
    }
    plan->second.second.transform(spectrum.data(), in.data());
    out.resize(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) out[i] = std::abs(in[i]) / static_cast<double>(n);
}

}  // namespace

std::vector<float> upper_envelope(std::span<const float> x) {
    const std::size_t n = x.size();
    std::vector<float> env(n, 0.0F);
    if (n == 0) return env;
    double mean = 0.0;
    for (const float v : x) mean += v;
    mean /= static_cast<double>(n);
    std::vector<double> block, magnitude;
    if (n <= kBlock) {
        block.resize(n);
        for (std::size_t i = 0; i < n; ++i) block[i] = x[i] - mean;
        analytic_magnitude(block, magnitude);
        for (std::size_t i = 0; i < n; ++i) env[i] = static_cast<float>(magnitude[i] + mean);
        return env;
    }
    const std::size_t keep = kBlock - 2 * kMargin;
    for (std::size_t out_begin = 0; out_begin < n; out_begin += keep) {
        const std::size_t in_begin = out_begin >= kMargin ? out_begin - kMargin : 0;
        const std::size_t in_end = std::min(n, in_begin + kBlock);
        block.resize(in_end - in_begin);
        for (std::size_t i = in_begin; i < in_end; ++i) block[i - in_begin] = x[i] - mean;
        analytic_magnitude(block, magnitude);
        const std::size_t out_end = std::min(n, out_begin + keep);
        for (std::size_t i = out_begin; i < out_end; ++i) {
            env[i] = static_cast<float>(magnitude[i - in_begin] + mean);
        }
    }
    return env;
}

}  // namespace extrema::quality::visqol
