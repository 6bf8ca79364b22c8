#pragma once
// Feed-forward dynamic range compressor in the dB domain, after Giannoulis, Massberg and Reiss,
// "Digital Dynamic Range Compressor Design" (JAES 2012), docs/compressor.md:
//
//   x_G = 20 log10 max(|x|, floor)           level of the frame (max over channels: stereo-linked)
//   x_L = x_G - y_G(x_G)                     gain reduction the static curve asks for (>= 0 dB)
//   y_L = smooth branching peak detector(x_L) attack/release smoothing in the dB domain
//   y   = x * 10^((M - y_L) / 20)            one gain for every channel of the frame
//
// Pure DSP: process() neither allocates nor locks, so it can run on the audio thread.
#include <limits>
#include <span>
#include <vector>

#include "extrema/dsp/gain_computer.h"
#include "extrema/dsp/level_detector.h"

namespace extrema::dsp {

enum class LevelMode {
    kPeak,  // |x| per sample, as in the paper (the default)
    kRms,   // one-pole mean square over rms_window_ms, for a gentler, loudness-like response
};

// The defaults are the daemon's and `extrema compress`'s; each one's reason is in the doc of its
// key, compressor.* (docs/config.md).
struct CompressorConfig {
    double threshold_db = -20.0;  // dBFS where compression starts
    double ratio = 4.0;           // dB in per dB out above the threshold; inf limits
    double knee_db = 6.0;         // soft-knee width; 0 = the paper's hard knee
    double attack_ms = 5.0;
    double release_ms = 100.0;
    double makeup_db = 0.0;
    // Adds half the curve's gain reduction at 0 dBFS to makeup_db (docs/compressor.md).
    bool auto_makeup = false;
    LevelMode level_mode = LevelMode::kPeak;
    double rms_window_ms = 10.0;  // LevelMode::kRms's window
};

// Lowest level the detector reports: silence maps here instead of -inf (no log(0), no NaN).
inline constexpr double kLevelFloorDb = -120.0;

// The ranges validate() accepts, which the config's compressor.* keys take too. NaN is never in
// one; a ratio of +inf (a limiter) is.
struct FieldRange {
    double min;
    double max;
    bool min_exclusive = false;
};
inline constexpr FieldRange kThresholdRangeDb{kLevelFloorDb, 0.0};
inline constexpr FieldRange kRatioRange{1.0, std::numeric_limits<double>::infinity()};
inline constexpr FieldRange kKneeRangeDb{0.0, 60.0};
inline constexpr FieldRange kTimeConstantRangeMs{0.0, 10000.0};  // attack_ms, release_ms
inline constexpr FieldRange kMakeupRangeDb{-60.0, 60.0};
inline constexpr FieldRange kRmsWindowRangeMs{0.0, 10000.0, true};

// Throws std::invalid_argument naming the first bad field and its accepted range.
void validate(const CompressorConfig& config);

class Compressor {
  public:
    // Throws std::invalid_argument on a bad config, sample rate or channel count.
    Compressor(const CompressorConfig& config, double sample_rate_hz, int channels);

    const CompressorConfig& config() const noexcept { return config_; }
    double sample_rate_hz() const noexcept { return sample_rate_hz_; }
    int channels() const noexcept { return channels_; }

    // The static curve y_G (output level in dB for a steady input level in dB, before make-up).
    double gain_computer_db(double level_db) const noexcept;
    // The make-up gain actually applied (makeup_db plus the automatic part, if on).
    double makeup_db() const noexcept { return makeup_db_; }
    // Gain applied to the most recent frame, make-up included (for meters and tests).
    double gain_db() const noexcept { return makeup_db_ - detector_.value(); }

    // Interleaved frames, in place or from `in` to `out` (same size). The size must be a multiple
    // of the channel count (std::invalid_argument otherwise). Does not allocate.
    void process(std::span<float> interleaved);
    void process(std::span<const float> in, std::span<float> out);
    // Forgets the detector state (as after silence).
    void reset() noexcept;

  private:
    double frame_level_db(const float* frame) noexcept;

    CompressorConfig config_;
    double sample_rate_hz_;
    int channels_;
    GainCurve curve_;
    double makeup_db_;
    BranchingPeakDetector detector_;
    std::vector<MeanSquareDetector> mean_square_;  // one per channel, RMS mode only
};

}  // namespace extrema::dsp
