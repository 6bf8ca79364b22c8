#pragma once
// The report page: everything `extrema report` measured, laid out as one self-contained HTML file
// (inline CSS and SVG, audio and images as data: URIs, one inline script for the A/B switch of
// the players, no external reference).
//
// Stable hooks for tests and scripts: the figures table row of system KEY is
// <tr id="figures-KEY" data-eval-json="..."> holding `extrema eval --json`'s text, and each figure
// is a cell with id KEY-FIELD (FIELD: bytes, kbps, stoi, segsnr_db, snr_db, lsd_db,
// delay_samples) whose text is the JSON's value verbatim; a pair eval cannot measure has a cell
// KEY-eval-error with eval's reason instead. Players are <audio id="player-KEY">, switched by
// the A/B buttons (ab_player.h); the codecs' bitrate-quality chart is rate_quality_svg.h's.
#include <cstdint>
#include <string>
#include <vector>

#include "extrema/report/envelope.h"
#include "extrema/report/rate_quality_svg.h"
#include "extrema/report/spectrogram.h"
#include "extrema/report/spectrogram_svg.h"
#include "extrema/report/zoom_view.h"

namespace extrema::report {

// What a panel shows: the input, a codec's output (the figures table compares codecs), an
// effect's output (the compressor changes the sound on purpose: its own table, no bitrate), or a
// difference signal (input minus a codec's output: what the codec got wrong; no figures).
enum class PanelRole { kReference, kCodec, kEffect, kDifference };

struct SystemPanel {
    std::string key;  // "input", "extrema", "svd", "compressed", "extrema-error": element ids
    PanelRole role = PanelRole::kCodec;
    std::string title;       // heading
    std::string settings;    // one line: the options this system ran with
    std::string colour;      // CSS colour of its waveform
    std::string eval_json;   // quality::to_json of (input, this output); empty for the input
    std::string eval_error;  // why eval could not measure this pair (then eval_json is empty)
    std::string bytes_text;  // size of the coded file; empty: not a codec
    std::string kbps_text;   // its bitrate, formatted as eval/info print it; empty: none
    Envelope envelope;
    SpectrogramImage spectrogram;
    std::vector<std::uint8_t> player_wav;  // WAV bytes for the <audio> player
    double player_seconds = 0.0;           // duration in the player (may be an excerpt)
};

struct ReportData {
    std::string input_name;
    std::string version;  // of extrema
    int rate_hz = 0;
    int channels = 0;
    std::uint64_t frames = 0;
    std::uint64_t input_bytes = 0;
    double full_scale = 1.0;  // waveform y range, shared by all panels
    SpectrogramScale spectrogram_scale;
    std::vector<SystemPanel> panels;  // the input first
    ZoomView zoom;
    std::string zoom_note;
    std::vector<std::string> commands;  // the equivalent command lines
    // Optional: a rate-quality bench run (tools/bench/rate_quality.sh) charted beside this file's
    // own systems, with a note naming where it came from.
    std::vector<RateQualityPoint> bench_points;
    std::string bench_note;
};

std::string render_report_html(const ReportData& data);

}  // namespace extrema::report
