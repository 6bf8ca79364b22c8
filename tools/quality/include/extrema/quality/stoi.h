#pragma once
// Short-Time Objective Intelligibility, after C. H. Taal, R. C. Hendriks, R. Heusdens, J. Jensen,
// "An Algorithm for Intelligibility Prediction of Time-Frequency Weighted Noisy Speech",
// IEEE TASLP 19(7), 2011, following the authors' MATLAB reference step by step:
//   1. resample both signals to 10 kHz (here: resample.h, libsamplerate);
//   2. drop silent frames: 256-sample MATLAB-hanning frames, hop 128, frames whose REF energy is
//      more than 40 dB below the loudest REF frame are removed, the rest overlap-added back;
//   3. STFT of both: 256-sample hanning frames, hop 128, 512-point FFT, bins 0..256;
//   4. 15 one-third-octave bands, centres 150 Hz * 2^(k/3), edges snapped to the nearest FFT bin;
//      band amplitude = sqrt(sum of bin powers in the band);
//   5. for every 30-frame segment (384 ms) and band: scale TEST to REF's segment energy, clip it
//      at REF * (1 + 10^(-beta/20)) with beta = -15 dB, then correlate with REF;
//   6. STOI = mean of all those correlation coefficients (about 0..1, higher = more intelligible).
#include <span>

namespace extrema::quality {

// Throws QualityError on mismatched lengths, empty/non-finite input, a non-positive rate, a silent
// reference, or fewer than 30 STFT frames (about 0.4 s) of active speech after silence removal
// (the reference implementation only warns there; a CLI figure from too little speech would
// mislead).
double stoi(std::span<const float> ref, std::span<const float> test, int rate_hz);

}  // namespace extrema::quality
