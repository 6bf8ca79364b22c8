#pragma once
// The spectrogram palette: matplotlib's viridis (perceptually uniform, readable in grey and by
// colour-blind readers), interpolated between eight of its published colours.
#include <array>
#include <cstdint>
#include <string>

namespace extrema::report {

struct Rgb {
    std::uint8_t r = 0, g = 0, b = 0;
};

// t in [0, 1] (clamped): dark blue-violet at 0, yellow at 1.
Rgb viridis(double t) noexcept;
// viridis at 256 evenly spaced points: palette index i shows level i / 255.
std::array<Rgb, 256> viridis_palette() noexcept;
// "#rrggbb".
std::string css_hex(Rgb colour);

}  // namespace extrema::report
