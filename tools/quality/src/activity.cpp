#include "extrema/quality/activity.h"

#include <algorithm>
#include <cmath>

namespace extrema::quality {

std::vector<bool> active_frames(std::span<const double> frame_energies) {
    std::vector<bool> active(frame_energies.size(), false);
    if (frame_energies.empty()) return active;
    const double loudest = *std::max_element(frame_energies.begin(), frame_energies.end());
    // Energies are squared amplitudes, hence the factor 10 (not 20) in the dB conversion.
    const double threshold = loudest * std::pow(10.0, -kActiveRangeDb / 10.0);
    for (std::size_t i = 0; i < frame_energies.size(); ++i) {
        active[i] = frame_energies[i] > threshold && frame_energies[i] > 0.0;
    }
    return active;
}

}  // namespace extrema::quality
