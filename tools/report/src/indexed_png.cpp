#include "extrema/report/indexed_png.h"

#include <png.h>

#include <stdexcept>
#include <string>

namespace extrema::report {

std::vector<std::uint8_t> indexed_png(std::uint32_t width, std::uint32_t height,
                                      std::span<const std::uint8_t> pixels,
                                      const std::array<Rgb, 256>& palette) {
    // 32768 x 32768 keeps a row and the whole image within libpng's signed 32-bit counts.
    if (width == 0 || height == 0 || width > 32768 || height > 32768 ||
        pixels.size() != std::size_t{width} * height) {
        throw std::invalid_argument("indexed_png: bad image size");
    }
    std::array<std::uint8_t, 256 * 3> colours{};
    for (std::size_t i = 0; i < palette.size(); ++i) {
        colours[3 * i] = palette[i].r;
        colours[3 * i + 1] = palette[i].g;
        colours[3 * i + 2] = palette[i].b;
    }
    // libpng's simplified API: errors come back in image.message, no setjmp.
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    image.width = width;
    image.height = height;
    image.format = PNG_FORMAT_RGB_COLORMAP;
    image.colormap_entries = 256;
    png_alloc_size_t size = 0;
    if (!png_image_write_get_memory_size(image, size, 0, pixels.data(), 0, colours.data())) {
        throw std::runtime_error(std::string("indexed_png: libpng: ") + image.message);
    }
    std::vector<std::uint8_t> out(size);
    if (!png_image_write_to_memory(&image, out.data(), &size, 0, pixels.data(), 0,
                                   colours.data())) {
        throw std::runtime_error(std::string("indexed_png: libpng: ") + image.message);
    }
    out.resize(size);
    return out;
}

}  // namespace extrema::report
