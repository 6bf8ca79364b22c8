#pragma once
// A spectrogram as an inline SVG figure: the image (an embedded PNG) inside labelled axes, and a
// separate colour bar that gives the dB scale shared by every panel.
#include <string>

#include "extrema/report/spectrogram.h"

namespace extrema::report {

struct SpectrogramScale {
    double top_db = 0.0;     // brightest colour
    double range_db = 80.0;  // dB from brightest to darkest
};

// `label`: accessible name. The image keeps image.width x image.height pixels and is stretched
// over the plot area.
std::string spectrogram_svg(const SpectrogramImage& image, const SpectrogramScale& scale,
                            const std::string& label);

std::string colorbar_svg(const SpectrogramScale& scale);

}  // namespace extrema::report
