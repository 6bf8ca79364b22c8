#pragma once
// The constants of the ViSQOL v3 speech model, each with its source. "visqol" below is Google's
// published implementation (github.com/google/visqol, src/), which is the model's reference
// description; the papers are Hines et al., EURASIP J. Audio Speech Music Process. 2015:13, and
// Chinen et al., QoMEX 2020. docs/quality.md lists the same values for readers.
#include <array>
#include <cstddef>

namespace extrema::quality::visqol {

// Speech mode analyses 16 kHz audio (visqol_manager.cc: k16kSampleRate, speech-mode warning).
inline constexpr int kRateHz = 16000;

// Gammatone filterbank (visqol_manager.cc kNumBandsSpeech, kMinimumFreq;
// gammatone_spectrogram_builder.cc kSpeechModeMaxFreq): 21 ERB-spaced bands from 50 Hz up to
// 8 kHz, designed as Slaney's "An Efficient Implementation of the Patterson-Holdsworth Auditory
// Filter Bank" (Apple TR #35, 1993) with Glasberg and Moore's ERB parameters.
inline constexpr std::size_t kBands = 21;
inline constexpr double kMinFreqHz = 50.0;
inline constexpr double kMaxFreqHz = 8000.0;
inline constexpr double kEarQ = 9.26449;  // Glasberg & Moore (equivalent_rectangular_bandwidth.cc)
inline constexpr double kMinBwHz = 24.7;  // Glasberg & Moore
inline constexpr double kErbBwScale = 1.019;  // gammatone bandwidth per ERB (Patterson, Slaney)

// Spectrogram frames (analysis_window.cc: 80 ms default; visqol_manager.cc kOverlap = 0.25, used
// as hop = size * overlap): 1280-sample Hann-windowed frames every 320 samples (20 ms). Each
// frame is filtered from rest and each band's value is the RMS of its output.
inline constexpr std::size_t kFrameSamples = 1280;
inline constexpr std::size_t kHopSamples = 320;

// Spectrogram floors (misc_audio.cc PrepareSpectrogramsForComparison, spectrogram.cc): values
// are 10*log10 of the band RMS, raised to an absolute floor of -45, then per frame to 45 below
// the louder of the two signals' peaks in that frame, then shifted so the lowest value is 0.
inline constexpr double kAbsoluteFloorDb = -45.0;
inline constexpr double kRelativeFloorDb = 45.0;

// Patches (visqol_manager.cc kPatchSizeSpeech; vad_patch_creator.cc): 20 frames (400 ms), the
// first starting at frame 20/2 - 1, one every 20 frames.
inline constexpr std::size_t kPatchFrames = 20;
inline constexpr std::size_t kFirstPatchFrame = kPatchFrames / 2 - 1;

// Voice activity (rms_vad.cc): a 320-sample chunk of the peak-normalised reference, as 16-bit
// values, is voiced if its RMS reaches 5000, or if one of the 2 chunks before it was; the first
// 2 chunks count as voiced. A patch with at least one voiced chunk is scored
// (vad_patch_creator.cc kFramesWithVAThreshold = 1).
inline constexpr double kVadRmsThreshold = 5000.0;
inline constexpr double kVadFullScale = 32768.0;
inline constexpr std::size_t kVadSilentChunks = 3;

// Patch search (comparison_patches_selector.cc): each reference patch is matched, by dynamic
// programming over NSIM, to a degraded patch within a radius around its own position, in order.
// visqol's default radius is 60 patches (24 s); here it is 3 patches (1.2 s): the global
// alignment has already removed the bulk delay, and the smaller radius keeps long files fast.
inline constexpr std::size_t kSearchRadiusFrames = 3 * kPatchFrames;

// Global alignment (alignment.cc GloballyAlign, envelope.cc): the cross-correlation peak of the
// two Hilbert upper envelopes. visqol accepts any lag up to half the reference; here it is
// searched within +/- 1 s, the same second by which the two lengths may differ
// (visqol_manager.cc kDurationMismatchTolerance, a warning there, an error here).
inline constexpr double kMaxGlobalLagSeconds = 1.0;
inline constexpr double kDurationToleranceSeconds = 1.0;

// NSIM (neurogram_similiarity_index_measure.cc, after Hines & Harte, Speech Communication 2012):
// SSIM's form with a 3x3 Gaussian window, K = (0.01, 0.03) and intensity range 1, so
// C1 = (0.01 * 1)^2 and C3 = (0.03 * 1)^2 / 2; the patch edge is replicated.
inline constexpr double kNsimCorner = 0.0113033910173052;
inline constexpr double kNsimEdge = 0.0838251475442633;
inline constexpr double kNsimCentre = 0.619485845753726;
inline constexpr double kNsimIntensityRange = 1.0;
inline constexpr double kNsimC1 = (0.01 * kNsimIntensityRange) * (0.01 * kNsimIntensityRange);
inline constexpr double kNsimC3 = (0.03 * kNsimIntensityRange) * (0.03 * kNsimIntensityRange) / 2.0;

// NSIM -> MOS for speech (speech_similarity_to_quality_mapper.cc, exponential fit over the
// TCD-VOIP data set; misc_math.cc ExponentialFromFit): mos = a + exp(b * (nsim - x0)), scaled by
// 1.245063 so that NSIM 1 maps to about 5 (the default, "scaled" mapping), clamped to 1..5.
inline constexpr double kFitA = -262.847869;
inline constexpr double kFitB = 0.0154302525;
inline constexpr double kFitX0 = -361.063949;
inline constexpr double kFitScale = 1.245063;
inline constexpr double kMinMos = 1.0;
inline constexpr double kMaxMos = 5.0;
// Below this mean NSIM the signals are unrelated and the score is 1 (visqol.cc
// AlterForSimilarityExtremes).
inline constexpr double kUnrelatedNsim = 0.15;

}  // namespace extrema::quality::visqol
