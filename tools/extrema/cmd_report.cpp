// extrema report IN -o report.html: the input, the extrema round trip, the STFT/SVD round trip and
// the compressed signal side by side in one self-contained HTML page (tools/report): figures from
// eval, bitrates, waveforms, a zoom on the extrema segments, spectrograms and audio players.
#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench_points.h"
#include "commands.h"
#include "compressor_options.h"
#include "encoder_defaults.h"
#include "extrema/lowrank/xsvd_format.h"
#include "extrema/quality/error.h"
#include "extrema/quality/json.h"
#include "extrema/quality/metrics.h"
#include "extrema/quality/mixdown.h"
#include "extrema/quality/visqol.h"
#include "extrema/report/html_page.h"
#include "extrema/report/wav_bytes.h"
#include "extrema/report/waveform_svg.h"
#include "extrema_version.h"
#include "progress.h"
#include "report_systems.h"
#include "service/json_text.h"

namespace extrema::cli {
namespace {

namespace fs = std::filesystem;

// The SVD codec's rank when --rank is not given: a middle setting of the SVD codec's
// rate-quality table (docs/quality.md).
constexpr std::uint32_t kDefaultRank = 16;
// Spectrogram pixels: 920 columns is the waveform plots' width (one column per pixel); 200 rows
// (120 Hz each at 48 kHz) show formants and the extrema codec's high-frequency error.
constexpr std::uint32_t kSpectrogramRows = 200;
// 80 dB below the input's brightest pixel: the range 16-bit speech recordings use.
constexpr double kSpectrogramRangeDb = 80.0;
constexpr long long kRankUnset = std::numeric_limits<long long>::min();

struct ReportOptions {
    std::string input;
    std::string output;
    std::string keep_dir;
    codec::EncoderConfig extrema = file_encoder_defaults();
    // Unset: kDefaultRank, capped to what the input allows. Signed, so "-3" reaches our range
    // check rather than a parse error.
    long long rank = kRankUnset;
    CompressorOptions compressor;
    // 10 ms: one or two pitch periods of a voice, so several segments show; few enough samples
    // (480 at 48 kHz) that each one still shows as a dot.
    double zoom_ms = 10.0;
    double zoom_at_s = -1.0;  // < 0: the loudest stretch
    // 10 s: a sentence or two is enough to compare by ear; four players of 16-bit 48 kHz mono
    // are then 3.8 MB of WAV (5.1 MB as base64).
    double max_audio_s = 10.0;
    // 8 kHz: where speech's formants and most of its intelligibility lie; the codecs' errors show
    // there too. 0 draws up to Nyquist.
    double spectrogram_khz = 8.0;
    // 5 minutes: the report holds the signal in several forms at once (the input, each system's
    // output, their players' WAV bytes), so its memory grows with the input; longer recordings
    // are better cut to the part worth looking at.
    double max_input_s = 300.0;
    std::string rate_quality;  // a rate-quality bench result to chart too; empty: none
};

// The directory the systems write into: --keep-dir, or a fresh one removed afterwards.
class WorkDir {
  public:
    explicit WorkDir(const std::string& keep) : keep_(!keep.empty()) {
        if (keep_) {
            path_ = keep;
            std::error_code ec;
            fs::create_directories(path_, ec);
            if (!fs::is_directory(path_)) {
                throw std::runtime_error("--keep-dir '" + keep + "': cannot create the directory");
            }
            return;
        }
        std::random_device random;
        path_ = fs::temp_directory_path() / fmt::format("extrema-report-{:08x}", random());
        fs::create_directories(path_);
    }
    ~WorkDir() {
        std::error_code ec;
        if (!keep_) fs::remove_all(path_, ec);
    }
    WorkDir(const WorkDir&) = delete;
    WorkDir& operator=(const WorkDir&) = delete;
    const fs::path& path() const { return path_; }

