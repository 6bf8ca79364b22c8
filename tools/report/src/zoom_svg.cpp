#include "extrema/report/zoom_svg.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

#include "extrema/codec/decoder.h"
#include "extrema/report/svg.h"

namespace extrema::report {
namespace {

// Int16 scale to the [-1, 1] scale of the other figures (a PCM16 file read as float:
// x / codec::kFullScale).
double unit(double int16_value) {
    return int16_value / codec::kFullScale;
}

// Two alternating colours tell neighbouring segments apart.
constexpr const char* kSegmentColours[2] = {"#e8590c", "#0c8599"};

PlotArea zoom_area(const ZoomView& v) {
    double lo = 0.0, hi = 0.0;
    for (const auto s : v.original) lo = std::min(lo, unit(s)), hi = std::max(hi, unit(s));
    for (const auto s : v.decoded) lo = std::min(lo, unit(s)), hi = std::max(hi, unit(s));
    const double margin = std::max((hi - lo) * 0.08, 1e-3);
    const double ms_per_sample = 1000.0 / v.rate_hz;
    const auto count = static_cast<double>(std::max<std::size_t>(v.original.size(), 1));
    // x in ms; sample i sits at i * ms_per_sample, the window spans half a sample either side.
    return {60,
            34,
            920,
            250,
            (static_cast<double>(v.first) - 0.5) * ms_per_sample,
            (static_cast<double>(v.first) + count - 0.5) * ms_per_sample,
            lo - margin,
            hi + margin};
}

std::string legend_svg() {
    return "<g class=\"legend\" transform=\"translate(64,14)\">"
           "<line x1=\"0\" y1=\"0\" x2=\"12\" y2=\"0\" class=\"original\"/>"
           "<circle cx=\"6\" cy=\"0\" r=\"1.9\" class=\"sample\"/>"
           "<text x=\"14\" y=\"4\">original samples</text>"
           "<line x1=\"140\" y1=\"0\" x2=\"158\" y2=\"0\" stroke=\"#e8590c\" stroke-width=\"2.2\"/>"
           "<line x1=\"160\" y1=\"0\" x2=\"178\" y2=\"0\" stroke=\"#0c8599\" stroke-width=\"2.2\"/>"
           "<text x=\"184\" y=\"4\">decoded curves (colours alternate by segment)</text>"
           "<line x1=\"500\" y1=\"-7\" x2=\"500\" y2=\"7\" class=\"boundary\"/>"
           "<circle cx=\"500\" cy=\"0\" r=\"3.5\" class=\"extremum\"/>"
           "<text x=\"510\" y=\"4\">segment boundary: stored end value (extremum)</text>"
           "<rect x=\"808\" y=\"-6\" width=\"16\" height=\"12\" class=\"silence\"/>"
           "<text x=\"830\" y=\"4\">silence record</text></g>";
}

}  // namespace

std::string zoom_svg(const ZoomView& v) {
    const PlotArea a = zoom_area(v);
    const double ms_per_sample = 1000.0 / v.rate_hz;
    const auto x_of = [&](double sample) { return a.px(sample * ms_per_sample); };
    const auto y_of = [&](double int16_value) { return a.py(unit(int16_value)); };

    std::string out =
        "<svg class=\"plot zoom\" viewBox=\"0 0 1000 320\" role=\"img\" aria-label=\"extrema "
        "segments over the original samples\">";
    auto it = std::back_inserter(out);
    fmt::format_to(it,
                   "<defs><clipPath id=\"zoom-clip\"><rect x=\"{}\" y=\"{}\" width=\"{}\" "
                   "height=\"{}\"/></clipPath></defs>",
                   coord(a.left), coord(a.top), coord(a.width), coord(a.height));
    out += axes_svg(a, {"time (ms)", "amplitude", 10, 5});
    out += legend_svg();
    out += "<g clip-path=\"url(#zoom-clip)\">";

    // Silences first, so everything else draws over their shading.
    for (const ZoomSegment& s : v.segments) {
        if (s.curve_id != codec::kSilenceId) continue;
        const double x0 = x_of(static_cast<double>(s.first) - 0.5);
        const double x1 = x_of(static_cast<double>(s.first + s.samples) - 0.5);
        fmt::format_to(it,
                       "<rect class=\"silence\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\">"
                       "<title>silence, {} samples</title></rect>",
                       coord(x0), coord(a.top), coord(std::max(x1 - x0, 0.5)), coord(a.height),
                       s.samples);
    }
    // Each curve from the previous end value (at sample first - 1) to its own end value, drawn
    // from the bank's shape C(t) with a few points per sample so the chosen shape is visible.
    std::size_t curve_index = 0;
    for (const ZoomSegment& s : v.segments) {
        if (s.curve_id == codec::kSilenceId) continue;
        const char* colour = kSegmentColours[curve_index++ % 2];
        const std::uint32_t steps = std::min<std::uint32_t>(s.samples * 4, 256);
        fmt::format_to(it, "<path class=\"curve\" stroke=\"{}\" d=\"M", colour);
        for (std::uint32_t j = 0; j <= steps; ++j) {
            const double t = static_cast<double>(j) / steps;
            const double shape = v.bank->value(s.curve_id, static_cast<float>(t));
            const double value = s.start_value + (s.end_value - s.start_value) * shape;
            fmt::format_to(it, "{}{},{}", j == 0 ? "" : " L",
                           coord(x_of(static_cast<double>(s.first) - 1.0 + t * s.samples)),
                           coord(y_of(value)));
        }
        out += "\"/>";
    }
    // Original samples over the curves, so both stay visible where they part: a thin line through
    // them and a dot on each (dots only while they stay apart: at most one per 1.5 px).
    if (!v.original.empty()) {
        out += "<polyline class=\"original\" points=\"";
        for (std::size_t i = 0; i < v.original.size(); ++i) {
            fmt::format_to(it, "{}{},{}", i == 0 ? "" : " ",
                           coord(x_of(static_cast<double>(v.first) + static_cast<double>(i))),
                           coord(y_of(v.original[i])));
        }
        out += "\"/>";
        if (static_cast<double>(v.original.size()) * 1.5 <= a.width) {
            for (std::size_t i = 0; i < v.original.size(); ++i) {
                fmt::format_to(it, "<circle class=\"sample\" cx=\"{}\" cy=\"{}\" r=\"1.7\"/>",
                               coord(x_of(static_cast<double>(v.first) + static_cast<double>(i))),
                               coord(y_of(v.original[i])));
            }
        }
    }
    // Boundaries last, on top: the extremum each curve ends on.
    for (const ZoomSegment& s : v.segments) {
        if (s.curve_id == codec::kSilenceId) continue;
        const double x = x_of(static_cast<double>(s.first + s.samples) - 1.0);
        fmt::format_to(it,
                       "<line class=\"boundary\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/>"
                       "<circle class=\"extremum\" cx=\"{0}\" cy=\"{3}\" r=\"3.5\"><title>curve "
                       "{4}, {5} samples, ends at {6} ({7:.4f})</title></circle>",
                       coord(x), coord(a.top), coord(a.top + a.height), coord(y_of(s.end_value)),
                       s.curve_id, s.samples, s.end_value, unit(s.end_value));
    }
    out += "</g></svg>";
    return out;
}

}  // namespace extrema::report
