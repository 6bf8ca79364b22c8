#pragma once
// The three systems `extrema report` compares with its input, each run exactly as its own
// subcommand runs it, writing the same files (.xtr/.xsvd and a 16-bit WAV) into a directory:
//   extrema.xtr + extrema.wav      extrema encode / extrema decode
//   svd.xsvd + svd.wav             extrema svd encode / extrema svd decode
//   compressed.wav                 extrema compress
// Each decoded signal is then read back from its WAV file, so the report measures the very
// samples `extrema eval` reads from that file.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "audio/sound_file.h"
#include "extrema/codec/encoder.h"
#include "extrema/codec/record.h"
#include "extrema/dsp/compressor.h"
#include "extrema/lowrank/svd_codec.h"

namespace extrema::cli {

struct InputSignal {
    std::filesystem::path path;
    audio::SoundInfo info;
    std::vector<float> samples;  // interleaved, normalised
    std::vector<float> mono;     // quality::mix_to_mono of samples: eval's reference
};

struct SystemOutput {
    std::filesystem::path wav_path;
    std::vector<float> samples;        // interleaved, read back from wav_path
    std::filesystem::path coded_path;  // .xtr / .xsvd; empty for the compressor
    std::uint64_t coded_bytes = 0;
    double kbps = 0.0;  // coded_bytes * 8 / duration / 1000
};

struct ExtremaOutput {
    SystemOutput output;
    // Channel 0, for the zoomed figure.
    std::vector<codec::Record> records;
    std::vector<std::int16_t> original;  // the encoder's input
    std::vector<std::int16_t> decoded;
};

// Throws std::runtime_error with a one-line message naming the file on any failure.
ExtremaOutput run_extrema(const InputSignal& input, codec::EncoderConfig config,
                          const std::filesystem::path& dir);
SystemOutput run_svd(const InputSignal& input, const lowrank::SvdCodecConfig& config,
                     const std::filesystem::path& dir);
SystemOutput run_compressor(const InputSignal& input, const dsp::CompressorConfig& config,
                            const std::filesystem::path& dir);

}  // namespace extrema::cli
