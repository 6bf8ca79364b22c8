#pragma once
// 8-bit palettised PNG (libpng), the image format of the spectrograms.
//
// Why a palette: a spectrogram has at most 256 colours (the colour map), so one byte per pixel
// before zlib; every browser decodes PNG, and an image keeps the page free of script (a canvas
// drawn by JavaScript would not).
#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "extrema/report/colormap.h"

namespace extrema::report {

// `pixels`: width * height palette indices, row-major, top row first. Throws std::invalid_argument
// on a size mismatch or an empty image, std::runtime_error if libpng fails.
std::vector<std::uint8_t> indexed_png(std::uint32_t width, std::uint32_t height,
                                      std::span<const std::uint8_t> pixels,
                                      const std::array<Rgb, 256>& palette);

}  // namespace extrema::report
