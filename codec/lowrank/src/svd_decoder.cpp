// Streaming decoder: one block's factors become its frames, which go straight into the inverse
// STFT; the overlap-add carries across block borders, so blocks join without seams.
#include "extrema/lowrank/svd_codec.h"

namespace extrema::lowrank {

struct SvdDecoder::Impl {
    const XsvdFile* file = nullptr;
    std::uint32_t next_block = 0;
    std::vector<StftSynthesizer> synthesizers;
    std::vector<double> real, imag;
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
    s.bins.resize(h.rows());
}

SvdDecoder::~SvdDecoder() = default;
SvdDecoder::SvdDecoder(SvdDecoder&&) noexcept = default;
SvdDecoder& SvdDecoder::operator=(SvdDecoder&&) noexcept = default;

bool SvdDecoder::next(std::vector<float>& interleaved) {
    Impl& s = *impl_;
    const XsvdHeader& h = s.file->header;
    interleaved.clear();
    if (s.next_block == h.block_count) return false;
    const XsvdBlock& block = s.file->blocks[s.next_block++];
    const std::uint32_t rows = h.rows();
    s.real.resize(std::size_t{rows} * block.frames);
    s.imag.resize(s.real.size());
    for (std::size_t c = 0; c < h.channels; ++c) {
        reconstruct(block.parts[2 * c], s.real);
        reconstruct(block.parts[2 * c + 1], s.imag);
        for (std::uint32_t t = 0; t < block.frames; ++t) {
            const std::size_t at = std::size_t{t} * rows;
            for (std::uint32_t k = 0; k < rows; ++k) s.bins[k] = {s.real[at + k], s.imag[at + k]};
            s.synthesizers[c].push_frame(s.bins);
        }
        s.synthesizers[c].pull(s.channel_out[c]);
    }
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
    all.reserve(file.header.samples_per_channel * file.header.channels);
    while (decoder.next(piece)) all.insert(all.end(), piece.begin(), piece.end());
    return all;
}

}  // namespace extrema::lowrank
