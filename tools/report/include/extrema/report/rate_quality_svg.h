#pragma once
// The bitrate-quality chart of the report: one point per codec, its bitrate (kbps) across and its
// perceptual quality (MOS-LQO, ViSQOL speech) up. Each point is <g class="rq-point" id="rq-KEY"
// data-kbps="..." data-mos="..."> with the figures' text as the table shows it.
#include <string>
#include <vector>

namespace extrema::report {

struct RateQualityPoint {
    std::string key;     // the system's key: the point's id is rq-KEY
    std::string title;   // its label
    std::string colour;  // CSS colour of the dot
    std::string kbps_text;
    std::string mos_text;
};

// MOS-LQO's scale: 1 (bad) to 5 (excellent), as ViSQOL maps it.
inline constexpr double kMosMin = 1.0;
inline constexpr double kMosMax = 5.0;

// How each point is labelled: with its title and figures, or (for many points, whose labels would
// overlap) with its number in the list, the full label kept as the point's tooltip.
enum class PointLabels { kFull, kNumbered };

// The chart as an inline SVG with the id given; points whose figures are not numbers are left out.
std::string rate_quality_svg(const std::vector<RateQualityPoint>& points,
                             const std::string& chart_id = "rate-quality-chart",
                             PointLabels labels = PointLabels::kFull);

}  // namespace extrema::report
