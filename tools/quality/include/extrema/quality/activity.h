#pragma once
// Which frames count as speech. A frame is "active" when its reference energy is within
// kActiveRangeDb of the loudest reference frame (and not zero). This is the dynamic-range rule of
// STOI (Taal et al. 2011), reused for segmental SNR and LSD so all figures ignore the same pauses:
// silent gaps would otherwise dominate them with meaningless -10 dB or floor-limited values.
#include <span>
#include <vector>

namespace extrema::quality {

// 40 dB is the speech dynamic range used by STOI; quieter frames are pauses or breath.
inline constexpr double kActiveRangeDb = 40.0;

// One flag per entry of frame_energies (sums of squares, linear scale).
std::vector<bool> active_frames(std::span<const double> frame_energies);

}  // namespace extrema::quality
