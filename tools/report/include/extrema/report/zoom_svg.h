#pragma once
// The zoomed extrema figure: original samples (dots), the decoded curves of successive segments
// (alternating colours), segment boundaries at the stored extrema (dashed lines and rings), and
// silences (shaded). Hovering a ring names the record (curve id, length, end value).
#include <string>

#include "extrema/report/zoom_view.h"

namespace extrema::report {

std::string zoom_svg(const ZoomView& view);

}  // namespace extrema::report
