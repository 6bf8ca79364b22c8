// extrema_rate_quality FOLDER [--extrema PATH] [--ffmpeg PATH] [--json OUT.json]
// [--extrema-settings "ARGS;ARGS;..."] [--no-peers]: every speech file in FOLDER through extrema at
// several settings and through the standard voice codecs (peer_codecs.h), in one run. Prints one
// markdown table of payload kbit/s, MOS-LQO (visqol.h), STOI and segmental SNR averaged over the
// files, and writes the per-file and mean figures as JSON.
//
// Payload is codec bytes only: for extrema the .xtr records (file size less its mono header);
// for the ffmpeg codecs the raw codec stream; for Opus the packets. Target-rate settings (e.g.
// "--kbps 12") are only more ARGS for `extrema encode` in --extrema-settings. --no-peers leaves
// the standard codecs out, to compare extrema's own variants.
#include <fmt/core.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "audio/sound_file.h"
#include "extrema/quality/metrics.h"
#include "extrema/quality/mixdown.h"
#include "extrema/quality/resample.h"
#include "extrema/quality/visqol.h"
#include "peer_codecs.h"

namespace fs = std::filesystem;
using extrema::bench::RoundTrip;

namespace {

// The .xtr header of a mono file (docs/format.md): 24 bytes plus 8 per channel.
constexpr std::size_t kMonoXtrHeaderBytes = 24 + 8;
// The knobs: the defaults, the coarser thresholds and narrower pre-filters the README has long
// quoted, then payload targets from 16 to 64 kbps under rate control.
const char* const kDefaultExtremaSettings =
    ";--threshold 200;--threshold 400 --lowpass 4000;--threshold 800;--threshold 800 --lowpass "
    "3400;--kbps 16;--kbps 24;--kbps 32;--kbps 48;--kbps 64";

struct Options {
    fs::path folder;
    std::string extrema = "extrema";
    std::string ffmpeg = "ffmpeg";
    fs::path json_out = "rate_quality.json";
    std::vector<std::string> extrema_settings;
    bool peers = true;  // --no-peers: extrema's rows only (comparing its own variants)
};

struct Figures {
    double kbps = 0, mos = 0, stoi = 0, segsnr = 0;
};

std::vector<std::string> split(const std::string& text, char sep) {
    std::vector<std::string> parts;
    std::stringstream in(text);
    std::string part;
    while (std::getline(in, part, sep)) parts.push_back(part);
    if (!text.empty() && text.back() == sep) parts.emplace_back();
    return parts;
}

void run(const std::string& command) {
    const std::string full = command + " </dev/null";
    if (std::system(full.c_str()) != 0) throw std::runtime_error("command failed: " + command);
}

Figures measure(const std::vector<float>& ref, int rate_hz, const RoundTrip& trip) {
    Figures f;
    f.kbps = static_cast<double>(trip.payload_bytes) * 8.0 /
             (static_cast<double>(ref.size()) / rate_hz) / 1000.0;
    f.mos = extrema::quality::speech_mos(ref, rate_hz, trip.decoded, rate_hz);
    const auto m = extrema::quality::evaluate(ref, trip.decoded, rate_hz);
    f.stoi = m.stoi;
    f.segsnr = m.segsnr_db;
    return f;
}

RoundTrip extrema_round_trip(const Options& opt, const std::string& settings,
                             const std::vector<float>& mono, int rate_hz, const fs::path& work) {
    const auto in = work / "x_in.wav";
    const auto xtr = work / "x.xtr";
    const auto out = work / "x_out.wav";
    extrema::audio::write_sound_file(in, rate_hz, 1, mono);
    run(fmt::format("'{}' encode {} '{}' '{}' >/dev/null", opt.extrema, settings, in.string(),
                    xtr.string()));
    run(fmt::format("'{}' decode '{}' '{}' >/dev/null", opt.extrema, xtr.string(), out.string()));
    const auto decoded = extrema::audio::read_sound_file(out);
    RoundTrip r;
    r.decoded = extrema::quality::mix_to_mono(decoded.samples, decoded.info.channels);
    r.decoded = extrema::quality::resample(r.decoded, decoded.info.rate_hz, rate_hz);
    r.payload_bytes = static_cast<std::size_t>(fs::file_size(xtr)) - kMonoXtrHeaderBytes;
    return r;
}

Options parse(int argc, char** argv) {
    Options opt;
    opt.extrema_settings = split(kDefaultExtremaSettings, ';');
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const auto value = [&]() -> std::string {
            if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
            return argv[++i];
        };
        if (a == "--extrema")
            opt.extrema = value();
        else if (a == "--ffmpeg")
            opt.ffmpeg = value();
        else if (a == "--json")
            opt.json_out = value();
        else if (a == "--extrema-settings")
            opt.extrema_settings = split(value(), ';');
        else if (a == "--no-peers")
            opt.peers = false;
        else if (opt.folder.empty())
            opt.folder = a;
        else
            throw std::runtime_error("unexpected argument '" + a + "'");
    }
    if (opt.folder.empty()) {
        throw std::runtime_error(
            "usage: extrema_rate_quality FOLDER [--extrema PATH] [--ffmpeg PATH] [--json OUT] "
            "[--extrema-settings \"ARGS;ARGS\"] [--no-peers]");
    }
    return opt;
}

}  // namespace

