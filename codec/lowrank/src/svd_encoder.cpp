// Streaming encoder: STFT frames are gathered into blocks of B columns; each full block's real and
// imaginary parts are factorised and the frames dropped, so memory is one block per channel.
#include <algorithm>
#include <stdexcept>
#include <string>

#include "extrema/codec/sample_rate.h"
#include "extrema/lowrank/svd_codec.h"

namespace extrema::lowrank {

std::uint32_t max_rank(const SvdCodecConfig& config, std::uint64_t samples) noexcept {
    const std::uint64_t first_block =
        std::min<std::uint64_t>(config.block_frames, frame_count(config.stft, samples));
    return static_cast<std::uint32_t>(std::min<std::uint64_t>(config.stft.bins(), first_block));
}

void validate(const SvdCodecConfig& config, std::uint64_t samples) {
    validate(config.stft);
    if (config.block_frames < 1 || config.block_frames > kMaxXsvdBlockFrames) {
        throw std::invalid_argument("frames per block must be in 1.." +
                                    std::to_string(kMaxXsvdBlockFrames) + ", got " +
                                    std::to_string(config.block_frames));
    }
    if (std::uint64_t{config.stft.bins()} * config.block_frames > kMaxXsvdBlockValues) {
        throw std::invalid_argument(
            "blocks of " + std::to_string(config.stft.bins()) + " x " +
            std::to_string(config.block_frames) + " values are over the limit of " +
            std::to_string(kMaxXsvdBlockValues) + ": use fewer frames per block");
    }
    if (samples > kMaxXsvdSamples) throw std::invalid_argument("signal too long for .xsvd");
    const std::uint32_t limit = max_rank(config, samples);
    if (config.rank < 1 || config.rank > limit) {
        const std::uint64_t columns =
            std::min<std::uint64_t>(config.block_frames, frame_count(config.stft, samples));
        throw std::invalid_argument(
            "rank " + std::to_string(config.rank) + " is invalid: it must be in 1.." +
            std::to_string(limit) + ", the rank of a " + std::to_string(config.stft.bins()) +
            " x " + std::to_string(columns) + " block of this signal's spectrogram");
    }
}

struct SvdEncoder::Impl {
    SvdCodecConfig config;
    XsvdFile file;
    std::size_t channels = 0;
    std::uint64_t pushed = 0;
    std::vector<StftAnalyzer> analyzers;
    std::vector<std::vector<double>> real, imag;  // per channel, column-major rows x block_frames
    std::uint32_t columns = 0;                    // frames gathered in the current block
    std::vector<std::complex<double>> bins;
    std::vector<float> channel_samples;

    void flush_block() {
        const std::uint32_t rows = config.stft.bins();
        const auto block_index = static_cast<std::uint32_t>(file.blocks.size());
        XsvdBlock block;
        block.frames = columns;
        block.rank = file.header.block_rank(block_index);
        if (columns != file.header.block_columns(block_index)) {
            throw std::logic_error("SvdEncoder: block size disagrees with the header");
        }
        const std::size_t used = std::size_t{rows} * columns;
        for (std::size_t c = 0; c < channels; ++c) {
            block.parts.push_back(
                factorize(std::span(real[c]).first(used), rows, columns, block.rank));
            block.parts.push_back(
                factorize(std::span(imag[c]).first(used), rows, columns, block.rank));
        }
        file.blocks.push_back(std::move(block));
        columns = 0;
    }

