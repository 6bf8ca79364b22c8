#pragma once
// A signal's waveform as an inline SVG: the min/max envelope per pixel column, filled.
#include <string>

#include "extrema/report/envelope.h"

namespace extrema::report {

// Plot columns of a waveform: compute the envelope with this many columns so that one column is
// one pixel of the plot at the page's layout width.
inline constexpr std::size_t kWaveformColumns = 920;

struct WaveformStyle {
    std::string colour = "#444444";
    double full_scale = 1.0;  // the y axis spans [-full_scale, full_scale] (same for every panel)
    std::string label;        // accessible name of the figure
};

std::string waveform_svg(const Envelope& envelope, double seconds, const WaveformStyle& style);

}  // namespace extrema::report