int main(int argc, char** argv) try {
    const Options opt = parse(argc, argv);
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(opt.folder)) {
        if (e.is_regular_file()) files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    if (files.empty()) throw std::runtime_error("no files in " + opt.folder.string());
    const fs::path work = fs::temp_directory_path() / fmt::format("extrema-rq-{}", ::getpid());
    fs::create_directories(work);

    // Rows in table order, each with its round trip.
    struct Row {
        std::string name;
        std::function<RoundTrip(const std::vector<float>&, int)> trip;
    };
    std::vector<Row> rows;
    for (const std::string& s : opt.extrema_settings) {
        rows.push_back({"extrema " + (s.empty() ? std::string("(defaults)") : s),
                        [&, s](const std::vector<float>& x, int r) {
                            return extrema_round_trip(opt, s, x, r, work);
                        }});
    }
    const auto ffmpeg_peers = opt.peers ? extrema::bench::standard_ffmpeg_codecs()
                                        : std::vector<extrema::bench::FfmpegCodec>{};
    for (const auto& c : ffmpeg_peers) {
        rows.push_back({c.name, [&, c](const std::vector<float>& x, int r) {
                            return extrema::bench::ffmpeg_round_trip(opt.ffmpeg, c, x, r, work);
                        }});
    }
    if (opt.peers && extrema::bench::opus_available()) {
        for (const int kbps : {8, 12, 16, 24, 32}) {
            rows.push_back(
                {fmt::format("Opus VOIP {}", kbps), [kbps](const std::vector<float>& x, int r) {
                     return extrema::bench::opus_round_trip(x, r, kbps);
                 }});
        }
    }

    nlohmann::json out;
    out["files"] = nlohmann::json::array();
    for (const auto& f : files) out["files"].push_back(f.filename().string());
    std::vector<Figures> mean(rows.size());
    for (const auto& path : files) {
        const auto data = extrema::audio::read_sound_file(path);
        const std::vector<float> mono =
            extrema::quality::mix_to_mono(data.samples, data.info.channels);
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const Figures f =
                measure(mono, data.info.rate_hz, rows[i].trip(mono, data.info.rate_hz));
            out["per_file"][rows[i].name][path.filename().string()] = {
                {"kbps", f.kbps}, {"mos", f.mos}, {"stoi", f.stoi}, {"segsnr_db", f.segsnr}};
            mean[i].kbps += f.kbps / static_cast<double>(files.size());
            mean[i].mos += f.mos / static_cast<double>(files.size());
            mean[i].stoi += f.stoi / static_cast<double>(files.size());
            mean[i].segsnr += f.segsnr / static_cast<double>(files.size());
        }
        fmt::print(stderr, "{}: done\n", path.filename().string());
    }
    fmt::print("| codec / setting | payload kbit/s | MOS-LQO | STOI | segSNR dB |\n");
    fmt::print("|---|---:|---:|---:|---:|\n");
    for (std::size_t i = 0; i < rows.size(); ++i) {
        fmt::print("| {} | {:.1f} | {:.2f} | {:.3f} | {:.1f} |\n", rows[i].name, mean[i].kbps,
                   mean[i].mos, mean[i].stoi, mean[i].segsnr);
        out["mean"].push_back({{"name", rows[i].name},
                               {"kbps", mean[i].kbps},
                               {"mos", mean[i].mos},
                               {"stoi", mean[i].stoi},
                               {"segsnr_db", mean[i].segsnr}});
    }
    std::ofstream(opt.json_out) << out.dump(2) << "\n";
    fs::remove_all(work);
    return 0;
} catch (const std::exception& e) {
    fmt::print(stderr, "extrema_rate_quality: {}\n", e.what());
    return 1;
}
