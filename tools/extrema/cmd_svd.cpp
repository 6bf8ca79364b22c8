// extrema svd encode IN OUT.xsvd --rank K | extrema svd decode IN.xsvd OUT.wav: the STFT/SVD
// low-rank codec (SPEC §8, docs/svd-format.md) over files.
#include <fmt/core.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "audio/sound_file.h"
#include "commands.h"
#include "extrema/lowrank/svd_codec.h"
#include "extrema/lowrank/xsvd_format.h"
#include "file_kinds.h"
#include "output_file.h"
#include "progress.h"

namespace extrema::cli {
namespace {

struct SvdEncodeOptions {
    std::string input;
    std::string output;
    long long rank = 0;  // signed, so "-3" reaches our range check rather than a parse error
    lowrank::SvdCodecConfig config;
};

struct SvdDecodeOptions {
    std::string input;
    std::string output;
    double max_hours = 24.0;
    std::uint64_t max_bytes = kDefaultMaxOutputBytes;
    bool float_output = false;
};

void run_svd_encode(SvdEncodeOptions opt) {
    if (opt.rank < 1 || opt.rank > lowrank::kMaxXsvdBlockFrames) {
        throw std::runtime_error("invalid --rank " + std::to_string(opt.rank) +
                                 ": it must be at least 1 and at most the spectrogram's rank");
    }
    opt.config.rank = static_cast<std::uint32_t>(opt.rank);
    refuse_overwriting_input(opt.input, opt.output);
    require_xsvd_output(opt.output);
    require_audio_input(opt.input);
    // Streamed: the reader and the encoder each hold one block, whatever the file's length.
    audio::SoundFileReader reader(opt.input);
    const audio::SoundInfo info = reader.info();
    const auto samples = static_cast<std::uint64_t>(info.frames);
    std::unique_ptr<lowrank::SvdEncoder> encoder;
    try {
        encoder = std::make_unique<lowrank::SvdEncoder>(
            opt.config, static_cast<std::uint32_t>(info.rate_hz), info.channels, samples);
    } catch (const std::invalid_argument& e) {
        throw std::runtime_error("'" + opt.input + "': " + e.what());
    }
    constexpr std::size_t kReadFrames = 65536;
    std::vector<float> block(kReadFrames * static_cast<std::size_t>(info.channels));
    Progress progress("encoding", samples);
    std::uint64_t done = 0;
    while (const std::size_t frames = reader.read(std::span<float>(block))) {
        if (done + frames > samples) {
            throw std::runtime_error("'" + opt.input + "': more samples than its header announced");
        }
        encoder->push(
            std::span<const float>(block.data(), frames * static_cast<std::size_t>(info.channels)));
        done += frames;
        progress.update(done);
    }
    if (done != samples) {
        throw std::runtime_error("'" + opt.input + "': ended after " + std::to_string(done) +
                                 " of " + std::to_string(samples) + " frames");
    }
    const lowrank::XsvdFile file = encoder->finish();
    const std::vector<std::uint8_t> bytes = lowrank::serialize_xsvd(file);
    audio::write_file_atomically(opt.output, bytes);
    progress.finish();
    const double seconds = static_cast<double>(samples) / info.rate_hz;
    fmt::print("{}: rank {}, {} blocks, {} bytes, {:.2f} kbps\n", opt.output, opt.config.rank,
               file.header.block_count, bytes.size(),
               seconds > 0 ? static_cast<double>(bytes.size()) * 8.0 / seconds / 1000.0 : 0.0);
}

void run_svd_decode(const SvdDecodeOptions& opt) {
    refuse_overwriting_input(opt.input, opt.output);
    require_audio_output(opt.output);
    require_xsvd_input(opt.input);
    const std::vector<std::uint8_t> bytes = audio::read_whole_file(opt.input);
    lowrank::XsvdFile file;
    try {
        file = lowrank::parse_xsvd(bytes);
    } catch (const lowrank::XsvdFormatError& e) {
        throw std::runtime_error("'" + opt.input + "': " + e.what());
    }
    const lowrank::XsvdHeader& h = file.header;
    const double hours = static_cast<double>(h.samples_per_channel) / h.sample_rate_hz / 3600.0;
    if (hours > opt.max_hours) {
        throw std::runtime_error("'" + opt.input + "': decodes to " + std::to_string(hours) +
                                 " hours of audio, over --max-hours; refusing");
    }
    const audio::SampleFormat format =
        opt.float_output ? audio::SampleFormat::kFloat32 : audio::SampleFormat::kPcm16;
    check_audio_output({opt.output, h.channels, h.samples_per_channel, format}, opt.max_bytes);
    audio::SoundFileWriter writer(opt.output, static_cast<int>(h.sample_rate_hz), h.channels,
                                  format);
    lowrank::SvdDecoder decoder(file);
    std::vector<float> samples;
    Progress progress("decoding", h.samples_per_channel);
    std::uint64_t done = 0;
    while (decoder.next(samples)) {
        writer.write(std::span<const float>(samples));
        done += samples.size() / h.channels;
        progress.update(done);
    }
    writer.commit();
    progress.finish();
}

}  // namespace

void add_svd_command(CLI::App& app) {
    auto* svd =
        app.add_subcommand("svd", "STFT/SVD low-rank codec: encode to or decode from .xsvd");
    svd->require_subcommand(1);

    auto enc = std::make_shared<SvdEncodeOptions>();
    auto* encode = svd->add_subcommand("encode", "Encode audio to .xsvd with rank-K factors");
    encode->add_option("input", enc->input, "Input audio file")->required();
    encode->add_option("output", enc->output, "Output .xsvd file")->required();
    encode
        ->add_option("--rank,-k", enc->rank,
                     "Rank K of each block's real and imaginary parts (1..min(513, frames))")
        ->required();
    encode
        ->add_option("--block-frames", enc->config.block_frames,
                     "STFT frames per block (each block has its own factors)")
        ->capture_default_str();
    encode->callback([enc] { run_svd_encode(*enc); });

    auto dec = std::make_shared<SvdDecodeOptions>();
    auto* decode = svd->add_subcommand("decode", "Decode an .xsvd file to audio");
    decode->add_option("input", dec->input, "Input .xsvd file")->required();
    decode->add_option("output", dec->output, "Output audio file (WAV or FLAC, by extension)")
        ->required();
    decode->add_option("--max-hours", dec->max_hours, "Refuse files that decode to longer audio")
        ->capture_default_str();
    add_max_bytes_option(*decode, dec->max_bytes);
    decode->add_flag("--float", dec->float_output, "Write 32-bit float WAV instead of 16-bit PCM");
    decode->callback([dec] { run_svd_decode(*dec); });
}

}  // namespace extrema::cli
