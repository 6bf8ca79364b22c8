// extrema info FILE.xtr: what a stream holds and what it costs.
#include <fmt/core.h>

#include <filesystem>
#include <memory>
#include <string>

#include "commands.h"
#include "extrema/codec/curve_bank.h"
#include "extrema/codec/xtr_format.h"
#include "xtr_file.h"

namespace extrema::cli {
namespace {

struct InfoOptions {
    std::string input;
    bool json = false;
};

void run_info(const InfoOptions& opt) {
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
        fmt::print(
            "{{\"file\": \"{}\", \"format\": \"{}\", \"rate_hz\": {}, \"channels\": {}, "
            "\"samples\": {}, "
            "\"duration_s\": {:.6f}, \"records\": {}, \"curves\": {}, \"silences\": {}, "
            "\"anchors\": {}, "
            "\"bank_id\": {}, \"bytes\": {}, \"kbps\": {:.3f}, \"mean_record_samples\": {:.3f}}}\n",
            opt.input, stream.raw ? "raw" : "xtr1", stream.sample_rate_hz, stream.channels.size(),
            stream.samples_per_channel, seconds, records, curves, silences, anchors, stream.bank_id,
            file_bytes, kbps, mean_record_samples);
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
        "info", "Describe an .xtr stream: rate, channels, duration, records, bitrate");
    cmd->add_option("input", opt->input, "An .xtr file")->required();
    cmd->add_flag("--json", opt->json, "One JSON object on stdout");
    cmd->callback([opt] { run_info(*opt); });
}

}  // namespace extrema::cli
