#include "power_spectrum.h"

#include <algorithm>
#include <stdexcept>

namespace extrema::quality::detail {

PowerSpectrum::PowerSpectrum(std::size_t nfft)
    : nfft_(nfft), fft_(nfft, /*inverse=*/false), in_(nfft), out_(nfft) {}

void PowerSpectrum::compute(std::span<const double> frame, std::span<double> power) {
    if (frame.size() > nfft_ || power.size() != bins()) {
        throw std::logic_error("PowerSpectrum: frame or output size mismatch");
    }
    // Full complex FFT of a real frame: at these sizes (<= a few thousand points) the simplicity
    // beats the packed real transform.
    std::fill(in_.begin(), in_.end(), std::complex<double>{});
    std::copy(frame.begin(), frame.end(), in_.begin());
    fft_.transform(in_.data(), out_.data());
    for (std::size_t k = 0; k < power.size(); ++k) power[k] = std::norm(out_[k]);
}

std::size_t next_power_of_two(std::size_t n) {
    std::size_t p = 1;
    while (p < n) p *= 2;
    return p;
}

}  // namespace extrema::quality::detail
