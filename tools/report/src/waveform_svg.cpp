#include "extrema/report/waveform_svg.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

#include "extrema/report/svg.h"

namespace extrema::report {

std::string waveform_svg(const Envelope& env, double seconds, const WaveformStyle& style) {
    constexpr double kWidth = 1000, kHeight = 170;
    PlotArea area{60,
                  8,
                  static_cast<double>(kWaveformColumns),
                  122,
                  0.0,
                  std::max(seconds, 1e-6),
                  -style.full_scale,
                  style.full_scale};
    std::string out =
        fmt::format("<svg class=\"plot\" viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"{}\">",
                    kWidth, kHeight, escape_html(style.label));
    out += axes_svg(area, {"time (s)", "amplitude", 10, 4});
    const std::size_t n = env.min.size();
    if (n > 0) {
        // Upper edge left to right, lower edge back: one closed polygon. Each column spans one
        // pixel step; a column narrower than a pixel still shows as at least a hairline.
        auto it = std::back_inserter(out);
        fmt::format_to(it, "<path fill=\"{0}\" stroke=\"{0}\" stroke-width=\"0.6\" d=\"M",
                       style.colour);
        const double step = area.width / static_cast<double>(n);
        const auto y = [&](float v) {
            return area.py(std::clamp(static_cast<double>(v), -style.full_scale, style.full_scale));
        };
        for (std::size_t c = 0; c < n; ++c) {
            fmt::format_to(it, "{}{},{}", c == 0 ? "" : " L",
                           coord(area.left + (static_cast<double>(c) + 0.5) * step),
                           coord(y(env.max[c])));
        }
        for (std::size_t c = n; c-- > 0;) {
            fmt::format_to(it, " L{},{}", coord(area.left + (static_cast<double>(c) + 0.5) * step),
                           coord(y(env.min[c])));
        }
        out += "Z\"/>";
    }
    out += "</svg>";
    return out;
}

}  // namespace extrema::report
