#pragma once
// Log-spectral distance (dB): for each frame, the RMS over frequency bins of
// 10 log10(P_ref / P_test), then the mean over speech-active frames.
//   - frames: kLsdFrameSeconds long, hop half a frame, Hann window (MATLAB hanning);
//   - FFT: the next power of two >= the frame length, bins 0..nfft/2 (DC to Nyquist);
//   - power spectra |X|^2 / sum(w^2) (per-sample power, independent of frame length), each
//     floored at kLsdPowerFloor before the log;
//   - active frames: activity.h, on the windowed reference frame energy.
#include <span>

namespace extrema::quality {

// 32 ms frames (1536 samples at 48 kHz, FFT 2048): fine enough frequency resolution to resolve
// speech harmonics, short enough that speech is stationary within a frame.
inline constexpr double kLsdFrameSeconds = 0.032;
// -100 dB relative to full-scale per-sample power, about the level of 16-bit quantisation noise
// (LSB^2 / 12 = 7.8e-11): bins quieter than a 16-bit file can carry count as equal, and empty bins
// cannot produce infinite log ratios. LSD still covers the whole band up to Nyquist, so noise a
// codec adds where the reference is empty (e.g. above a recording's bandwidth) raises it a lot.
inline constexpr double kLsdPowerFloor = 1e-10;

// Throws QualityError on mismatched lengths, empty/non-finite input, a non-positive rate, a signal
// shorter than one frame, or a silent reference. Identical signals give exactly 0.
double log_spectral_distance_db(std::span<const float> ref, std::span<const float> test,
                                int rate_hz);

}  // namespace extrema::quality
