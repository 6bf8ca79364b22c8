#pragma once
// A perceptual speech-quality score: the ViSQOL v3 speech model (Hines et al., "ViSQOL: an
// objective speech quality model", EURASIP J. Audio, Speech, and Music Processing 2015:13;
// Chinen et al., "ViSQOL v3: an open source production ready objective speech and audio metric",
// QoMEX 2020), written after the papers and Google's published implementation. It predicts a
// listener's mean opinion score, MOS-LQO, from 1 (bad) to 5 (excellent). It is not ITU-T P.862
// (PESQ) or P.863 (POLQA). Every constant and its source: src/visqol_model.h, docs/quality.md.
//
// Steps: both signals mixed-down mono are resampled to 16 kHz; the test is aligned to the
// reference by the cross-correlation of their Hilbert envelopes and scaled to the reference's
// level; 21-band gammatone spectrograms (80 ms frames, 20 ms hop) are floored and compared in
// 400 ms patches where the reference has voice activity; each patch is matched to the most
// similar test patch nearby (dynamic programming, then a per-patch time re-alignment); the mean
// NSIM over patches and bands is mapped to MOS by the model's fitted exponential.
#include <cstddef>
#include <functional>
#include <span>

namespace extrema::quality {

struct SpeechQuality {
    double mos = 1.0;         // MOS-LQO, 1..5
    double nsim = 0.0;        // mean NSIM the MOS is mapped from, about 0..1
    std::size_t patches = 0;  // 400 ms reference patches scored
};

// Called with the fraction done (0..1) as the work proceeds; may be empty.
using ProgressCallback = std::function<void(double fraction)>;

// Throws QualityError (one line, no NaN ever returned) on: an empty or non-finite signal, a
// non-positive rate, a silent reference, a reference shorter than one patch (0.64 s), no voice
// activity in the reference, or durations differing by more than the 1 s alignment range. A silent
// test scores 1 (nothing was heard).
SpeechQuality speech_quality(std::span<const float> ref, int ref_rate_hz,
                             std::span<const float> test, int test_rate_hz,
                             const ProgressCallback& progress = {});

// The MOS-LQO alone.
double speech_mos(std::span<const float> ref, int ref_rate_hz, std::span<const float> test,
                  int test_rate_hz);

}  // namespace extrema::quality
