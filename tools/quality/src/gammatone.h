#pragma once
// The gammatone spectrogram of ViSQOL's speech mode (visqol_model.h): 21 fourth-order gammatone
// bands, each frame filtered from rest, one RMS value per band and frame.
#include <cstddef>
#include <span>
#include <vector>

#include "visqol_model.h"

namespace extrema::quality::visqol {

// Frames x bands, row-major by frame (a patch is a run of consecutive frames). Values are band
// RMS until to_db() (10 * log10) is applied.
struct Spectrogram {
    std::size_t frames = 0;
    std::vector<double> values;  // frames * kBands
    double& at(std::size_t frame, std::size_t band) { return values[frame * kBands + band]; }
    double at(std::size_t frame, std::size_t band) const { return values[frame * kBands + band]; }
};

// Number of whole frames in `samples` samples (0 if shorter than one frame).
std::size_t frame_count(std::size_t samples);

// The filterbank at kRateHz, designed once; build() is reentrant.
class GammatoneBank {
  public:
    GammatoneBank();
    // Band RMS per frame of `signal` (kRateHz samples).
    Spectrogram build(std::span<const float> signal) const;
    const std::vector<double>& centre_frequencies_hz() const { return centres_hz_; }

  private:
    // One second-order section per band: b0 + b1 z^-1 (b2 = 0) over 1 + a1 z^-1 + a2 z^-2.
    struct Section {
        std::vector<float> b0, b1, a1, a2;  // one entry per band
    };
    std::vector<double> centres_hz_;
    std::vector<Section> sections_;  // four in cascade
    std::vector<float> window_;      // Hann, kFrameSamples
};

// The model's comparison preparation of a reference/degraded pair (visqol_model.h floors):
// dB, absolute floor, per-frame relative floor over the frames both have, shift to a 0 minimum.
void prepare_for_comparison(Spectrogram& ref, Spectrogram& deg);

}  // namespace extrema::quality::visqol
