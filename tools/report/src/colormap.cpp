#include "extrema/report/colormap.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace extrema::report {

Rgb viridis(double t) noexcept {
    // viridis at 0, 1/7, ..., 1 (matplotlib's _viridis_data, rounded to 8 bits).
    static constexpr std::array<Rgb, 8> kStops = {{{0x44, 0x01, 0x54},
                                                   {0x46, 0x32, 0x7e},
                                                   {0x36, 0x5c, 0x8d},
                                                   {0x27, 0x7f, 0x8e},
                                                   {0x1f, 0xa1, 0x87},
                                                   {0x4a, 0xc1, 0x6d},
                                                   {0xa0, 0xda, 0x39},
                                                   {0xfd, 0xe7, 0x25}}};
    const double x = std::isnan(t) ? 0.0 : std::clamp(t, 0.0, 1.0) * (kStops.size() - 1);
    const auto i = std::min(static_cast<std::size_t>(x), kStops.size() - 2);
    const double f = x - static_cast<double>(i);
    const auto mix = [f](std::uint8_t a, std::uint8_t b) {
        return static_cast<std::uint8_t>(std::lround(a + (b - a) * f));
    };
    return {mix(kStops[i].r, kStops[i + 1].r), mix(kStops[i].g, kStops[i + 1].g),
            mix(kStops[i].b, kStops[i + 1].b)};
}

std::array<Rgb, 256> viridis_palette() noexcept {
    std::array<Rgb, 256> palette;
    for (std::size_t i = 0; i < palette.size(); ++i)
        palette[i] = viridis(static_cast<double>(i) / 255.0);
    return palette;
}

std::string css_hex(Rgb colour) {
    return fmt::format("#{:02x}{:02x}{:02x}", colour.r, colour.g, colour.b);
}

}  // namespace extrema::report
