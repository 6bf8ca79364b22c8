#pragma once
// The STFT/SVD low-rank codec (SPEC §8, docs/svd-format.md): the spectrogram of each channel is
// cut into blocks of B frames; each block's real and imaginary parts (rows = n_fft/2+1 bins by
// c_b frames) are each replaced by their rank-k truncated SVD, whose factors are quantised to
// int16 and stored. Decoding multiplies the factors back and inverts the STFT.
//
// Blocks share the STFT's frame grid: frame t is the same frame whichever block holds it, and the
// inverse STFT overlap-adds frames across block borders, so consecutive blocks crossfade through
// the synthesis window instead of meeting at a hard edge. Only one block of frames is ever in
// memory, in either direction.
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "extrema/lowrank/stft.h"
#include "extrema/lowrank/xsvd_format.h"

namespace extrema::lowrank {

struct SvdCodecConfig {
    std::uint32_t rank = 0;  // k, required: 1..max_rank()
    StftConfig stft;         // n_fft 1024, hop 512 (SPEC §8)
    // 512 frames (5.5 s at 48 kHz, 5.9 s at 44.1 kHz): long enough for the low-rank structure of
    // speech to pay off, small enough that a block's SVD (513 x 512) takes well under a second
    // (docs/svd-format.md, "Blocks").
    std::uint32_t block_frames = 512;
};

// The largest valid k for a signal of `samples` samples: min(rows, columns of the first block),
// the rank a block's matrix can have. Later blocks that are shorter use min(k, their columns).
std::uint32_t max_rank(const SvdCodecConfig& config, std::uint64_t samples) noexcept;

// Throws std::invalid_argument if the config (or k for this signal length) is invalid.
void validate(const SvdCodecConfig& config, std::uint64_t samples);

// Rank-`rank` truncated SVD of a column-major rows x cols matrix, quantised (xsvd_format.h).
// Requires rank <= min(rows, cols).
QuantizedFactors factorize(std::span<const double> column_major, std::uint32_t rows,
                           std::uint32_t cols, std::uint32_t rank);
// The matrix the factors stand for, column-major (size rows * cols).
void reconstruct(const QuantizedFactors& factors, std::span<double> column_major);
// Column `column` of that matrix (size rows): what the decoder needs, one frame at a time.
void reconstruct_column(const QuantizedFactors& factors, std::uint32_t column,
                        std::span<double> out);

// Encodes a signal pushed in pieces; memory is one block of frames per channel.
class SvdEncoder {
  public:
    // `samples`: samples per channel the signal will have (the header needs it, and k is checked
    // against it). Throws std::invalid_argument on a bad config, rate or channel count.
    SvdEncoder(const SvdCodecConfig& config, std::uint32_t sample_rate_hz, int channels,
               std::uint64_t samples);
    ~SvdEncoder();
    SvdEncoder(SvdEncoder&&) noexcept;
    SvdEncoder& operator=(SvdEncoder&&) noexcept;

    // Interleaved samples; throws std::invalid_argument beyond the announced length.
    void push(std::span<const float> interleaved);
    // Throws std::invalid_argument if fewer samples came than announced.
    XsvdFile finish();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Decodes frame by frame: memory is one frame per channel and a bounded piece of output, however
// large a block the file declares (the factors themselves are the file's own bytes).
class SvdDecoder {
  public:
    // Interleaved samples a piece of output holds at most (4 MiB of floats): next() synthesises
    // as many frames as fit, at least one (hop x channels is at most 8192 x 64 = 2^19).
    static constexpr std::size_t kMaxPieceSamples = std::size_t{1} << 20;

    explicit SvdDecoder(const XsvdFile& file);  // keeps a reference: `file` must outlive it
    ~SvdDecoder();
    SvdDecoder(SvdDecoder&&) noexcept;
    SvdDecoder& operator=(SvdDecoder&&) noexcept;

    // Replaces `interleaved` with the samples the next piece of frames completes (at most
    // kMaxPieceSamples plus, at the very end, n_fft per channel; possibly none); false when done.
    bool next(std::vector<float>& interleaved);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Whole-signal conveniences over the two classes.
XsvdFile encode_svd(std::span<const float> interleaved, std::uint32_t sample_rate_hz, int channels,
                    const SvdCodecConfig& config);
std::vector<float> decode_svd(const XsvdFile& file);

}  // namespace extrema::lowrank
