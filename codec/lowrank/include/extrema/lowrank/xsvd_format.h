#pragma once
// The .xsvd file of the STFT/SVD low-rank codec (docs/svd-format.md). All fields little-endian.
//
//   offset  size  field
//   0       4     magic "XSVD"
//   4       2     format version (1)
//   6       2     header size in bytes (48)
//   8       4     sample rate, Hz (1000..768000)
//   12      2     channel count (1..kMaxXsvdChannels)
//   14      2     quantisation (1: int16 vectors, scale folded into a float32 per component)
//   16      4     n_fft (power of two, 16..16384)
//   20      4     hop (divides n_fft, at most n_fft/2)
//   24      4     rank k requested at encoding (1..min(n_fft/2+1, block frames))
//   28      4     frames per block B (1..65535, and rows x B at most kMaxXsvdBlockValues)
//   32      4     block count (= ceil(frames / B), frames = 1 + ceil(samples / hop))
//   36      4     reserved, 0
//   40      8     samples per channel
//   48      ...   blocks
//
// Block b: u16 frame count c_b, u16 rank k_b = min(k, c_b), then for each channel the real part's
// factors, then the imaginary part's. One part's factors: k_b float32 scales, then k_b left
// vectors of rows = n_fft/2+1 int16 each, then k_b right vectors of c_b int16 each. So a part is
// (1 + rows + c_b) * k_b values: 4 k_b + 2 (rows + c_b) k_b bytes.
//
// Pure byte handling: callers do the file I/O.
#include <cstdint>
#include <span>
#include <stdexcept>
#include <vector>

namespace extrema::lowrank {

inline constexpr std::uint8_t kXsvdMagic[4] = {'X', 'S', 'V', 'D'};
inline constexpr std::uint16_t kXsvdVersion = 1;
inline constexpr std::size_t kXsvdHeaderBytes = 48;
inline constexpr std::size_t kXsvdBlockHeaderBytes = 4;
inline constexpr std::uint16_t kXsvdQuantInt16 = 1;
inline constexpr std::uint16_t kMaxXsvdChannels = 64;
inline constexpr std::uint32_t kMaxXsvdBlockFrames = 65535;
// Values in one block's part (rows x B): the encoder holds two such matrices per channel as
// doubles, so this bounds its memory (2^23 values: 64 MiB a matrix), and a header cannot ask
// for more. The default 513 x 512 and n_fft 16384 at 512 frames (8193 x 512) are well inside.
inline constexpr std::uint64_t kMaxXsvdBlockValues = std::uint64_t{1} << 23;
// 2^40 samples (over 200 days at 48 kHz). With the other limits it keeps the size formula below
// 2^63, so no size computation can overflow.
inline constexpr std::uint64_t kMaxXsvdSamples = std::uint64_t{1} << 40;
inline constexpr std::int16_t kXsvdQuantMax = 32767;

class XsvdFormatError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct XsvdHeader {
    std::uint32_t sample_rate_hz = 0;
    std::uint16_t channels = 0;
    std::uint32_t n_fft = 1024;
    std::uint32_t hop = 512;
    std::uint32_t rank = 0;
    std::uint32_t block_frames = 512;
    std::uint32_t block_count = 0;
    std::uint64_t samples_per_channel = 0;

    std::uint32_t rows() const noexcept { return n_fft / 2 + 1; }
    std::uint64_t frames() const noexcept;  // 1 + ceil(samples / hop): stft.h's frame_count()
    // ceil(frames / B): the block count these dimensions imply.
    std::uint64_t expected_block_count() const noexcept;
    // c_b: frames in block `block` (B, except that the last block may be shorter).
    std::uint32_t block_columns(std::uint32_t block) const noexcept;
    // k_b = min(k, rows, c_b).
    std::uint32_t block_rank(std::uint32_t block) const noexcept;
};

// One part (real or imaginary) of one channel in one block: M ~= sum_i scale_i * l_i * r_i^T,
// where l_i, r_i are the int16 vectors. scale_i = sigma_i * max|u_i| * max|v_i| / 32767^2 folds
// each singular vector's quantisation step into its singular value.
struct QuantizedFactors {
    std::uint32_t rows = 0;
    std::uint32_t cols = 0;
    std::uint32_t rank = 0;
    std::vector<float> scales;        // rank
    std::vector<std::int16_t> left;   // rank vectors of `rows`, one after another
    std::vector<std::int16_t> right;  // rank vectors of `cols`
};

struct XsvdBlock {
    std::uint32_t frames = 0;
    std::uint32_t rank = 0;
    // Channel 0 real, channel 0 imaginary, channel 1 real, ...
    std::vector<QuantizedFactors> parts;
};

struct XsvdFile {
    XsvdHeader header;
    std::vector<XsvdBlock> blocks;
};

// Checks the header's fields and their consistency; throws XsvdFormatError with a one-line reason.
void validate(const XsvdHeader& header);
// Checks the header and that every block's frames, rank and factor shapes agree with it; throws
// XsvdFormatError with a one-line reason.
void validate(const XsvdFile& file);
// Bytes of a whole file with this (valid) header: the size formula of docs/svd-format.md.
std::uint64_t xsvd_file_bytes(const XsvdHeader& header) noexcept;
// Serialises a file; throws XsvdFormatError if validate(file) fails.
std::vector<std::uint8_t> serialize_xsvd(const XsvdFile& file);
// Parses and validates only the header (for `extrema info`); checks the total size too.
XsvdHeader parse_xsvd_header(std::span<const std::uint8_t> bytes);
// Parses and validates a whole file: bad magic, version, absurd or inconsistent dimensions, wrong
// size (truncated or trailing bytes), block headers that disagree, non-finite scales.
XsvdFile parse_xsvd(std::span<const std::uint8_t> bytes);

}  // namespace extrema::lowrank
