#include "extrema/lowrank/xsvd_format.h"

#include "extrema/codec/little_endian.h"
#include "extrema/codec/sample_rate.h"
#include "extrema/lowrank/stft.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <string>

namespace extrema::lowrank {
namespace {

using codec::get_le;
using codec::put_le;

std::uint64_t part_bytes(std::uint64_t rows, std::uint64_t cols, std::uint64_t rank) {
    return 4 * rank + 2 * (rows + cols) * rank;
}

void fail(const std::string& reason) {
    throw XsvdFormatError(reason);
}

XsvdHeader read_header(std::span<const std::uint8_t> bytes) {
    if (bytes.size() < 4 || std::memcmp(bytes.data(), kXsvdMagic, 4) != 0) {
        fail("not an .xsvd file (bad magic)");
    }
    if (bytes.size() < kXsvdHeaderBytes) fail("truncated header");
    const auto version = get_le(bytes, 4, 2);
    if (version != kXsvdVersion) {
        fail("unsupported .xsvd version " + std::to_string(version) + " (this build reads " +
             std::to_string(kXsvdVersion) + ")");
    }
    if (get_le(bytes, 6, 2) != kXsvdHeaderBytes) fail("inconsistent header size");
    const auto quant = get_le(bytes, 14, 2);
    if (quant != kXsvdQuantInt16) fail("unknown quantisation " + std::to_string(quant));
    if (get_le(bytes, 36, 4) != 0) fail("reserved header field is not zero");
    const auto channels = get_le(bytes, 12, 2);
    if (channels < 1 || channels > kMaxXsvdChannels) {
        fail("invalid channel count " + std::to_string(channels));
    }
    XsvdHeader h;
    h.sample_rate_hz = static_cast<std::uint32_t>(get_le(bytes, 8, 4));
    h.channels = static_cast<std::uint16_t>(channels);
    h.n_fft = static_cast<std::uint32_t>(get_le(bytes, 16, 4));
    h.hop = static_cast<std::uint32_t>(get_le(bytes, 20, 4));
    h.rank = static_cast<std::uint32_t>(get_le(bytes, 24, 4));
    h.block_frames = static_cast<std::uint32_t>(get_le(bytes, 28, 4));
    h.block_count = static_cast<std::uint32_t>(get_le(bytes, 32, 4));
    h.samples_per_channel = get_le(bytes, 40, 8);
    validate(h);
    const std::uint64_t expected = xsvd_file_bytes(h);
    if (bytes.size() < expected) {
        fail("truncated: header promises " + std::to_string(expected) + " bytes, file has " +
             std::to_string(bytes.size()));
    }
    if (bytes.size() > expected) {
        fail("unexpected " + std::to_string(bytes.size() - expected) +
             " bytes after the last block");
    }
    return h;
}

}  // namespace

std::uint64_t XsvdHeader::frames() const noexcept {
    return hop == 0 ? 0 : frame_count(StftConfig{n_fft, hop}, samples_per_channel);
}

std::uint64_t XsvdHeader::expected_block_count() const noexcept {
    return block_frames == 0 ? 0 : (frames() + block_frames - 1) / block_frames;
}

std::uint32_t XsvdHeader::block_columns(std::uint32_t block) const noexcept {
    const std::uint64_t first = std::uint64_t{block} * block_frames;
    const std::uint64_t total = frames();
    if (first >= total) return 0;
    return static_cast<std::uint32_t>(std::min<std::uint64_t>(block_frames, total - first));
}

std::uint32_t XsvdHeader::block_rank(std::uint32_t block) const noexcept {
    return std::min({rank, rows(), block_columns(block)});
}

void validate(const XsvdHeader& h) {
    if (!codec::valid_sample_rate(h.sample_rate_hz)) {
        fail("invalid sample rate " + std::to_string(h.sample_rate_hz));
    }
    if (h.channels < 1 || h.channels > kMaxXsvdChannels) {
        fail("invalid channel count " + std::to_string(h.channels));
    }
    try {
        validate(StftConfig{h.n_fft, h.hop});
    } catch (const std::invalid_argument& e) {
        fail(e.what());
    }
    if (h.block_frames < 1 || h.block_frames > kMaxXsvdBlockFrames) {
        fail("invalid frames per block " + std::to_string(h.block_frames));
    }
    if (std::uint64_t{h.rows()} * h.block_frames > kMaxXsvdBlockValues) {
        fail("blocks of " + std::to_string(h.rows()) + " x " + std::to_string(h.block_frames) +
             " values are over the limit of " + std::to_string(kMaxXsvdBlockValues) + " (n_fft " +
             std::to_string(h.n_fft) + ", " + std::to_string(h.block_frames) +
             " frames per block)");
    }
    if (h.rank < 1 || h.rank > std::min(h.rows(), h.block_frames)) {
        fail("invalid rank " + std::to_string(h.rank));
    }
    if (h.samples_per_channel > kMaxXsvdSamples) {
        fail("absurd sample count " + std::to_string(h.samples_per_channel));
    }
    const std::uint64_t blocks = h.expected_block_count();
    if (h.block_count != blocks) {
        fail("block count " + std::to_string(h.block_count) + " disagrees with " +
             std::to_string(h.samples_per_channel) + " samples (expected " +
             std::to_string(blocks) + ")");
    }
}

std::uint64_t xsvd_file_bytes(const XsvdHeader& h) noexcept {
    // Every block but the last is full; summing two kinds of block keeps this O(1).
    std::uint64_t total = kXsvdHeaderBytes + std::uint64_t{h.block_count} * kXsvdBlockHeaderBytes;
    if (h.block_count == 0) return total;
    const std::uint64_t per_block_parts = 2 * std::uint64_t{h.channels};
    const std::uint32_t last = h.block_count - 1;
    total += std::uint64_t{last} * per_block_parts *
             part_bytes(h.rows(), h.block_columns(0), h.block_rank(0));
    total += per_block_parts * part_bytes(h.rows(), h.block_columns(last), h.block_rank(last));
    return total;
}

void validate(const XsvdFile& file) {
    const XsvdHeader& h = file.header;
    validate(h);
    if (file.blocks.size() != h.block_count) fail("block count mismatch");
    for (std::uint32_t b = 0; b < h.block_count; ++b) {
        const XsvdBlock& block = file.blocks[b];
        const std::uint32_t cols = h.block_columns(b);
        const std::uint32_t rank = h.block_rank(b);
        if (block.frames != cols || block.rank != rank || block.parts.size() != 2u * h.channels) {
            fail("block " + std::to_string(b) + " disagrees with the header");
        }
        for (const QuantizedFactors& part : block.parts) {
            if (part.rows != h.rows() || part.cols != cols || part.rank != rank ||
                part.scales.size() != rank || part.left.size() != std::size_t{rank} * h.rows() ||
                part.right.size() != std::size_t{rank} * cols) {
                fail("factors of block " + std::to_string(b) + " have the wrong shape");
            }
        }
    }
}

std::vector<std::uint8_t> serialize_xsvd(const XsvdFile& file) {
    const XsvdHeader& h = file.header;
    try {
        validate(file);
    } catch (const XsvdFormatError& e) {
        fail(std::string("cannot write .xsvd: ") + e.what());
    }
    std::vector<std::uint8_t> out;
    out.reserve(xsvd_file_bytes(h));
    for (std::uint8_t byte : kXsvdMagic)
        out.push_back(byte);  // (insert trips GCC 12's overflow lint)
    put_le(out, kXsvdVersion, 2);
    put_le(out, kXsvdHeaderBytes, 2);
    put_le(out, h.sample_rate_hz, 4);
    put_le(out, h.channels, 2);
    put_le(out, kXsvdQuantInt16, 2);
    put_le(out, h.n_fft, 4);
    put_le(out, h.hop, 4);
    put_le(out, h.rank, 4);
    put_le(out, h.block_frames, 4);
    put_le(out, h.block_count, 4);
    put_le(out, 0, 4);
    put_le(out, h.samples_per_channel, 8);
    for (const XsvdBlock& block : file.blocks) {
        put_le(out, block.frames, 2);
        put_le(out, block.rank, 2);
        for (const QuantizedFactors& part : block.parts) {
            for (float scale : part.scales) put_le(out, std::bit_cast<std::uint32_t>(scale), 4);
            for (std::int16_t v : part.left) put_le(out, static_cast<std::uint16_t>(v), 2);
            for (std::int16_t v : part.right) put_le(out, static_cast<std::uint16_t>(v), 2);
        }
    }
    return out;
}

XsvdHeader parse_xsvd_header(std::span<const std::uint8_t> bytes) {
    return read_header(bytes);
}

XsvdFile parse_xsvd(std::span<const std::uint8_t> bytes) {
    XsvdFile file;
    file.header = read_header(bytes);  // from here on the size is exactly what the header implies
    const XsvdHeader& h = file.header;
    std::size_t at = kXsvdHeaderBytes;
    file.blocks.resize(h.block_count);
    for (std::uint32_t b = 0; b < h.block_count; ++b) {
        XsvdBlock& block = file.blocks[b];
        block.frames = static_cast<std::uint32_t>(get_le(bytes, at, 2));
        block.rank = static_cast<std::uint32_t>(get_le(bytes, at + 2, 2));
        at += kXsvdBlockHeaderBytes;
        if (block.frames != h.block_columns(b) || block.rank != h.block_rank(b)) {
            fail("block " + std::to_string(b) + " header (" + std::to_string(block.frames) +
                 " frames, rank " + std::to_string(block.rank) +
                 ") disagrees with the file header");
        }
        block.parts.resize(2u * h.channels);
        for (QuantizedFactors& part : block.parts) {
            part.rows = h.rows();
            part.cols = block.frames;
            part.rank = block.rank;
            part.scales.resize(part.rank);
            for (float& scale : part.scales) {
                scale = std::bit_cast<float>(static_cast<std::uint32_t>(get_le(bytes, at, 4)));
                at += 4;
                if (!std::isfinite(scale)) fail("non-finite scale in block " + std::to_string(b));
            }
            part.left.resize(std::size_t{part.rank} * part.rows);
            for (std::int16_t& v : part.left) {
                v = static_cast<std::int16_t>(get_le(bytes, at, 2));
                at += 2;
            }
            part.right.resize(std::size_t{part.rank} * part.cols);
            for (std::int16_t& v : part.right) {
                v = static_cast<std::int16_t>(get_le(bytes, at, 2));
                at += 2;
            }
        }
    }
    return file;
}

}  // namespace extrema::lowrank
