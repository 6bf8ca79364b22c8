#pragma once
// 8-bit palettised BMP (BITMAPINFOHEADER, uncompressed), the image format of the spectrograms.
//
// Why BMP: every browser decodes it, the encoder is a few lines with no compression library, and
// a palettised image costs one byte per pixel, so a spectrogram's size is fixed by its pixel grid
// (not by the input's length). A PNG would need zlib for any gain; a canvas drawn by script would
// make the page depend on JavaScript. The page stays script-free.
#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "extrema/report/colormap.h"

namespace extrema::report {

// `pixels`: width * height palette indices, row-major, top row first. Throws std::invalid_argument
// on a size mismatch or an empty image.
std::vector<std::uint8_t> bmp_indexed(std::uint32_t width, std::uint32_t height,
                                      std::span<const std::uint8_t> pixels,
                                      const std::array<Rgb, 256>& palette);

}  // namespace extrema::report
