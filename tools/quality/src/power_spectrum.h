#pragma once
// |X[k]|^2, k = 0..nfft/2, of a real frame zero-padded to nfft points (kissfft<double>).
// Reuses its buffers: one object per analysis loop, not thread-safe.
#include <kissfft.hh>

#include <complex>
#include <cstddef>
#include <span>
#include <vector>

namespace extrema::quality::detail {

class PowerSpectrum {
  public:
    explicit PowerSpectrum(std::size_t nfft);
    std::size_t bins() const noexcept { return nfft_ / 2 + 1; }
    // frame.size() <= nfft; power.size() == bins().
    void compute(std::span<const double> frame, std::span<double> power);

  private:
    std::size_t nfft_;
    kissfft<double> fft_;
    std::vector<std::complex<double>> in_;
    std::vector<std::complex<double>> out_;
};

// Smallest power of two >= n (n >= 1).
std::size_t next_power_of_two(std::size_t n);

}  // namespace extrema::quality::detail
