#include "extrema/report/svg.h"

#include <fmt/format.h>

#include <cmath>
#include <iterator>

namespace extrema::report {

std::string escape_html(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string coord(double value) {
    if (!std::isfinite(value)) return "0";
    std::string text = fmt::format("{:.1f}", value);
    if (text.size() > 2 && text.ends_with(".0")) text.resize(text.size() - 2);
    if (text == "-0") text = "0";
    return text;
}

std::string axes_svg(const PlotArea& a, const AxisLabels& labels) {
    std::string out;
    auto it = std::back_inserter(out);
    const double right = a.left + a.width, bottom = a.top + a.height;
    const Ticks xt =
        nice_ticks(a.x_lo * labels.x_label_scale, a.x_hi * labels.x_label_scale, labels.x_ticks);
    const Ticks yt =
        nice_ticks(a.y_lo * labels.y_label_scale, a.y_hi * labels.y_label_scale, labels.y_ticks);
    out += "<g class=\"axes\">";
    for (const double v : xt.values) {
        const double x = a.px(v / labels.x_label_scale);
        fmt::format_to(it, "<line class=\"grid\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/>",
                       coord(x), coord(a.top), coord(bottom));
        fmt::format_to(it,
                       "<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                       coord(x), coord(bottom + 14), tick_label(v, xt.step));
    }
    for (const double v : yt.values) {
        const double y = a.py(v / labels.y_label_scale);
        fmt::format_to(it, "<line class=\"grid\" x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\"/>",
                       coord(a.left), coord(y), coord(right));
        fmt::format_to(it, "<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
                       coord(a.left - 5), coord(y + 4), tick_label(v, yt.step));
    }
    fmt::format_to(it,
                   "<rect class=\"frame\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>"
                   "<text class=\"axis-title\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>"
                   "<text class=\"axis-title\" transform=\"translate({},{}) rotate(-90)\" "
                   "text-anchor=\"middle\">{}</text></g>",
                   coord(a.left), coord(a.top), coord(a.width), coord(a.height),
                   coord(a.left + a.width / 2), coord(bottom + 30), escape_html(labels.x),
                   coord(a.left - 42), coord(a.top + a.height / 2), escape_html(labels.y));
    return out;
}

}  // namespace extrema::report
