#include "extrema/report/rate_quality_svg.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <optional>

#include "extrema/report/svg.h"

namespace extrema::report {
namespace {

std::optional<double> number(const std::string& text) {
    double value = 0.0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

}  // namespace

std::string rate_quality_svg(const std::vector<RateQualityPoint>& points) {
    struct Placed {
        const RateQualityPoint* point;
        double kbps, mos;
    };
    std::vector<Placed> placed;
    for (const RateQualityPoint& p : points) {
        const auto kbps = number(p.kbps_text);
        const auto mos = number(p.mos_text);
        if (kbps && mos) placed.push_back({&p, *kbps, *mos});
    }
    double max_kbps = 1.0;
    for (const Placed& p : placed) max_kbps = std::max(max_kbps, p.kbps);
    constexpr double kWidth = 1000, kHeight = 300;
    // The x axis starts at 0 kbps so distances along it compare bitrates; 15 % headroom keeps the
    // rightmost point's label inside.
    const PlotArea area{60, 10, 900, 240, 0.0, max_kbps * 1.15, kMosMin, kMosMax};
    std::string out = fmt::format(
        "<svg class=\"plot\" id=\"rate-quality-chart\" viewBox=\"0 0 {} {}\" role=\"img\" "
        "aria-label=\"bitrate against MOS-LQO\">",
        kWidth, kHeight);
    out += axes_svg(area, {"bitrate (kbps)", "MOS-LQO", 10, 4});
    for (const Placed& p : placed) {
        const double x = area.px(p.kbps);
        const double y = area.py(std::clamp(p.mos, kMosMin, kMosMax));
        // Labels of the right half go to the left of their dot, so they stay inside.
        const bool left = x > area.left + area.width / 2;
        out += fmt::format(
            "<g class=\"rq-point\" id=\"rq-{0}\" data-kbps=\"{1}\" data-mos=\"{2}\">"
            "<circle cx=\"{3}\" cy=\"{4}\" r=\"6\" fill=\"{5}\" stroke=\"#212529\"/>"
            "<text x=\"{6}\" y=\"{7}\"{9}>{8} ({1} kbps, MOS {2})</text></g>",
            escape_html(p.point->key), escape_html(p.point->kbps_text),
            escape_html(p.point->mos_text), coord(x), coord(y), escape_html(p.point->colour),
            coord(left ? x - 10 : x + 10), coord(y - 8), escape_html(p.point->title),
            left ? " text-anchor=\"end\"" : "");
    }
    out += "</svg>";
    return out;
}

}  // namespace extrema::report
