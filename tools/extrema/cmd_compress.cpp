// extrema compress IN OUT: the dynamic range compressor (docs/compressor.md) over a file.
#include <cmath>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "audio/sound_file.h"
#include "commands.h"
#include "extrema/dsp/compressor.h"
#include "progress.h"

namespace extrema::cli {
namespace {

struct CompressOptions {
    std::string input;
    std::string output;
    dsp::CompressorConfig config;
    std::string ratio = "4";
    std::string makeup_db = "0";
    bool rms = false;
    bool float_output = false;
};

// A number, or "inf" for a limiter.
double parse_ratio(const std::string& text) {
    if (text == "inf" || text == "infinity" || text == "Inf") {
        return std::numeric_limits<double>::infinity();
    }
    std::size_t used = 0;
    double value = 0.0;
    try {
        value = std::stod(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != text.size() || !std::isfinite(value)) {
        throw std::invalid_argument("--ratio: expected a number >= 1 or 'inf', got '" + text + "'");
    }
    return value;
}

// A number of dB, or "auto" for the automatic make-up rule.
void parse_makeup(const std::string& text, dsp::CompressorConfig& config) {
    if (text == "auto") {
        config.auto_makeup = true;
        config.makeup_db = 0.0;
        return;
    }
    std::size_t used = 0;
    try {
        config.makeup_db = std::stod(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != text.size()) {
        throw std::invalid_argument("--makeup-db: expected a number of dB or 'auto', got '" + text +
                                    "'");
    }
}

void run_compress(CompressOptions opt) {
    opt.config.ratio = parse_ratio(opt.ratio);
    parse_makeup(opt.makeup_db, opt.config);
    if (opt.rms) opt.config.level_mode = dsp::LevelMode::kRms;
    dsp::validate(opt.config);  // before touching any file

    audio::SoundFileReader reader(opt.input);
    const audio::SoundInfo info = reader.info();
    dsp::Compressor compressor(opt.config, info.rate_hz, info.channels);
    audio::SoundFileWriter writer(
        opt.output, info.rate_hz, info.channels,
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
}

}  // namespace

void add_compress_command(CLI::App& app) {
    auto opt = std::make_shared<CompressOptions>();
    auto* cmd = app.add_subcommand(
        "compress",
        "Dynamic range compressor (feed-forward, dB domain, stereo-linked) over a file");
    cmd->add_option("input", opt->input, "Input audio file")->required();
    cmd->add_option("output", opt->output, "Output audio file (WAV or FLAC, by extension)")
        ->required();
    cmd->add_option("--threshold-db", opt->config.threshold_db, "Threshold, dBFS")
        ->capture_default_str();
    cmd->add_option("--ratio", opt->ratio, "Ratio (>= 1), or 'inf' to limit")
        ->capture_default_str();
    cmd->add_option("--knee-db", opt->config.knee_db, "Soft-knee width, dB (0: hard knee)")
        ->capture_default_str();
    cmd->add_option("--attack-ms", opt->config.attack_ms, "Attack time constant, ms")
        ->capture_default_str();
    cmd->add_option("--release-ms", opt->config.release_ms, "Release time constant, ms")
        ->capture_default_str();
    cmd->add_option("--makeup-db", opt->makeup_db, "Make-up gain, dB, or 'auto'")
        ->capture_default_str();
    cmd->add_flag("--rms", opt->rms, "RMS level detector instead of peak (the paper's default)");
    cmd->add_flag("--float", opt->float_output,
                  "Write 32-bit float WAV (keeps make-up gain above full scale unclipped)");
    cmd->callback([opt] { run_compress(*opt); });
}

}  // namespace extrema::cli
