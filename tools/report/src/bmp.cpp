#include "extrema/report/bmp.h"

#include <stdexcept>

#include "extrema/codec/little_endian.h"

namespace extrema::report {

std::vector<std::uint8_t> bmp_indexed(std::uint32_t width, std::uint32_t height,
                                      std::span<const std::uint8_t> pixels,
                                      const std::array<Rgb, 256>& palette) {
    // 32768 x 32768 keeps every size below 2^31 (BMP fields are signed 32-bit).
    if (width == 0 || height == 0 || width > 32768 || height > 32768 ||
        pixels.size() != std::size_t{width} * height) {
        throw std::invalid_argument("bmp_indexed: bad image size");
    }
    constexpr std::uint32_t kFileHeader = 14, kInfoHeader = 40, kPalette = 256 * 4;
    constexpr std::uint32_t kPixelOffset = kFileHeader + kInfoHeader + kPalette;
    const std::uint32_t stride = (width + 3) / 4 * 4;  // rows are padded to 4 bytes
    const std::uint32_t image_bytes = stride * height;

    std::vector<std::uint8_t> out;
    out.reserve(kPixelOffset + image_bytes);
    out.push_back('B');
    out.push_back('M');
    codec::put_le(out, kPixelOffset + image_bytes, 4);
    codec::put_le(out, 0, 4);  // reserved
    codec::put_le(out, kPixelOffset, 4);
    codec::put_le(out, kInfoHeader, 4);
    codec::put_le(out, width, 4);
    codec::put_le(out, height, 4);  // positive: rows stored bottom-up
    codec::put_le(out, 1, 2);       // planes
    codec::put_le(out, 8, 2);       // bits per pixel
    codec::put_le(out, 0, 4);       // BI_RGB, uncompressed
    codec::put_le(out, image_bytes, 4);
    codec::put_le(out, 2835, 4);  // 72 dpi, informational
    codec::put_le(out, 2835, 4);
    codec::put_le(out, 256, 4);  // palette entries used
    codec::put_le(out, 0, 4);    // all important
    for (const Rgb& c : palette) {
        out.push_back(c.b);
        out.push_back(c.g);
        out.push_back(c.r);
        out.push_back(0);
    }
    for (std::uint32_t row = height; row-- > 0;) {
        const auto first = pixels.begin() + static_cast<std::ptrdiff_t>(std::size_t{row} * width);
        out.insert(out.end(), first, first + width);
        out.insert(out.end(), stride - width, std::uint8_t{0});
    }
    return out;
}

}  // namespace extrema::report
