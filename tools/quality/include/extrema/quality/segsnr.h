#pragma once
// Segmental SNR: the mean of per-frame SNRs, so quiet passages weigh as much as loud ones.
//   - frames: kSegSnrFrameSeconds long (rounded to whole samples), back to back, no window;
//     a trailing partial frame is ignored;
//   - per-frame SNR clamped to [kSegSnrMinDb, kSegSnrMaxDb] (a frame with zero error counts as
//     the maximum);
//   - averaged over speech-active frames only (activity.h: within 40 dB of the loudest
//     reference frame).
#include <span>

namespace extrema::quality {

// 20 ms: speech is quasi-stationary over 10-30 ms, the usual segSNR frame.
inline constexpr double kSegSnrFrameSeconds = 0.020;
// The customary clamp (Hansen & Pellom, Quackenbush et al.): below -10 dB a frame is simply bad,
// above 35 dB differences are inaudible; without it one silent or perfect frame dominates the mean.
inline constexpr double kSegSnrMinDb = -10.0;
inline constexpr double kSegSnrMaxDb = 35.0;

// Throws QualityError on mismatched lengths, empty/non-finite input, a non-positive rate, a signal
// shorter than one frame, or a silent reference.
double segmental_snr_db(std::span<const float> ref, std::span<const float> test, int rate_hz);

}  // namespace extrema::quality
