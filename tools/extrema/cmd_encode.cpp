// extrema encode IN OUT.xtr: any libsndfile input, one record stream per channel.
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "audio/sound_file.h"
#include "commands.h"
#include "extrema/codec/encoder.h"
#include "extrema/codec/xtr_format.h"
#include "progress.h"

namespace extrema::cli {
namespace {

struct EncodeOptions {
    std::string input;
    std::string output;
    codec::EncoderConfig config;
    std::string segmentation = "peaks";
    std::string bank = "standard";
};

void run_encode(const EncodeOptions& opt) {
    audio::SoundFileReader reader(opt.input);
    const auto info = reader.info();
    codec::EncoderConfig config = opt.config;
    config.sample_rate_hz = info.rate_hz;
    config.segmentation =
        opt.segmentation == "seed" ? codec::Segmentation::kSeedSteps : codec::Segmentation::kPeaks;
    const codec::CurveBank& bank =
        opt.bank == "power" ? codec::CurveBank::power() : codec::CurveBank::standard();

    const auto channels = static_cast<std::size_t>(info.channels);
    if (channels > codec::kMaxXtrChannels) {
        throw std::runtime_error("'" + opt.input + "': " + std::to_string(channels) +
                                 " channels (at most " + std::to_string(codec::kMaxXtrChannels) +
                                 ")");
    }
    std::vector<std::unique_ptr<codec::Encoder>> encoders;
    try {
        for (std::size_t c = 0; c < channels; ++c)
            encoders.push_back(std::make_unique<codec::Encoder>(config, bank));
    } catch (const std::invalid_argument& e) {
        throw std::runtime_error(std::string("invalid option: ") + e.what());
    }

    codec::XtrStream stream;
    stream.sample_rate_hz = static_cast<std::uint32_t>(info.rate_hz);
    stream.bank_id = static_cast<std::uint16_t>(bank.id());
    stream.channels.resize(channels);

    constexpr std::size_t kBlockFrames = 8192;
    std::vector<std::int16_t> interleaved(kBlockFrames * channels);
    std::vector<std::int16_t> channel(kBlockFrames);
    Progress progress("encoding", static_cast<std::uint64_t>(info.frames));
    std::uint64_t frames_done = 0;
    while (const std::size_t frames = reader.read(std::span<std::int16_t>(interleaved))) {
        for (std::size_t c = 0; c < channels; ++c) {
            for (std::size_t i = 0; i < frames; ++i) channel[i] = interleaved[i * channels + c];
            encoders[c]->push(std::span<const std::int16_t>(channel.data(), frames),
                              stream.channels[c]);
        }
        frames_done += frames;
        progress.update(frames_done);
    }
    for (std::size_t c = 0; c < channels; ++c) encoders[c]->flush(stream.channels[c]);
    stream.samples_per_channel = frames_done;
    audio::write_file_atomically(opt.output, codec::serialize_xtr(stream));
}

}  // namespace

void add_encode_command(CLI::App& app) {
    auto opt = std::make_shared<EncodeOptions>();
    auto* cmd =
        app.add_subcommand("encode", "Encode an audio file (WAV, FLAC, ...) into an .xtr stream");
    cmd->add_option("input", opt->input, "Input audio file")->required();
    cmd->add_option("output", opt->output, "Output .xtr file")->required();
    cmd->add_option("--threshold", opt->config.threshold_lsb,
                    "Hysteresis threshold, LSB of int16 (seed: 50)")
        ->check(CLI::Range(0.0f, 32767.0f))
        ->capture_default_str();
    cmd->add_option("--lowpass", opt->config.lowpass_hz, "Pre-filter cutoff, Hz (0 = off)")
        ->check(CLI::Range(0.0, 384000.0))
        ->capture_default_str();
    cmd->add_option("--max-segment-ms", opt->config.max_segment_ms,
                    "Longest record, ms (0 = no cap)")
        ->check(CLI::Range(0.0, 1.0e6))
        ->capture_default_str();
    cmd->add_option("--still-hold-ms", opt->config.still_hold_ms,
                    "Flat this long after a peak becomes silence, ms")
        ->check(CLI::Range(0.0, 1.0e4))
        ->capture_default_str();
    cmd->add_option("--segmentation", opt->segmentation,
                    "peaks (default) or seed (the prototype's step rule)")
        ->check(CLI::IsMember({"peaks", "seed"}))
        ->capture_default_str();
    cmd->add_option("--bank", opt->bank, "Curve bank: standard or power (the naive baseline)")
        ->check(CLI::IsMember({"standard", "power"}))
        ->capture_default_str();
    cmd->callback([opt] { run_encode(*opt); });
}

}  // namespace extrema::cli
