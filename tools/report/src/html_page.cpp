#include "extrema/report/html_page.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

#include "extrema/report/ab_player.h"
#include "extrema/report/json_fields.h"
#include "extrema/report/rate_quality_svg.h"
#include "extrema/report/svg.h"
#include "extrema/report/waveform_svg.h"
#include "extrema/report/zoom_svg.h"
#include "net/base64.h"

namespace extrema::report {
namespace {

// System fonts only: the page must not fetch anything.
constexpr const char* kStyle = R"css(
:root { color-scheme: light; }
body { margin: 0; background: #f1f3f5; color: #212529;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
main { max-width: 1100px; margin: 0 auto; padding: 20px 28px 40px; }
header h1 { font-size: 26px; margin: 8px 0 2px; }
header .facts { color: #495057; margin: 0; }
section { background: #fff; border: 1px solid #dee2e6; border-radius: 10px;
  padding: 16px 22px 18px; margin: 18px 0; }
h2 { font-size: 19px; margin: 0 0 6px; }
h3 { font-size: 14.5px; margin: 14px 0 0; display: flex; align-items: center; gap: 8px; }
h3 .settings { font-weight: normal; color: #6c757d; font-size: 13px; }
.note { color: #6c757d; font-size: 13px; margin: 4px 0 8px; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 3px; }
table.figures { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
table.figures th, table.figures td { padding: 7px 10px; border-bottom: 1px solid #e9ecef;
  text-align: right; white-space: nowrap; }
table.figures th { font-size: 12.5px; color: #495057; border-bottom: 2px solid #ced4da; }
table.figures th:first-child, table.figures td:first-child { text-align: left; }
table.figures td.ref { color: #adb5bd; }
table.figures td.eval-error { color: #c92a2a; text-align: left; white-space: normal; }
table.figures tbody tr:hover { background: #f8f9fa; }
.players { display: grid; grid-template-columns: repeat(auto-fit, minmax(230px, 1fr)); gap: 12px; }
.player { border: 1px solid #e9ecef; border-radius: 8px; padding: 10px 12px;
  display: flex; flex-direction: column; }
.player .name { font-weight: 600; display: flex; align-items: center; gap: 8px; }
.player .settings { color: #6c757d; font-size: 12.5px; margin-bottom: 6px; }
.player audio { width: 100%; margin-top: auto; }
.ab { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; margin: 0 0 12px; }
.ab button { font: inherit; font-size: 13.5px; padding: 4px 12px; border-radius: 6px;
  border: 1px solid #ced4da; background: #f8f9fa; color: #212529; cursor: pointer; }
.ab button[aria-pressed="true"] { background: #343a40; border-color: #343a40; color: #fff; }
svg.plot { display: block; width: 100%; height: auto; }
svg.colorbar { display: block; width: 640px; max-width: 100%; height: auto; }
svg text { font-size: 11px; fill: #495057; font-family: inherit; }
svg .axis-title { font-size: 12px; fill: #343a40; }
svg .grid { stroke: #e9ecef; stroke-width: 1; }
svg .tickmark { stroke: #495057; stroke-width: 1; }
svg .frame { fill: none; stroke: #adb5bd; stroke-width: 1; }
svg .original { fill: none; stroke: #343a40; stroke-width: 0.9; stroke-opacity: 0.75; }
svg .sample { fill: #212529; }
svg .curve { fill: none; stroke-width: 2.2; stroke-linejoin: round; }
svg .boundary { stroke: #868e96; stroke-width: 0.8; stroke-dasharray: 3 3; }
svg .extremum { fill: #fff; stroke: #212529; stroke-width: 1.2; }
svg .silence { fill: #e9ecef; }
svg .legend text { font-size: 12px; fill: #343a40; }
pre { background: #f8f9fa; border: 1px solid #e9ecef; border-radius: 6px; padding: 10px 12px;
  overflow-x: auto; font-size: 12.5px; }
footer { color: #868e96; font-size: 12.5px; text-align: center; }
)css";

// Figures table columns: JSON key (also the cell id suffix) and header.
struct Column {
    const char* key;
    const char* header;
};
constexpr Column kMetricColumns[] = {{"stoi", "STOI"},
                                     {"segsnr_db", "segSNR (dB)"},
                                     {"snr_db", "SNR (dB)"},
                                     {"lsd_db", "LSD (dB)"},
                                     {"delay_samples", "delay (samples)"}};

std::string swatch(const std::string& colour) {
    return fmt::format("<span class=\"swatch\" style=\"background:{}\"></span>",
                       escape_html(colour));
}

std::string cell(const std::string& key, const char* field, const std::string& text) {
    if (text.empty()) return fmt::format("<td class=\"ref\" id=\"{}-{}\">—</td>", key, field);
    return fmt::format("<td id=\"{}-{}\">{}</td>", key, field, escape_html(text));
}

std::string figures_table(const ReportData& d, bool effects) {
    std::string out =
        "<table class=\"figures\"><thead><tr><th>system</th><th>coded size (bytes)</th>"
        "<th>bitrate (kbps)</th>";
    for (const Column& c : kMetricColumns)
        fmt::format_to(std::back_inserter(out), "<th>{}</th>", c.header);
    out += "</tr></thead><tbody>";
    for (const SystemPanel& p : d.panels) {
        const bool in_table = effects
                                  ? p.role == PanelRole::kEffect
                                  : p.role == PanelRole::kReference || p.role == PanelRole::kCodec;
        if (!in_table) continue;
        fmt::format_to(std::back_inserter(out), "<tr id=\"figures-{}\"{}><td>{} {}</td>", p.key,
                       p.eval_json.empty()
                           ? std::string(" data-reference=\"true\"")
                           : fmt::format(" data-eval-json=\"{}\"", escape_html(p.eval_json)),
                       swatch(p.colour), escape_html(p.title));
        out += cell(p.key, "bytes", p.bytes_text);
        out += cell(p.key, "kbps", p.kbps_text);
        if (!p.eval_error.empty()) {
            fmt::format_to(std::back_inserter(out),
                           "<td colspan=\"{}\" class=\"eval-error\" id=\"{}-eval-error\">not "
                           "measurable: {}</td>",
                           std::size(kMetricColumns), p.key, escape_html(p.eval_error));
        } else {
            for (const Column& c : kMetricColumns) {
                out += cell(p.key, c.key, json_field(p.eval_json, c.key));
            }
        }
        out += "</tr>";
    }
    out += "</tbody></table>";
    return out;
}

std::string figures_section(const ReportData& d) {
    std::string out =
        "<section id=\"figures\"><h2>Figures</h2><p class=\"note\">Each system's output against "
        "the input, computed by the same function as <code>extrema eval --json</code> on the same "
        "pair of files (aligned by cross-correlation, multichannel mixed to mono; STOI 0…1, "
        "higher is better; LSD lower is better). Bitrate: coded file size × 8 / duration.</p>";
    out += figures_table(d, false);
    const bool any_effect = std::any_of(d.panels.begin(), d.panels.end(), [](const SystemPanel& p) {
        return p.role == PanelRole::kEffect;
    });
    if (any_effect) {
        out +=
            "<h3>Effects</h3><p class=\"note\">Not codecs: an effect changes the sound on "
            "purpose and codes nothing, so its figures say how far it moved the signal, not a "
            "loss of quality.</p>";
        out += figures_table(d, true);
    }
    std::vector<RateQualityPoint> points;
    for (const SystemPanel& p : d.panels) {
        if (p.role != PanelRole::kCodec || p.eval_json.empty()) continue;
        points.push_back({p.key, p.title, p.colour, p.kbps_text, json_field(p.eval_json, "mos")});
    }
    if (!points.empty()) {
        out +=
            "<h3 id=\"rate-quality\">Bitrate and quality</h3><p class=\"note\">Each codec's "
            "bitrate and MOS-LQO (ViSQOL v3 speech, 1 bad … 5 excellent) from the table above, "
            "with the settings each ran with: up and to the left is better.</p>";
        out += rate_quality_svg(points);
    }
    if (!d.bench_points.empty()) {
        out += "<h3 id=\"bench-rate-quality\">Across settings and codecs</h3><p class=\"note\">" +
               escape_html(d.bench_note) + "</p>";
        out += rate_quality_svg(d.bench_points, "bench-rate-quality-chart", PointLabels::kNumbered);
        out += "<ol class=\"note\" id=\"bench-rate-quality-list\">";
        for (const RateQualityPoint& p : d.bench_points) {
            out += fmt::format("<li>{}: {} kbps, MOS-LQO {}</li>", escape_html(p.title),
                               escape_html(p.kbps_text), escape_html(p.mos_text));
        }
        out += "</ol>";
    }
    out += "</section>";
    return out;
}

std::string players_section(const ReportData& d) {
    const double seconds = static_cast<double>(d.frames) / d.rate_hz;
    std::string out = "<section id=\"listen\"><h2>Listen</h2><p class=\"note\">";
    const bool excerpt = !d.panels.empty() && d.panels.front().player_seconds + 1e-9 < seconds;
    out += excerpt ? fmt::format(
                         "The first {:.1f} s of each signal (of {:.1f} s; "
                         "<code>--max-audio-s</code> sets the excerpt), as 16-bit WAV.",
                         d.panels.front().player_seconds, seconds)
                   : std::string("The whole of each signal, as 16-bit WAV.");
    out +=
        " A/B switches between the players at the same position, playing on if one was "
        "playing.</p>";
    std::vector<AbChoice> choices;
    for (const SystemPanel& p : d.panels) choices.push_back({p.key, p.title});
    out += ab_switch_html(choices);
    out += "<div class=\"players\">";
    for (const SystemPanel& p : d.panels) {
        fmt::format_to(std::back_inserter(out),
                       "<div class=\"player\"><div class=\"name\">{} {}</div>"
                       "<div class=\"settings\">{}</div>"
                       "<audio controls preload=\"metadata\" id=\"player-{}\" "
                       "data-seconds=\"{:.3f}\" src=\"data:audio/wav;base64,{}\"></audio></div>",
                       swatch(p.colour), escape_html(p.title), escape_html(p.settings), p.key,
                       p.player_seconds, net::base64_encode(p.player_wav));
    }
    out += "</div>" + ab_script_html() + "</section>";
    return out;
}

std::string panel_heading(const SystemPanel& p) {
    return fmt::format("<h3>{} {} <span class=\"settings\">{}</span></h3>", swatch(p.colour),
                       escape_html(p.title), escape_html(p.settings));
}

std::string waveforms_section(const ReportData& d) {
    const double seconds = static_cast<double>(d.frames) / d.rate_hz;
    std::string out = fmt::format(
        "<section id=\"waveforms\"><h2>Waveforms</h2><p class=\"note\">Mono mix, the same scale "
        "for all (±{:.3g} full scale); each pixel column spans the minimum to the maximum of "
        "its samples.</p>",
        d.full_scale);
    for (const SystemPanel& p : d.panels) {
        out += fmt::format("<div class=\"panel\" id=\"waveform-{}\">", p.key) + panel_heading(p);
        out += waveform_svg(p.envelope, seconds, {p.colour, d.full_scale, p.title + " waveform"});
        out += "</div>";
    }
    out += "</section>";
    return out;
}

std::string zoom_section(const ReportData& d) {
    std::string out = "<section id=\"zoom\"><h2>Extrema segments, zoomed</h2><p class=\"note\">";
    out += escape_html(d.zoom_note);
    out += "</p>";
    out += zoom_svg(d.zoom);
    out += "</section>";
    return out;
}

std::string spectrograms_section(const ReportData& d) {
    const SystemPanel* first = d.panels.empty() ? nullptr : &d.panels.front();
    std::string out = "<section id=\"spectrograms\"><h2>Spectrograms</h2><p class=\"note\">";
    if (first != nullptr) {
        fmt::format_to(std::back_inserter(out),
                       "Mono mix; Hann window of {} samples ({:.1f} ms), hop {}; linear frequency "
                       "up to {:.1f} kHz. One colour scale for all, {:.0f} dB deep.",
                       first->spectrogram.n_fft, 1000.0 * first->spectrogram.n_fft / d.rate_hz,
                       first->spectrogram.hop, first->spectrogram.max_hz / 1000.0,
                       d.spectrogram_scale.range_db);
    }
    out += "</p>" + colorbar_svg(d.spectrogram_scale);
    for (const SystemPanel& p : d.panels) {
        out += fmt::format("<div class=\"panel\" id=\"spectrogram-{}\">", p.key) + panel_heading(p);
        out += spectrogram_svg(p.spectrogram, d.spectrogram_scale, p.title + " spectrogram");
        out += "</div>";
    }
    out += "</section>";
    return out;
}

std::string commands_section(const ReportData& d) {
    std::string out =
        "<section id=\"commands\"><h2>Reproduce</h2><p class=\"note\">The same results from the "
        "individual commands (<code>--keep-dir</code> keeps the files this report made).</p><pre>";
    for (const std::string& c : d.commands) out += escape_html(c) + "\n";
    out += "</pre></section>";
    return out;
}

}  // namespace

std::string render_report_html(const ReportData& d) {
    const double seconds = static_cast<double>(d.frames) / d.rate_hz;
    std::string out = fmt::format(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        "<meta name=\"generator\" content=\"extrema {0}\">"
        "<title>extrema report: {1}</title><style>{2}</style></head><body><main>"
        "<header><h1>extrema report: {1}</h1><p class=\"facts\" id=\"input-facts\">{3} Hz · {4} "
        "channel{5} · {6:.3f} s ({7} samples per channel) · {8} bytes</p></header>",
        escape_html(d.version), escape_html(d.input_name), kStyle, d.rate_hz, d.channels,
        d.channels == 1 ? "" : "s", seconds, d.frames, d.input_bytes);
    out += figures_section(d);
    out += players_section(d);
    out += waveforms_section(d);
    out += zoom_section(d);
    out += spectrograms_section(d);
    out += commands_section(d);
    out += fmt::format(
        "<footer>Made by extrema {} · one self-contained file: one inline script (the A/B "
        "switch), no external resources.</footer></main></body></html>\n",
        escape_html(d.version));
    return out;
}

}  // namespace extrema::report
