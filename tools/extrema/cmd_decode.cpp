// extrema decode IN.xtr OUT.wav
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "audio/sound_file.h"
#include "commands.h"
#include "extrema/codec/decoder.h"
#include "extrema/codec/xtr_format.h"
#include "file_kinds.h"
#include "output_file.h"
#include "progress.h"
#include "stdio_paths.h"
#include "summary_line.h"
#include "xtr_file.h"

namespace extrema::cli {
namespace {

struct DecodeOptions {
    std::string input;
    std::string output;
    double max_hours = 24.0;
    std::uint64_t max_bytes = kDefaultMaxOutputBytes;
};

void run_decode(const DecodeOptions& opt) {
    refuse_overwriting_input(opt.input, opt.output);
    require_audio_output(opt.output);
    const InputPath input(opt.input, ".xtr");
    require_xtr_input(input.path());
    OutputPath output(opt.output, ".wav");
    const codec::XtrStream stream = read_xtr_file(input.path());
    const codec::CurveBank& bank = *codec::CurveBank::find(stream.bank_id);
    const double hours =
        static_cast<double>(stream.samples_per_channel) / stream.sample_rate_hz / 3600.0;
    if (hours > opt.max_hours) {
        throw std::runtime_error("'" + opt.input + "': decodes to " + std::to_string(hours) +
                                 " hours of audio, over --max-hours; refusing");
    }
    const std::size_t channels = stream.channels.size();
    check_audio_output({output.path(), static_cast<int>(channels), stream.samples_per_channel},
                       opt.max_bytes);
    std::vector<codec::StreamDecoder> decoders;
    for (const auto& records : stream.channels) decoders.emplace_back(records, bank);

    audio::SoundFileWriter writer(output.path(), static_cast<int>(stream.sample_rate_hz),
                                  static_cast<int>(channels));
    constexpr std::size_t kBlockFrames = 8192;
    std::vector<std::int16_t> channel(kBlockFrames);
    std::vector<std::int16_t> interleaved(kBlockFrames * channels);
    Progress progress("decoding", stream.samples_per_channel);
    std::uint64_t done = 0;
    while (done < stream.samples_per_channel) {
        std::size_t frames = 0;
        for (std::size_t c = 0; c < channels; ++c) {
            frames = decoders[c].read(std::span<std::int16_t>(channel));
            for (std::size_t i = 0; i < frames; ++i) interleaved[i * channels + c] = channel[i];
        }
        if (frames == 0) break;
        writer.write(std::span<const std::int16_t>(interleaved.data(), frames * channels));
        done += frames;
        progress.update(done);
    }
    writer.commit();
    output.finish();
    progress.finish();
    const auto bytes = std::filesystem::file_size(output.path());
    print_summary(output.is_stdout(), opt.output,
                  {done, stream.sample_rate_hz, bytes, static_cast<int>(channels)}, "16-bit");
}

}  // namespace

void add_decode_command(CLI::App& app) {
    auto opt = std::make_shared<DecodeOptions>();
    auto* cmd = app.add_subcommand("decode",
                                   "Decode an .xtr stream (or a headerless seed stream) to audio");
    cmd->add_option("input", opt->input, "Input .xtr file, or - for standard input")->required();
    cmd->add_option("output", opt->output,
                    "Output audio file (.wav or .flac), 16-bit, or - for WAV on standard output")
        ->required();
    cmd->add_option("--max-hours", opt->max_hours, "Refuse streams that decode to more than this")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    add_max_bytes_option(*cmd, opt->max_bytes);
    cmd->callback([opt] { run_decode(*opt); });
}

}  // namespace extrema::cli
