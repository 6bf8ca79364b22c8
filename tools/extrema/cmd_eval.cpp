// extrema eval REF TEST [--xtr STREAM.xtr] [--json]: how close a decoded file is to its original.
// The perceived quality is MOS-LQO, the ViSQOL v3 speech model (visqol.h), which resamples to
// 16 kHz and aligns on its own. For the sample-by-sample figures TEST is brought to REF's rate,
// aligned to REF by cross-correlation (the codec and the network add delay), and SNR, segmental
// SNR, log-spectral distance and STOI (intelligibility) are measured on the overlapping part.
// Multichannel files are mixed down to mono (the average of all channels) before measuring.
#include <fmt/core.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "audio/sound_file.h"
#include "commands.h"
#include "extrema/codec/xtr_format.h"
#include "extrema/quality/error.h"
#include "extrema/quality/json.h"
#include "extrema/quality/metrics.h"
#include "extrema/quality/mixdown.h"
#include "extrema/quality/resample.h"
#include "extrema/quality/visqol.h"
#include "progress.h"
#include "xtr_file.h"

namespace extrema::cli {
namespace {

struct EvalOptions {
    std::string ref;
    std::string test;
    std::string xtr;
    bool json = false;
};

struct MonoSignal {
    std::vector<float> samples;
    int rate_hz = 0;
};

MonoSignal read_mono(const std::string& path) {
    audio::SoundData data = audio::read_sound_file(path);  // its errors already name the file
    if (data.samples.empty()) throw std::runtime_error(fmt::format("'{}': no audio samples", path));
    try {
        return {quality::mix_to_mono(data.samples, data.info.channels), data.info.rate_hz};
    } catch (const quality::QualityError& e) {
        throw std::runtime_error(fmt::format("'{}': {}", path, e.what()));
    }
}

// Whole file size over duration: header and records both cost bandwidth on disk.
double stream_kbps(const std::string& path) {
    const codec::XtrStream stream = read_xtr_file(path);
    if (stream.samples_per_channel == 0 || stream.sample_rate_hz == 0) {
        throw std::runtime_error(
            fmt::format("'{}': the stream holds no audio, so it has no bitrate", path));
    }
    const double seconds = static_cast<double>(stream.samples_per_channel) /
                           static_cast<double>(stream.sample_rate_hz);
    return static_cast<double>(std::filesystem::file_size(path)) * 8.0 / seconds / 1000.0;
}

void print_human(const quality::Metrics& m, int rate_hz, std::optional<double> kbps) {
    const double delay_ms = static_cast<double>(m.delay_samples) * 1000.0 / rate_hz;
    if (m.mos)
        fmt::print("MOS-LQO: {:>10.3f} (1..5, ViSQOL v3 speech: perceived quality)\n", *m.mos);
    fmt::print("delay:   {:>10} samples ({:.3f} ms)\n", m.delay_samples, delay_ms);
    fmt::print("SNR:     {:>10.3f} dB\n", m.snr_db);
    fmt::print("segSNR:  {:>10.3f} dB\n", m.segsnr_db);
    fmt::print("LSD:     {:>10.3f} dB\n", m.lsd_db);
    fmt::print("STOI:    {:>10.5f} (0..1, intelligibility)\n", m.stoi);
    if (kbps) fmt::print("bitrate: {:>10.3f} kbps\n", *kbps);
}

void run_eval(const EvalOptions& opt) {
    const MonoSignal ref = read_mono(opt.ref);
    const MonoSignal test = read_mono(opt.test);
    // The stream is checked before the (slower) metrics so a bad --xtr fails fast.
    std::optional<double> kbps;
    if (!opt.xtr.empty()) kbps = stream_kbps(opt.xtr);
    quality::Metrics metrics;
    try {
        // The sample metrics are the first half of the bar, the perceptual model the second;
        // this order is also extrema report's, so both name the same problem with a pair.
        Progress bar("eval", ref.samples.size());
        const auto total = static_cast<double>(ref.samples.size());
        const std::vector<float> test_at_ref_rate =
            quality::resample(test.samples, test.rate_hz, ref.rate_hz);
        metrics = quality::evaluate(ref.samples, test_at_ref_rate, ref.rate_hz);
        bar.update(ref.samples.size() / 2);
        const double mos =
            quality::speech_quality(
                ref.samples, ref.rate_hz, test.samples, test.rate_hz,
                [&](double fraction) {
                    bar.update(static_cast<std::uint64_t>((0.5 + fraction / 2.0) * total));
                })
                .mos;
        metrics.mos = mos;
    } catch (const quality::QualityError& e) {
        throw std::runtime_error(
            fmt::format("cannot evaluate '{}' against '{}': {}", opt.test, opt.ref, e.what()));
    }
    if (opt.json) {
        fmt::print("{}\n", quality::to_json(metrics, kbps));
    } else {
        print_human(metrics, ref.rate_hz, kbps);
    }
}

}  // namespace

void add_eval_command(CLI::App& app) {
    auto opt = std::make_shared<EvalOptions>();
    auto* cmd = app.add_subcommand(
        "eval",
        "Compare a decoded file with its original: perceived quality as MOS-LQO (ViSQOL v3 "
        "speech, 1..5), delay, SNR, segmental SNR, log-spectral distance, STOI "
        "(intelligibility); files are mixed down to mono, TEST is resampled to REF's rate");
    cmd->add_option("ref", opt->ref, "The original audio file")->required();
    cmd->add_option("test", opt->test, "The processed (decoded) audio file")->required();
    cmd->add_option("--xtr", opt->xtr, "The .xtr stream TEST was decoded from: report its bitrate");
    cmd->add_flag("--json", opt->json, "One JSON object on stdout");
    cmd->callback([opt] { run_eval(*opt); });
}

}  // namespace extrema::cli
