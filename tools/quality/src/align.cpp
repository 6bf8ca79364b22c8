#include "extrema/quality/align.h"

#include <kissfft.hh>

#include <algorithm>
#include <cmath>
#include <complex>
#include <string>
#include <vector>

#include "checks.h"
#include "extrema/quality/error.h"

namespace extrema::quality {
namespace {

using Complex = std::complex<double>;

// Smallest n' >= n whose only prime factors are 2, 3 and 5: kissfft has dedicated butterflies for
// those, and this pads far less than the next power of two (at most ~11 % instead of up to 100 %).
std::size_t next_fast_size(std::size_t n) {
    std::size_t best = 1;
    while (best < n) best *= 2;
    for (std::size_t p5 = 1; p5 < best; p5 *= 5) {
        for (std::size_t p35 = p5; p35 < best; p35 *= 3) {
            std::size_t size = p35;
            while (size < n) size *= 2;
            best = std::min(best, size);
        }
    }
    return best;
}

// Start of the `window`-sample stretch of ref, beginning on a whole second, with the most energy;
// the earliest wins a tie. Speech files often open with silence, which would give no peak.
std::size_t loudest_window_start(std::span<const float> ref, std::size_t window,
                                 std::size_t block) {
    if (ref.size() <= window) return 0;
    std::vector<double> prefix(ref.size() + 1, 0.0);
    for (std::size_t i = 0; i < ref.size(); ++i)
        prefix[i + 1] = prefix[i] + double{ref[i]} * ref[i];
    std::size_t best_start = 0;
    double best_energy = -1.0;
    for (std::size_t start = 0; start + window <= ref.size(); start += block) {
        const double e = prefix[start + window] - prefix[start];
        if (e > best_energy) {
            best_energy = e;
            best_start = start;
        }
    }
    return best_start;
}

}  // namespace

std::int64_t estimate_delay_samples(std::span<const float> ref, std::span<const float> test,
                                    int rate_hz, double max_delay_s) {
    detail::require_rate(rate_hz);
    detail::require_signal(ref, "reference");
    detail::require_signal(test, "test");
    if (!(max_delay_s >= 0.0) || !std::isfinite(max_delay_s)) {
        throw QualityError("invalid maximum delay " + std::to_string(max_delay_s) + " s");
    }
    const double rate = static_cast<double>(rate_hz);
    // No lag beyond the two lengths can overlap; capping here also keeps llround in range.
    const auto max_lag = static_cast<std::int64_t>(
        std::llround(std::min(max_delay_s * rate, static_cast<double>(ref.size() + test.size()))));
    const auto window = std::min(
        ref.size(), static_cast<std::size_t>(std::llround(kAlignmentWindowSeconds * rate)));
    const auto start = static_cast<std::int64_t>(
        loudest_window_start(ref, window, static_cast<std::size_t>(rate_hz)));

    // The test stretch that any lag within the search range can reach.
    const auto test_len = static_cast<std::int64_t>(test.size());
    const std::int64_t test_begin = std::clamp<std::int64_t>(start - max_lag, 0, test_len);
    const std::int64_t test_end =
        std::clamp<std::int64_t>(start + static_cast<std::int64_t>(window) + max_lag, 0, test_len);
    if (test_end <= test_begin) {
        throw QualityError("signals do not overlap within the +/-" + std::to_string(max_delay_s) +
                           " s alignment search");
    }
    const auto la = static_cast<std::int64_t>(window);
    const std::int64_t lb = test_end - test_begin;

    // One complex FFT carries both real inputs: ref in the real part, test in the imaginary part.
    const std::size_t n = next_fast_size(static_cast<std::size_t>(la + lb - 1));
    std::vector<Complex> z(n);
    for (std::int64_t i = 0; i < la; ++i) z[static_cast<std::size_t>(i)].real(ref[start + i]);
    for (std::int64_t i = 0; i < lb; ++i) z[static_cast<std::size_t>(i)].imag(test[test_begin + i]);
    std::vector<Complex> spectrum(n);
    const kissfft<double> fft(n, /*inverse=*/false);
    fft.transform(z.data(), spectrum.data());

    // Split the two spectra (Hermitian symmetry of real signals) and form conj(A) * B, whose
    // inverse is c[m] = sum_i a[i] b[i + m]. The inverse is taken as a forward FFT of the
    // conjugate; c is real, and its 1/n scale does not move the peak.
    for (std::size_t k = 0; k < n; ++k) {
        const Complex zk = spectrum[k];
        const Complex zm = std::conj(spectrum[(n - k) % n]);
        const Complex a = 0.5 * (zk + zm);
        const Complex b = Complex(0.0, -0.5) * (zk - zm);
        z[k] = std::conj(std::conj(a) * b);
    }
    fft.transform(z.data(), spectrum.data());

    // test[start + i + lag] = b[start - test_begin + i + lag], so lag maps to m = lag + offset.
    const std::int64_t offset = start - test_begin;
    auto correlation_at = [&](std::int64_t lag, double& value) {
        const std::int64_t m = lag + offset;
        if (m <= -la || m >= lb) return false;
        const auto index = static_cast<std::size_t>(m >= 0 ? m : m + static_cast<std::int64_t>(n));
        value = spectrum[index].real();
        return true;
    };
    std::int64_t best_lag = 0;
    double best = 0.0;
    bool found = false;
    // Scan 0, -1, +1, -2, +2, ...: with a strict comparison, ties keep the smallest |lag|.
    for (std::int64_t distance = 0; distance <= max_lag; ++distance) {
        for (const std::int64_t lag : {-distance, distance}) {
            double value = 0.0;
            if (!correlation_at(lag, value)) continue;
            if (!found || value > best) {
                best = value;
                best_lag = lag;
                found = true;
            }
            if (distance == 0) break;
        }
    }
    if (!found) {
        throw QualityError("signals do not overlap within the alignment search range");
    }
    return best_lag;
}

AlignedPair align(std::span<const float> ref, std::span<const float> test,
                  std::int64_t delay_samples) {
    const auto ref_len = static_cast<std::int64_t>(ref.size());
    const auto test_len = static_cast<std::int64_t>(test.size());
    const std::int64_t ref_begin = delay_samples < 0 ? -delay_samples : 0;
    const std::int64_t test_begin = delay_samples > 0 ? delay_samples : 0;
    const std::int64_t length = std::min(ref_len - ref_begin, test_len - test_begin);
    if (length <= 0) {
        throw QualityError("signals do not overlap at a delay of " + std::to_string(delay_samples) +
                           " samples");
    }
    const auto count = static_cast<std::size_t>(length);
    return {ref.subspan(static_cast<std::size_t>(ref_begin), count),
            test.subspan(static_cast<std::size_t>(test_begin), count)};
}

}  // namespace extrema::quality