  private:
    bool keep_;
    fs::path path_;
};

std::string shell_quote(const std::string& text) {
    if (!text.empty() &&
        text.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                               "0123456789_-./=+:,") == std::string::npos) {
        return text;
    }
    std::string out = "'";
    for (const char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

InputSignal read_input(const ReportOptions& opt) {
    InputSignal in;
    in.path = opt.input;
    // The header first, so a long file is refused before it is read.
    in.info = audio::SoundFileReader(opt.input).info();  // its errors name the file
    const double seconds = static_cast<double>(in.info.frames) / in.info.rate_hz;
    if (seconds > opt.max_input_s) {
        throw std::runtime_error(fmt::format(
            "'{}': {:.1f} s long; the report holds the whole signal in memory and stops at "
            "--max-input-s {} s (cut the file or raise the limit)",
            opt.input, seconds, opt.max_input_s));
    }
    if (in.info.channels > lowrank::kMaxXsvdChannels) {
        throw std::runtime_error(fmt::format("'{}': {} channels (the report handles at most {})",
                                             opt.input, in.info.channels,
                                             lowrank::kMaxXsvdChannels));
    }
    audio::SoundData data = audio::read_sound_file(opt.input);
    in.info = data.info;
    in.samples = std::move(data.samples);
    if (in.samples.empty()) throw std::runtime_error("'" + opt.input + "': no audio samples");
    // What was read, which a damaged file's header may overstate.
    in.info.frames = static_cast<std::int64_t>(in.samples.size() / in.info.channels);
    in.mono = quality::mix_to_mono(in.samples, in.info.channels);
    return in;
}

lowrank::SvdCodecConfig svd_config(const ReportOptions& opt, std::uint64_t frames) {
    lowrank::SvdCodecConfig config;
    if (opt.rank == kRankUnset) {
        config.rank = std::min(kDefaultRank, lowrank::max_rank(config, frames));
        return config;
    }
    const std::uint32_t max = lowrank::max_rank(config, frames);
    if (opt.rank < 1 || opt.rank > max) {
        throw std::runtime_error(fmt::format(
            "invalid --rank {}: it must be in 1..{}, the rank of this input's spectrogram blocks",
            opt.rank, max));
    }
    config.rank = static_cast<std::uint32_t>(opt.rank);
    return config;
}

// A bitrate as `extrema eval --json` and `info --json` write it.
std::string kbps_text(double kbps) {
    return json::one_line(json::rounded(kbps, 3));
}

// Fills the panel's figures: `extrema eval --json`'s text for (input, output), the same function
// on the same samples. A pair eval cannot measure (e.g. too little speech for STOI) gets eval's
// reason instead, which the page shows in place of the figures.
void evaluate_into(report::SystemPanel& p, const InputSignal& in, const SystemOutput& out,
                   std::optional<double> kbps) {
    if (out.coded_bytes > 0) p.bytes_text = std::to_string(out.coded_bytes);
    if (kbps) p.kbps_text = kbps_text(*kbps);
    try {
        const std::vector<float> mono = quality::mix_to_mono(out.samples, in.info.channels);
        quality::Metrics m = quality::evaluate(in.mono, mono, in.info.rate_hz);
        m.mos = quality::speech_mos(in.mono, in.info.rate_hz, mono, in.info.rate_hz);  // as eval
        p.eval_json = quality::to_json(m, kbps);
    } catch (const quality::QualityError& e) {
        p.eval_error = e.what();
        fmt::print(stderr, "extrema report: no figures for {}: {}\n", p.title, e.what());
    }
}

report::SystemPanel make_panel(const ReportOptions& opt, const InputSignal& in,
                               std::span<const float> samples, std::string key, std::string title,
                               std::string colour) {
    report::SystemPanel p;
    p.key = std::move(key);
    p.title = std::move(title);
    p.colour = std::move(colour);
    const std::vector<float> mono = quality::mix_to_mono(samples, in.info.channels);
    p.envelope = report::compute_envelope(mono, report::kWaveformColumns);
    p.spectrogram = report::compute_spectrogram(
        mono, in.info.rate_hz, static_cast<std::uint32_t>(report::kWaveformColumns),
        kSpectrogramRows, opt.spectrogram_khz * 1000.0);
    const auto channels = static_cast<std::size_t>(in.info.channels);
    const auto cap = static_cast<std::size_t>(std::llround(opt.max_audio_s * in.info.rate_hz));
    const std::size_t frames = std::min(samples.size() / channels, std::max<std::size_t>(cap, 1));
    p.player_wav = report::wav_bytes(report::to_int16(samples.first(frames * channels)),
                                     in.info.rate_hz, in.info.channels);
    p.player_seconds = static_cast<double>(frames) / in.info.rate_hz;
    return p;
}

// a - b, sample by sample, over the shorter of the two.
std::vector<float> difference(std::span<const float> a, std::span<const float> b) {
    std::vector<float> out(std::min(a.size(), b.size()));
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = a[i] - b[i];
    return out;
}

struct ZoomWindow {
    std::int64_t first = 0;  // samples
    std::int64_t count = 0;
};

// Checked before any coding work: a --zoom-at-s past the end is a usage error.
ZoomWindow zoom_window(const ReportOptions& opt, const InputSignal& in) {
    const int rate = in.info.rate_hz;
    ZoomWindow w;
    w.count = std::max<std::int64_t>(std::llround(opt.zoom_ms * rate / 1000.0), 8);
    if (opt.zoom_at_s < 0) {
        w.first = report::loudest_window_start(in.mono, w.count);
        return w;
    }
    w.first = std::llround(opt.zoom_at_s * rate);
    if (w.first >= in.info.frames) {
        throw std::runtime_error(fmt::format("--zoom-at-s {} is past the end of '{}' ({:.3f} s)",
                                             opt.zoom_at_s, opt.input,
                                             static_cast<double>(in.info.frames) / rate));
    }
    return w;
}

report::ZoomView zoom_view(const ReportOptions& opt, const InputSignal& in, const ExtremaOutput& ex,
                           ZoomWindow window, std::string& note) {
    const int rate = in.info.rate_hz;
    report::ZoomView view =
        report::build_zoom_view(ex.records, ex.original, ex.decoded, window.first, window.count,
                                rate, codec::CurveBank::standard());
    std::size_t curves = 0, samples = 0;
    for (const auto& s : view.segments) {
        if (s.curve_id != codec::kSilenceId) ++curves, samples += s.samples;
    }
    note = fmt::format(
        "{} ms from {:.3f} s ({}; set with --zoom-at-s and --zoom-ms), channel 1 of {}: {} curve "
        "records (mean length {:.1f} samples) and {} silence records. The dark line and dots are "
        "the encoder's input samples{}; each curve runs from the previous extremum to its own.",
        opt.zoom_ms, static_cast<double>(view.first) / rate,
        opt.zoom_at_s >= 0 ? "as asked" : "the loudest stretch of the input", in.info.channels,
        curves, curves > 0 ? static_cast<double>(samples) / static_cast<double>(curves) : 0.0,
        view.segments.size() - curves,
        opt.extrema.lowpass_hz > 0 ? " (before the encoder's low-pass)" : "");
    return view;
}

std::vector<std::string> commands(const ReportOptions& opt, std::uint32_t rank) {
    const std::string in = shell_quote(opt.input);
    return {
        fmt::format("extrema encode {} extrema.xtr --threshold {} --lowpass {}", in,
                    opt.extrema.threshold_lsb, opt.extrema.lowpass_hz),
        "extrema decode extrema.xtr extrema.wav",
        fmt::format("extrema eval {} extrema.wav --xtr extrema.xtr --json", in),
        fmt::format("extrema svd encode {} svd.xsvd --rank {}", in, rank),
        "extrema svd decode svd.xsvd svd.wav",
        fmt::format("extrema eval {} svd.wav --json", in),
        "extrema info svd.xsvd --json",
        fmt::format("extrema compress {} compressed.wav {}", in,
                    compressor_arguments(opt.compressor)),
        fmt::format("extrema eval {} compressed.wav --json", in),
    };
}

void run_report(const ReportOptions& opt) {
    // Every option is checked before the (slow) work, and the output's directory too.
    const dsp::CompressorConfig compressor = compressor_config(opt.compressor);
    const fs::path output(opt.output);
    const fs::path output_dir = output.has_parent_path() ? output.parent_path() : fs::path(".");
    if (!fs::is_directory(output_dir)) {
        throw std::runtime_error("'" + opt.output + "': its directory does not exist");
    }
    const BenchPoints bench =
        opt.rate_quality.empty() ? BenchPoints{} : read_bench_points(opt.rate_quality);
    const InputSignal in = read_input(opt);
    const lowrank::SvdCodecConfig svd = svd_config(opt, static_cast<std::uint64_t>(in.info.frames));
    const ZoomWindow zoom = zoom_window(opt, in);
    try {
        codec::EncoderConfig extrema = opt.extrema;
        extrema.sample_rate_hz = in.info.rate_hz;
        codec::Encoder check(extrema);  // validates the settings against this input's rate
    } catch (const std::invalid_argument& e) {
        throw std::runtime_error(std::string("invalid extrema option: ") + e.what());
    }
    const WorkDir dir(opt.keep_dir);

    report::ReportData data;
    data.input_name = fs::path(opt.input).filename().string();
    data.version = EXTREMA_VERSION;
    data.rate_hz = in.info.rate_hz;
    data.channels = in.info.channels;
    data.frames = static_cast<std::uint64_t>(in.info.frames);
    data.input_bytes = fs::file_size(opt.input);
    data.bench_points = bench.points;
    data.bench_note = bench.note;

    auto& input_panel =
        data.panels.emplace_back(make_panel(opt, in, in.samples, "input", "Input", "#343a40"));
    input_panel.role = report::PanelRole::kReference;
    input_panel.settings = "the original file";
    input_panel.bytes_text = std::to_string(data.input_bytes);
    // The input file's own bitrate, for scale (file bytes * 8 / duration, like the codecs').
    input_panel.kbps_text =
        kbps_text(static_cast<double>(data.input_bytes) * 8.0 /
                  (static_cast<double>(in.info.frames) / in.info.rate_hz) / 1000.0);

    // Four steps of about equal weight: each system coded, decoded and measured, then the
    // difference panel. The total is the input's length, so the bar shows for the inputs it
    // shows for in the other commands.
    constexpr std::uint64_t kSteps = 4;
    Progress progress("report", data.frames);
    progress.update(0);
    std::uint64_t steps_done = 0;
    const auto step_done = [&] { progress.update(++steps_done * data.frames / kSteps); };

    std::vector<float> extrema_error;
    {
        const ExtremaOutput ex = run_extrema(in, opt.extrema, dir.path());
        auto& p = data.panels.emplace_back(
            make_panel(opt, in, ex.output.samples, "extrema", "Extrema codec", "#e8590c"));
        p.settings =
            fmt::format("threshold {} LSB, low-pass {}", opt.extrema.threshold_lsb,
                        opt.extrema.lowpass_hz > 0 ? fmt::format("{} Hz", opt.extrema.lowpass_hz)
                                                   : std::string("off"));
        evaluate_into(p, in, ex.output, ex.output.kbps);  // the kbps of eval --xtr
        data.zoom = zoom_view(opt, in, ex, zoom, data.zoom_note);
        extrema_error = difference(in.samples, ex.output.samples);
    }
    step_done();
    {
        const SystemOutput out = run_svd(in, svd, dir.path());
        auto& p = data.panels.emplace_back(
            make_panel(opt, in, out.samples, "svd", "STFT/SVD codec", "#1c7ed6"));
        p.settings = fmt::format("rank {}, n_fft {}, hop {}, {} frames per block", svd.rank,
                                 svd.stft.n_fft, svd.stft.hop, svd.block_frames);
        // eval has no .xsvd option: the bitrate is the one `extrema info --json` prints.
        evaluate_into(p, in, out, std::nullopt);
        p.kbps_text = kbps_text(out.kbps);
    }
    step_done();
    {
        const SystemOutput out = run_compressor(in, compressor, dir.path());
        auto& p = data.panels.emplace_back(
            make_panel(opt, in, out.samples, "compressed", "Compressor", "#2f9e44"));
        p.role = report::PanelRole::kEffect;
        p.settings = compressor_summary(opt.compressor);
        evaluate_into(p, in, out, std::nullopt);
    }
    step_done();
    {
        // What the codec got wrong, heard and seen: extrema keeps the timeline (no delay), so
        // the difference is sample by sample.
        auto& p = data.panels.emplace_back(make_panel(
            opt, in, extrema_error, "extrema-error", "Extrema error (input − extrema)", "#ae3ec9"));
        p.role = report::PanelRole::kDifference;
        p.settings = "the difference signal";
    }
    progress.finish();

    float peak = 0.0f;
    for (const auto& p : data.panels) peak = std::max(peak, report::envelope_peak(p.envelope));
    data.full_scale = std::max(1e-3, static_cast<double>(peak) * 1.05);
    data.spectrogram_scale.top_db =
        std::ceil(report::spectrogram_peak_db(data.panels.front().spectrogram) / 10.0) * 10.0;
    data.spectrogram_scale.range_db = kSpectrogramRangeDb;
    data.commands = commands(opt, svd.rank);

    const std::string html = report::render_report_html(data);
    audio::write_file_atomically(
        output, std::span(reinterpret_cast<const std::uint8_t*>(html.data()), html.size()));
    fmt::print("{}: {} bytes; extrema {} kbps, SVD {} kbps\n", opt.output, html.size(),
               data.panels[1].kbps_text, data.panels[2].kbps_text);
}

}  // namespace

void add_report_command(CLI::App& app) {
    auto opt = std::make_shared<ReportOptions>();
    auto* cmd = app.add_subcommand(
        "report",
        "One self-contained HTML page comparing the input with the extrema codec, the STFT/SVD "
        "codec and the compressor: figures, waveforms, spectrograms, players");
    cmd->add_option("input", opt->input, "Input audio file")->required();
    cmd->add_option("-o,--output", opt->output, "Output HTML file")->required();
    cmd->add_option("--keep-dir", opt->keep_dir,
                    "Keep the coded and decoded files (extrema.xtr/.wav, svd.xsvd/.wav, "
                    "compressed.wav) in this directory");
    cmd->add_option("--threshold", opt->extrema.threshold_lsb,
                    "Extrema: hysteresis threshold, LSB of int16")
        ->check(CLI::Range(0.0f, 32767.0f))
        ->capture_default_str();
    cmd->add_option("--lowpass", opt->extrema.lowpass_hz,
                    "Extrema: pre-filter cutoff, Hz (0 = off)")
        ->check(CLI::Range(0.0, 384000.0))
        ->capture_default_str();
    cmd->add_option("--rank,-k", opt->rank,
                    "SVD: rank of each block's real and imaginary parts (default 16, or less if "
                    "the input is too short for it)");
    add_compressor_options(*cmd, opt->compressor);
    cmd->add_option("--zoom-ms", opt->zoom_ms, "Length of the zoomed extrema view, ms")
        ->check(CLI::Range(0.5, 1000.0))
        ->capture_default_str();
    cmd->add_option("--zoom-at-s", opt->zoom_at_s,
                    "Start of the zoomed view, s (default: the loudest stretch)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--spectrogram-khz", opt->spectrogram_khz,
                    "Top of the spectrograms' frequency axis, kHz (0 = Nyquist)")
        ->check(CLI::Range(0.0, 384.0))
        ->capture_default_str();
    cmd->add_option("--max-audio-s", opt->max_audio_s,
                    "Longest excerpt embedded in each player, s (keeps the page small)")
        ->check(CLI::Range(0.1, 3600.0))
        ->capture_default_str();
    cmd->add_option("--max-input-s", opt->max_input_s,
                    "Refuse longer inputs (the report holds the whole signal in memory)")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    cmd->add_option("--rate-quality", opt->rate_quality,
                    "A rate-quality bench result (tools/bench/rate_quality.sh's JSON) to chart "
                    "across settings and codecs beside this file's own systems");
    cmd->callback([opt] { run_report(*opt); });
}

}  // namespace extrema::cli
