#include "compressor_options.h"

#include <fmt/format.h>

#include <stdexcept>

#include "config/compressor_words.h"

namespace extrema::cli {
namespace {

double parse_ratio(const std::string& text) {
    if (const auto ratio = config::parse_ratio_text(text)) return *ratio;
    throw std::invalid_argument("--ratio: expected a number >= 1 or 'inf', got '" + text + "'");
}

void parse_makeup(const std::string& text, dsp::CompressorConfig& config) {
    const auto makeup = extrema::config::parse_makeup_text(text);
    if (!makeup) {
        throw std::invalid_argument("--makeup-db: expected a number of dB or 'auto', got '" + text +
                                    "'");
    }
    config.makeup_db = makeup->db;
    config.auto_makeup = makeup->automatic;
}

}  // namespace

void add_compressor_options(CLI::App& cmd, CompressorOptions& opt) {
    cmd.add_option("--threshold-db", opt.config.threshold_db, "Compressor threshold, dBFS")
        ->capture_default_str();
    cmd.add_option("--ratio", opt.ratio, "Compressor ratio (>= 1), or 'inf' to limit")
        ->capture_default_str();
    cmd.add_option("--knee-db", opt.config.knee_db, "Compressor soft-knee width, dB (0: hard)")
        ->capture_default_str();
    cmd.add_option("--attack-ms", opt.config.attack_ms, "Compressor attack time constant, ms")
        ->capture_default_str();
    cmd.add_option("--release-ms", opt.config.release_ms, "Compressor release time constant, ms")
        ->capture_default_str();
    cmd.add_option("--makeup-db", opt.makeup_db, "Compressor make-up gain, dB, or 'auto'")
        ->capture_default_str();
    cmd.add_flag("--rms", opt.rms, "Compressor: RMS level detector instead of peak");
}

dsp::CompressorConfig compressor_config(const CompressorOptions& opt) {
    dsp::CompressorConfig config = opt.config;
    config.ratio = parse_ratio(opt.ratio);
    parse_makeup(opt.makeup_db, config);
    if (opt.rms) config.level_mode = dsp::LevelMode::kRms;
    dsp::validate(config);
    return config;
}

std::string compressor_summary(const CompressorOptions& opt) {
    const dsp::CompressorConfig& c = opt.config;
    const std::string ratio =
        config::is_infinite_ratio_word(opt.ratio) ? std::string("∞:1 (limiter)") : opt.ratio + ":1";
    const std::string makeup =
        opt.makeup_db == config::kAutoMakeupWord ? std::string("auto") : opt.makeup_db + " dB";
    return fmt::format(
        "threshold {} dBFS, ratio {}, knee {} dB, attack {} ms, release {} ms, make-up {}, {} "
        "detector",
        c.threshold_db, ratio, c.knee_db, c.attack_ms, c.release_ms, makeup,
        opt.rms ? "RMS" : "peak");
}

std::string compressor_arguments(const CompressorOptions& opt) {
    return fmt::format(
        "--threshold-db {} --ratio {} --knee-db {} --attack-ms {} --release-ms {} --makeup-db {}{}",
        opt.config.threshold_db, opt.ratio, opt.config.knee_db, opt.config.attack_ms,
        opt.config.release_ms, opt.makeup_db, opt.rms ? " --rms" : "");
}

}  // namespace extrema::cli
