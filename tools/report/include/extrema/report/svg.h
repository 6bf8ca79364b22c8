#pragma once
// Small text helpers shared by the page's SVG figures and its HTML.
#include <string>
#include <string_view>

#include "extrema/report/ticks.h"

namespace extrema::report {

// Escapes & < > " ' for HTML text and attribute values.
std::string escape_html(std::string_view text);

// A coordinate with one decimal (a tenth of a pixel is below what a screen shows; fewer digits
// keep long paths small).
std::string coord(double value);

// A rectangle of the SVG's user space that maps data (x from x_lo to x_hi, y from y_lo at the
// bottom to y_hi at the top) to pixels.
struct PlotArea {
    double left = 0, top = 0, width = 0, height = 0;  // pixels, user space
    double x_lo = 0, x_hi = 1, y_lo = 0, y_hi = 1;    // data range

    double px(double x) const noexcept { return left + (x - x_lo) / (x_hi - x_lo) * width; }
    double py(double y) const noexcept { return top + (y_hi - y) / (y_hi - y_lo) * height; }
};

struct AxisLabels {
    std::string x;  // e.g. "time (s)"
    std::string y;  // e.g. "amplitude"
    int x_ticks = 8;
    int y_ticks = 4;
    // Scales applied to tick values for display only (e.g. Hz drawn, kHz printed).
    double x_label_scale = 1.0;
    double y_label_scale = 1.0;
};

// Grid lines, tick labels, axis titles and a frame around `area`, as SVG elements.
std::string axes_svg(const PlotArea& area, const AxisLabels& labels);

}  // namespace extrema::report
