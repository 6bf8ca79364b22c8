// extrema encode IN OUT.xtr: any libsndfile input, one record stream per channel.
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "audio/sound_file.h"
#include "commands.h"
#include "encoder_defaults.h"
#include "extrema/codec/rate_controller.h"
#include "extrema/codec/xtr_encoder.h"
#include "extrema/codec/xtr_format.h"
#include "file_kinds.h"
#include "output_file.h"
#include "progress.h"
#include "stdio_paths.h"
#include "summary_line.h"

namespace extrema::cli {
namespace {

struct EncodeOptions {
    std::string input;
    std::string output;
    codec::EncoderConfig config = file_encoder_defaults();  // the default live link's

    std::string segmentation = "peaks";
    std::string bank = "standard";
};

void run_encode(const EncodeOptions& opt) {
    refuse_overwriting_input(opt.input, opt.output);
    require_xtr_output(opt.output);
    const InputPath input(opt.input, ".wav");
    OutputPath output(opt.output, ".xtr");
    require_audio_input(input.path());
    audio::SoundFileReader reader(input.path());
    const auto info = reader.info();
    codec::EncoderConfig config = opt.config;
    config.sample_rate_hz = info.rate_hz;
    // --kbps is the file's payload rate: each channel's encoder gets its share.
    if (info.channels > 0) config.target_kbps /= info.channels;
    config.segmentation = opt.segmentation == "seed" ? codec::Segmentation::kSeedSteps
                          : opt.segmentation == "rd" ? codec::Segmentation::kRd
                                                     : codec::Segmentation::kPeaks;
    const codec::CurveBank& bank = opt.bank == "power"   ? codec::CurveBank::power()
                                   : opt.bank == "swing" ? codec::CurveBank::swing()
                                                         : codec::CurveBank::standard();

    std::optional<codec::XtrEncoder> encoder;
    try {
        encoder.emplace(info.channels, config, bank);
    } catch (const std::invalid_argument& e) {
        throw std::runtime_error("'" + opt.input + "': cannot encode: " + e.what());
    }
    constexpr std::size_t kBlockFrames = 8192;
    std::vector<std::int16_t> interleaved(kBlockFrames * static_cast<std::size_t>(info.channels));
    Progress progress("encoding", static_cast<std::uint64_t>(info.frames));
    std::uint64_t frames_done = 0;
    while (const std::size_t frames = reader.read(std::span<std::int16_t>(interleaved))) {
        encoder->push(std::span<const std::int16_t>(
            interleaved.data(), frames * static_cast<std::size_t>(info.channels)));
        frames_done += frames;
        progress.update(frames_done);
    }
    const codec::XtrStream stream = encoder->finish();
    const auto bytes = codec::serialize_xtr(stream);
    audio::write_file_atomically(output.path(), bytes);
    output.finish();
    progress.finish();
    std::size_t records = 0;
    for (const auto& channel : stream.channels) records += channel.size();
    print_summary(output.is_stdout(), opt.output,
                  {stream.samples_per_channel, stream.sample_rate_hz, bytes.size(),
                   static_cast<int>(stream.channels.size())},
                  std::to_string(records) + " records");
}

}  // namespace

void add_encode_command(CLI::App& app) {
    auto opt = std::make_shared<EncodeOptions>();
    auto* cmd =
        app.add_subcommand("encode", "Encode an audio file (WAV, FLAC, ...) into an .xtr stream");
    cmd->add_option("input", opt->input,
                    "Input audio file (WAV, FLAC, ...), or - for standard input")
        ->required();
    cmd->add_option("output", opt->output, "Output .xtr file, or - for standard output")
        ->required();
    cmd->add_option("--threshold", opt->config.threshold_lsb,
                    "Hysteresis threshold, LSB of int16 (seed: 50)")
        ->check(CLI::Range(0.0f, 32767.0f))
        ->capture_default_str();
    cmd->add_option("--lowpass", opt->config.lowpass_hz, "Pre-filter cutoff, Hz (0 = off)")
        ->check(CLI::Range(0.0, 384000.0))
        ->capture_default_str();
    cmd->add_option(
           "--max-segment-ms", opt->config.max_segment_ms,
           "Longest record, ms (0 = no cap; extremad's default, so files and the live link agree)")
        ->check(CLI::Range(0.0, 1.0e6))
        ->capture_default_str();
    cmd->add_option("--frame-ms", opt->config.frame_ms,
                    "Close a record at every multiple of this many ms, as the live link does at "
                    "each packet (0 = no frames)")
        ->check(CLI::Range(0.0, codec::kMaxFrameMs))
        ->capture_default_str();
    cmd->add_option("--kbps", opt->config.target_kbps,
                    "Payload rate to steer the threshold to, kbps (0 = off: --threshold holds)")
        ->check(CLI::Range(0.0, codec::RateController::kMaxTargetKbps))
        ->capture_default_str();
    cmd->add_option("--still-hold-ms", opt->config.still_hold_ms,
                    "Flat this long after a peak becomes silence, ms")
        ->check(CLI::Range(0.0, 1.0e4))
        ->capture_default_str();
    cmd->add_option("--segmentation", opt->segmentation,
                    "peaks (default), rd (rate-distortion search over each max-segment window) "
                    "or seed (the prototype's step rule)")
        ->check(CLI::IsMember({"peaks", "rd", "seed"}))
        ->capture_default_str();
    cmd->add_option("--bank", opt->bank,
                    "Curve bank: standard, swing (records may span two half-cycles) or power (the "
                    "naive baseline)")
        ->check(CLI::IsMember({"standard", "swing", "power"}))
        ->capture_default_str();
    cmd->callback([opt] { run_encode(*opt); });
}

}  // namespace extrema::cli
