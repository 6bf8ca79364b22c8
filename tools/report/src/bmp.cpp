#include "extrema/report/bmp.h"

#include <stdexcept>

#include "extrema/codec/little_endian.h"

namespace extrema::report {
namespace {

void put_u16(std::vector<std::uint8_t>& out, std::uint32_t v) {
    codec::put_le(out, v, 2);
}
void put_u32(std::vector<std::uint8_t>& out, std::uint32_t v) {
    codec::put_le(out, v, 4);
}

}  // namespace

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
    put_u32(out, kPixelOffset + image_bytes);
    put_u32(out, 0);  // reserved
    put_u32(out, kPixelOffset);
    put_u32(out, kInfoHeader);
    put_u32(out, width);
    put_u32(out, height);  // positive: rows stored bottom-up
    put_u16(out, 1);       // planes
    put_u16(out, 8);       // bits per pixel
    put_u32(out, 0);       // BI_RGB, uncompressed
    put_u32(out, image_bytes);
    put_u32(out, 2835);  // 72 dpi, informational
    put_u32(out, 2835);
    put_u32(out, 256);  // palette entries used
    put_u32(out, 0);    // all important
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
