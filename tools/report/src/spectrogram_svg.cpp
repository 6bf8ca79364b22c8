#include "extrema/report/spectrogram_svg.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

#include "extrema/report/colormap.h"
#include "extrema/report/indexed_png.h"
#include "extrema/report/svg.h"
#include "net/base64.h"

namespace extrema::report {

std::string spectrogram_svg(const SpectrogramImage& image, const SpectrogramScale& scale,
                            const std::string& label) {
    constexpr double kWidth = 1000, kHeight = 230;
    const PlotArea area{
        60, 8, 920, 182, 0.0, std::max(image.seconds, 1e-6), 0.0, std::max(image.max_hz, 1.0)};
    std::string out =
        fmt::format("<svg class=\"plot\" viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"{}\">",
                    kWidth, kHeight, escape_html(label));
    // Axes first: the image then hides the grid lines inside the plot area.
    out += axes_svg(area, {"time (s)", "frequency (kHz)", 10, 5, 1.0, 1e-3});
    if (image.width > 0 && image.height > 0) {
        const auto png =
            indexed_png(image.width, image.height,
                        spectrogram_pixels(image, scale.top_db, scale.range_db), viridis_palette());
        fmt::format_to(std::back_inserter(out),
                       "<image x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" "
                       "preserveAspectRatio=\"none\" href=\"data:image/png;base64,{}\"/>",
                       coord(area.left), coord(area.top), coord(area.width), coord(area.height),
                       net::base64_encode(png));
    }
    out += "</svg>";
    return out;
}

std::string colorbar_svg(const SpectrogramScale& scale) {
    constexpr int kStops = 16;
    const PlotArea area{60, 4, 300, 14, scale.top_db - scale.range_db, scale.top_db, 0.0, 1.0};
    std::string out =
        "<svg class=\"colorbar\" viewBox=\"0 0 640 40\" role=\"img\" "
        "aria-label=\"colour scale of the spectrograms, dBFS\"><defs>"
        "<linearGradient id=\"viridis\" x1=\"0\" x2=\"1\" y1=\"0\" y2=\"0\">";
    auto it = std::back_inserter(out);
    for (int i = 0; i <= kStops; ++i) {
        const double t = static_cast<double>(i) / kStops;
        fmt::format_to(it, "<stop offset=\"{:.4f}\" stop-color=\"{}\"/>", t, css_hex(viridis(t)));
    }
    fmt::format_to(it,
                   "</linearGradient></defs><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" "
                   "fill=\"url(#viridis)\"/>",
                   coord(area.left), coord(area.top), coord(area.width), coord(area.height));
    const Ticks ticks = nice_ticks(area.x_lo, area.x_hi, 8);
    for (const double v : ticks.values) {
        const double x = area.px(v);
        fmt::format_to(it,
                       "<line class=\"tickmark\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/>"
                       "<text class=\"tick\" x=\"{0}\" y=\"{3}\" text-anchor=\"middle\">{4}</text>",
                       coord(x), coord(area.top + area.height), coord(area.top + area.height + 4),
                       coord(area.top + area.height + 16), tick_label(v, ticks.step));
    }
    fmt::format_to(it,
                   "<text class=\"axis-title\" x=\"{}\" y=\"{}\" text-anchor=\"start\">level "
                   "(dBFS; 0 = full-scale sine)</text></svg>",
                   coord(area.left + area.width + 10), coord(area.top + 12));
    return out;
}

}  // namespace extrema::report