    // Moves every complete frame into the block, factorising each block as it fills.
    void drain() {
        const std::uint32_t rows = config.stft.bins();
        while (analyzers[0].next_frame(bins)) {
            for (std::size_t c = 0; c < channels; ++c) {
                // The channels have seen the same number of samples, so they have the same frames.
                if (c > 0 && !analyzers[c].next_frame(bins)) {
                    throw std::logic_error("SvdEncoder: channels out of step");
                }
                const std::size_t at = std::size_t{columns} * rows;
                for (std::uint32_t k = 0; k < rows; ++k) {
                    real[c][at + k] = bins[k].real();
                    imag[c][at + k] = bins[k].imag();
                }
            }
            if (++columns == config.block_frames) flush_block();
        }
    }
};

SvdEncoder::SvdEncoder(const SvdCodecConfig& config, std::uint32_t sample_rate_hz, int channels,
                       std::uint64_t samples) {
    validate(config, samples);
    if (channels < 1 || channels > kMaxXsvdChannels) {
        throw std::invalid_argument("channel count must be in 1.." +
                                    std::to_string(kMaxXsvdChannels) + ", got " +
                                    std::to_string(channels));
    }
    if (!codec::valid_sample_rate(sample_rate_hz)) {
        throw std::invalid_argument(
            "sample rate must be in " + std::to_string(codec::kMinSampleRateHz) + ".." +
            std::to_string(codec::kMaxSampleRateHz) + " Hz, got " + std::to_string(sample_rate_hz));
    }
    impl_ = std::make_unique<Impl>();
    Impl& s = *impl_;
    s.config = config;
    s.channels = static_cast<std::size_t>(channels);
    XsvdHeader& h = s.file.header;
    h.sample_rate_hz = sample_rate_hz;
    h.channels = static_cast<std::uint16_t>(channels);
    h.n_fft = config.stft.n_fft;
    h.hop = config.stft.hop;
    h.rank = config.rank;
    h.block_frames = config.block_frames;
    h.samples_per_channel = samples;
    h.block_count = static_cast<std::uint32_t>(h.expected_block_count());
    const std::size_t block_values = std::size_t{config.stft.bins()} * config.block_frames;
    for (std::size_t c = 0; c < s.channels; ++c) {
        s.analyzers.emplace_back(config.stft);
        s.real.emplace_back(block_values);
        s.imag.emplace_back(block_values);
    }
    s.bins.resize(config.stft.bins());
}

SvdEncoder::~SvdEncoder() = default;
SvdEncoder::SvdEncoder(SvdEncoder&&) noexcept = default;
SvdEncoder& SvdEncoder::operator=(SvdEncoder&&) noexcept = default;

void SvdEncoder::push(std::span<const float> interleaved) {
    Impl& s = *impl_;
    if (interleaved.size() % s.channels != 0) {
        throw std::invalid_argument("SvdEncoder: samples are not a whole number of frames");
    }
    const std::size_t frames = interleaved.size() / s.channels;
    if (s.pushed + frames > s.file.header.samples_per_channel) {
        throw std::invalid_argument("SvdEncoder: more samples than announced");
    }
    s.channel_samples.resize(frames);
    for (std::size_t c = 0; c < s.channels; ++c) {
        for (std::size_t i = 0; i < frames; ++i)
            s.channel_samples[i] = interleaved[i * s.channels + c];
        s.analyzers[c].push(s.channel_samples);
    }
    s.pushed += frames;
    s.drain();
}

XsvdFile SvdEncoder::finish() {
    Impl& s = *impl_;
    if (s.pushed != s.file.header.samples_per_channel) {
        throw std::invalid_argument("SvdEncoder: the signal ended after " +
                                    std::to_string(s.pushed) + " of " +
                                    std::to_string(s.file.header.samples_per_channel) + " samples");
    }
    for (auto& analyzer : s.analyzers) analyzer.finish();
    s.drain();
    if (s.columns > 0) s.flush_block();
    if (s.file.blocks.size() != s.file.header.block_count) {
        throw std::logic_error("SvdEncoder: block count disagrees with the header");
    }
    return std::move(s.file);
}

XsvdFile encode_svd(std::span<const float> interleaved, std::uint32_t sample_rate_hz, int channels,
                    const SvdCodecConfig& config) {
    if (channels < 1) throw std::invalid_argument("channel count must be at least 1");
    const auto per_channel = interleaved.size() / static_cast<std::size_t>(channels);
    SvdEncoder encoder(config, sample_rate_hz, channels, per_channel);
    // Pushed in pieces so the STFT's input buffer stays small.
    const std::size_t piece = std::size_t{65536} * static_cast<std::size_t>(channels);
    for (std::size_t at = 0; at < interleaved.size(); at += piece) {
        encoder.push(interleaved.subspan(at, std::min(piece, interleaved.size() - at)));
    }
    return encoder.finish();
}

}  // namespace extrema::lowrank
