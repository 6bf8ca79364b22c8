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

std::string rate_quality_svg(const std::vector<RateQualityPoint>& points,
                             const std::string& chart_id, PointLabels labels) {
    struct Placed {
        const RateQualityPoint* point;
        double kbps, mos;
        std::size_t number;  // 1-based, in the order given
    };
    std::vector<Placed> placed;
    for (std::size_t i = 0; i < points.size(); ++i) {
        const auto kbps = number(points[i].kbps_text);
        const auto mos = number(points[i].mos_text);
        if (kbps && mos) placed.push_back({&points[i], *kbps, *mos, i + 1});
    }
    double max_kbps = 1.0;
    for (const Placed& p : placed) max_kbps = std::max(max_kbps, p.kbps);
    constexpr double kWidth = 1000, kHeight = 300;
    // The x axis starts at 0 kbps so distances along it compare bitrates; 15 % headroom keeps the
    // rightmost point's label inside.
    const PlotArea area{60, 10, 900, 240, 0.0, max_kbps * 1.15, kMosMin, kMosMax};
    std::string out = fmt::format(
        "<svg class=\"plot\" id=\"{}\" viewBox=\"0 0 {} {}\" role=\"img\" "
        "aria-label=\"bitrate against MOS-LQO\">",
        escape_html(chart_id), kWidth, kHeight);
    out += axes_svg(area, {"bitrate (kbps)", "MOS-LQO", 10, 4});
    for (const Placed& p : placed) {
        const double x = area.px(p.kbps);
        const double y = area.py(std::clamp(p.mos, kMosMin, kMosMax));
        // Labels of the right half go to the left of their dot, so they stay inside.
        const bool left = x > area.left + area.width / 2;
        const std::string full = fmt::format("{} ({} kbps, MOS {})", p.point->title,
                                             p.point->kbps_text, p.point->mos_text);
        const std::string label = labels == PointLabels::kFull ? full : std::to_string(p.number);
        out += fmt::format(
            "<g class=\"rq-point\" id=\"rq-{0}\" data-kbps=\"{1}\" data-mos=\"{2}\">"
            "<title>{9}</title>"
            "<circle cx=\"{3}\" cy=\"{4}\" r=\"6\" fill=\"{5}\" stroke=\"#212529\"/>"
            "<text x=\"{6}\" y=\"{7}\"{10}>{8}</text></g>",
            escape_html(p.point->key), escape_html(p.point->kbps_text),
            escape_html(p.point->mos_text), coord(x), coord(y), escape_html(p.point->colour),
            coord(left ? x - 10 : x + 10), coord(y - 8), escape_html(label), escape_html(full),
            left ? " text-anchor=\"end\"" : "");
    }
    out += "</svg>";
    return out;
}

}  // namespace extrema::report
