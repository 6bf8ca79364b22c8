#pragma once
// The compressor's command-line options (docs/compressor.md), shared by every subcommand that runs
// it: --threshold-db --ratio --knee-db --attack-ms --release-ms --makeup-db --rms.
#include <CLI/CLI.hpp>
#include <string>

#include "extrema/dsp/compressor.h"

namespace extrema::cli {

struct CompressorOptions {
    dsp::CompressorConfig config;  // the numeric options land here directly
    std::string ratio = "4";       // a number >= 1, or "inf" (a limiter)
    std::string makeup_db = "0";   // a number of dB, or "auto"
    bool rms = false;
};

void add_compressor_options(CLI::App& command, CompressorOptions& options);

// The config the options describe; throws std::invalid_argument naming the bad option.
dsp::CompressorConfig compressor_config(const CompressorOptions& options);

// The settings in words ("threshold -20 dBFS, ratio 4:1, knee 6 dB, ..."), for the report.
std::string compressor_summary(const CompressorOptions& options);

// The options as a command line fragment ("--threshold-db -20 --ratio 4 ..."), for the report's
// "reproduce" commands.
std::string compressor_arguments(const CompressorOptions& options);

}  // namespace extrema::cli
