// Streaming decoder: each frame's column is rebuilt from its block's factors and goes straight
// into the inverse STFT; the overlap-add carries across block borders, so blocks join without
// seams. Nothing of a block's size is allocated: a header may declare blocks of 65535 frames.
#include "extrema/lowrank/svd_codec.h"

#include <algorithm>

namespace extrema::lowrank {

struct SvdDecoder::Impl {
    const XsvdFile* file = nullptr;
    std::uint32_t block = 0;   // the block being decoded
    std::uint32_t column = 0;  // its next frame
    std::vector<StftSynthesizer> synthesizers;
    std::vector<double> real, imag;  // one column each
    std::vector<std::complex<double>> bins;
    std::vector<std::vector<float>> channel_out;
};

SvdDecoder::SvdDecoder(const XsvdFile& file) : impl_(std::make_unique<Impl>()) {
    validate(file);
    const XsvdHeader& h = file.header;
    Impl& s = *impl_;
    s.file = &file;
    const StftConfig stft{h.n_fft, h.hop};
    for (std::uint16_t c = 0; c < h.channels; ++c) {
        s.synthesizers.emplace_back(stft, h.samples_per_channel);
    }
    s.channel_out.resize(h.channels);
    s.real.resize(h.rows());
    s.imag.resize(h.rows());
    s.bins.resize(h.rows());
}

SvdDecoder::~SvdDecoder() = default;
SvdDecoder::SvdDecoder(SvdDecoder&&) noexcept = default;
SvdDecoder& SvdDecoder::operator=(SvdDecoder&&) noexcept = default;

bool SvdDecoder::next(std::vector<float>& interleaved) {
    Impl& s = *impl_;
    const XsvdHeader& h = s.file->header;
    interleaved.clear();
    if (s.block == h.block_count) return false;
    const std::uint32_t rows = h.rows();
    // Each frame completes hop samples per channel (the last ones n_fft/2 more, within a frame).
    const std::size_t piece_frames =
        std::max<std::size_t>(1, kMaxPieceSamples / (std::size_t{h.hop} * h.channels) - 1);
    for (std::size_t n = 0; n < piece_frames && s.block < h.block_count; ++n) {
        const XsvdBlock& block = s.file->blocks[s.block];
        for (std::size_t c = 0; c < h.channels; ++c) {
            reconstruct_column(block.parts[2 * c], s.column, s.real);
            reconstruct_column(block.parts[2 * c + 1], s.column, s.imag);
            for (std::uint32_t k = 0; k < rows; ++k) s.bins[k] = {s.real[k], s.imag[k]};
            s.synthesizers[c].push_frame(s.bins);
        }
        if (++s.column == block.frames) {
            s.column = 0;
            ++s.block;
        }
    }
    for (std::size_t c = 0; c < h.channels; ++c) s.synthesizers[c].pull(s.channel_out[c]);
    const std::size_t frames = s.channel_out[0].size();
    interleaved.resize(frames * h.channels);
    for (std::size_t c = 0; c < h.channels; ++c) {
        for (std::size_t i = 0; i < frames; ++i)
            interleaved[i * h.channels + c] = s.channel_out[c][i];
        s.channel_out[c].clear();
    }
    return true;
}

std::vector<float> decode_svd(const XsvdFile& file) {
    SvdDecoder decoder(file);
    std::vector<float> all, piece;
    while (decoder.next(piece)) all.insert(all.end(), piece.begin(), piece.end());
    return all;
}

}  // namespace extrema::lowrank
