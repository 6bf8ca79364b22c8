// extrema compress IN OUT: the dynamic range compressor (docs/compressor.md) over a file.
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "audio/sound_file.h"
#include "commands.h"
#include "compressor_options.h"
#include "extrema/dsp/compressor.h"
#include "file_kinds.h"
#include "output_file.h"
#include "progress.h"
#include "stdio_paths.h"
#include "summary_line.h"

namespace extrema::cli {
namespace {

struct CompressOptions {
    std::string input;
    std::string output;
    CompressorOptions compressor;
    bool float_output = false;
};

void run_compress(const CompressOptions& opt) {
    const dsp::CompressorConfig config = compressor_config(opt.compressor);  // before any file

    refuse_overwriting_input(opt.input, opt.output);
    require_audio_output(opt.output);
    const InputPath input(opt.input, ".wav");
    require_audio_input(input.path());
    OutputPath output(opt.output, ".wav");
    audio::SoundFileReader reader(input.path());
    const audio::SoundInfo info = reader.info();
    dsp::Compressor compressor(config, info.rate_hz, info.channels);
    audio::SoundFileWriter writer(
        output.path(), info.rate_hz, info.channels,
        opt.float_output ? audio::SampleFormat::kFloat32 : audio::SampleFormat::kPcm16);

    // Streamed in blocks, so memory stays bounded for any file length; the compressor carries its
    // state across blocks, so the result equals one pass over the whole file.
    constexpr std::size_t kBlockFrames = 8192;
    std::vector<float> block(kBlockFrames * static_cast<std::size_t>(info.channels));
    Progress progress("compressing", static_cast<std::uint64_t>(info.frames));
    std::uint64_t done = 0;
    while (const std::size_t frames = reader.read(std::span<float>(block))) {
        const std::span<float> samples(block.data(),
                                       frames * static_cast<std::size_t>(info.channels));
        compressor.process(samples);
        writer.write(std::span<const float>(samples));
        done += frames;
        progress.update(done);
    }
    writer.commit();
    output.finish();
    progress.finish();
    const auto bytes = std::filesystem::file_size(output.path());
    print_summary(output.is_stdout(), opt.output,
                  {done, static_cast<std::uint32_t>(info.rate_hz), bytes, info.channels},
                  opt.float_output ? "32-bit float" : "16-bit");
}

}  // namespace

void add_compress_command(CLI::App& app) {
    auto opt = std::make_shared<CompressOptions>();
    auto* cmd = app.add_subcommand(
        "compress",
        "Dynamic range compressor (feed-forward, dB domain, stereo-linked) over a file");
    cmd->add_option("input", opt->input, "Input audio file, or - for standard input")->required();
    cmd->add_option(
           "output", opt->output,
           "Output audio file (WAV or FLAC, by extension), or - for WAV on standard output")
        ->required();
    add_compressor_options(*cmd, opt->compressor);
    cmd->add_flag("--float", opt->float_output,
                  "Write 32-bit float WAV (keeps make-up gain above full scale unclipped)");
    cmd->callback([opt] { run_compress(*opt); });
}

}  // namespace extrema::cli
