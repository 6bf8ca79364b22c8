// extrema info FILE.xtr|FILE.xsvd: what a stream holds and what it costs.
#include <fmt/core.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "audio/sound_file.h"
#include "commands.h"
#include "extrema/codec/curve_bank.h"
#include "extrema/codec/xtr_format.h"
#include "extrema/lowrank/xsvd_format.h"
#include "file_kinds.h"
#include "service/json_text.h"
#include "xtr_file.h"

namespace extrema::cli {
namespace {

struct InfoOptions {
    std::string input;
    bool json = false;
};

// The file type is told by its magic, not its name: an .xsvd file starts with "XSVD"; anything
// else is read as an .xtr stream (which may be a headerless seed stream: one that happened to
// start with those four bytes would be refused as a bad .xsvd file, with a message saying so).
bool has_xsvd_magic(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    char magic[sizeof lowrank::kXsvdMagic] = {};
    in.read(magic, sizeof magic);
    return in.gcount() == static_cast<std::streamsize>(sizeof magic) &&
           std::equal(std::begin(magic), std::end(magic), std::begin(lowrank::kXsvdMagic),
                      [](char a, std::uint8_t b) { return static_cast<std::uint8_t>(a) == b; });
}

void run_xsvd_info(const InfoOptions& opt) {
    const std::vector<std::uint8_t> bytes = audio::read_whole_file(opt.input);
    lowrank::XsvdHeader h;
    try {
        h = lowrank::parse_xsvd_header(bytes);  // checks the total size against the header too
    } catch (const lowrank::XsvdFormatError& e) {
        throw std::runtime_error("'" + opt.input + "': not a valid .xsvd file: " + e.what());
    }
    const double seconds = static_cast<double>(h.samples_per_channel) / h.sample_rate_hz;
    const double kbps =
        seconds > 0 ? static_cast<double>(bytes.size()) * 8.0 / seconds / 1000.0 : 0.0;
    if (opt.json) {
        fmt::print("{}\n", json::one_line({{"file", opt.input},
                                           {"format", "xsvd1"},
                                           {"rate_hz", h.sample_rate_hz},
                                           {"channels", h.channels},
                                           {"samples", h.samples_per_channel},
                                           {"duration_s", json::rounded(seconds, 6)},
                                           {"rank", h.rank},
                                           {"blocks", h.block_count},
                                           {"block_frames", h.block_frames},
                                           {"n_fft", h.n_fft},
                                           {"hop", h.hop},
                                           {"bytes", bytes.size()},
                                           {"kbps", json::rounded(kbps, 3)}}));
        return;
    }
    fmt::print("file:        {}\n", opt.input);
    fmt::print("format:      xsvd v1 (STFT/SVD low-rank codec)\n");
    fmt::print("rate:        {} Hz\n", h.sample_rate_hz);
    fmt::print("channels:    {}\n", h.channels);
    fmt::print("duration:    {:.3f} s ({} samples per channel)\n", seconds, h.samples_per_channel);
    fmt::print("rank:        {} (real and imaginary parts of each block)\n", h.rank);
    fmt::print("blocks:      {} of up to {} frames\n", h.block_count, h.block_frames);
    fmt::print("stft:        n_fft {}, hop {}\n", h.n_fft, h.hop);
    fmt::print("size:        {} bytes, {:.2f} kbps\n", bytes.size(), kbps);
}

void run_info(const InfoOptions& opt) {
    if (sniff_file(opt.input) == FileKind::kAudio) {
        throw std::runtime_error("'" + opt.input +
                                 "': this is an audio file, not an extrema stream: use 'extrema "
                                 "encode' to make one");
    }
    if (has_xsvd_magic(opt.input)) {
        run_xsvd_info(opt);
        return;
    }
    const codec::XtrStream stream = read_xtr_file(opt.input);
    const auto file_bytes = std::filesystem::file_size(opt.input);
    std::uint64_t records = 0, curves = 0, silences = 0, anchors = 0;
    for (const auto& channel : stream.channels) {
        for (const auto& r : channel) {
            ++records;
            if (r.is_silence())
                ++silences;
            else if (r.is_anchor())
                ++anchors;
            else
                ++curves;
        }
    }
    const double seconds = static_cast<double>(stream.samples_per_channel) / stream.sample_rate_hz;
    const double kbps =
        seconds > 0 ? static_cast<double>(file_bytes) * 8.0 / seconds / 1000.0 : 0.0;
    const double mean_record_samples =
        records > 0 ? static_cast<double>(stream.samples_per_channel * stream.channels.size()) /
                          static_cast<double>(records)
                    : 0.0;
    const auto* bank = codec::CurveBank::find(stream.bank_id);
    const std::string format = stream.raw ? "raw seed stream (headerless)" : "xtr v1";
    if (opt.json) {
        fmt::print("{}\n", json::one_line(
                               {{"file", opt.input},
                                {"format", stream.raw ? "raw" : "xtr1"},
                                {"rate_hz", stream.sample_rate_hz},
                                {"channels", stream.channels.size()},
                                {"samples", stream.samples_per_channel},
                                {"duration_s", json::rounded(seconds, 6)},
                                {"records", records},
                                {"curves", curves},
                                {"silences", silences},
                                {"anchors", anchors},
                                {"bank_id", stream.bank_id},
                                {"bytes", file_bytes},
                                {"kbps", json::rounded(kbps, 3)},
                                {"mean_record_samples", json::rounded(mean_record_samples, 3)}}));
        return;
    }
    fmt::print("file:        {}\n", opt.input);
    fmt::print("format:      {}\n", format);
    fmt::print("rate:        {} Hz\n", stream.sample_rate_hz);
    fmt::print("channels:    {}\n", stream.channels.size());
    fmt::print("duration:    {:.3f} s ({} samples per channel)\n", seconds,
               stream.samples_per_channel);
    fmt::print("records:     {} ({} curves, {} silences, {} anchors)\n", records, curves, silences,
               anchors);
    fmt::print("mean record: {:.2f} samples\n", mean_record_samples);
    fmt::print("curve bank:  {} ({})\n", stream.bank_id,
               bank != nullptr ? bank->name() : "unknown");
    fmt::print("size:        {} bytes, {:.2f} kbps\n", file_bytes, kbps);
}

}  // namespace

void add_info_command(CLI::App& app) {
    auto opt = std::make_shared<InfoOptions>();
    auto* cmd = app.add_subcommand(
        "info",
        "Describe an .xtr stream or an .xsvd file: rate, channels, duration, records or rank, "
        "bitrate");
    cmd->add_option("input", opt->input, "An .xtr or .xsvd file")->required();
    cmd->add_flag("--json", opt->json, "One JSON object on stdout");
    cmd->callback([opt] { run_info(*opt); });
}

}  // namespace extrema::cli
