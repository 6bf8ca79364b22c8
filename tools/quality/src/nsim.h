#pragma once
// The Neurogram Similarity Index Measure of two equally sized spectrogram patches
// (visqol_model.h: window, C1, C3), reduced to one mean per band.
#include <array>
#include <cstddef>

#include "gammatone.h"

namespace extrema::quality::visqol {

using BandMeans = std::array<double, kBands>;

struct PatchSimilarity {
    double nsim = 0.0;       // mean of band_means
    BandMeans band_means{};  // NSIM map averaged over the patch's frames, per band
};

// NSIM of `frames` frames of `ref` from ref_start against `frames` frames of `deg` from
// deg_start; frames past the end of either spectrogram count as 0 (the comparison floor).
PatchSimilarity nsim(const Spectrogram& ref, std::size_t ref_start, const Spectrogram& deg,
                     std::size_t deg_start, std::size_t frames);

}  // namespace extrema::quality::visqol
