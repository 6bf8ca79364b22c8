#pragma once
// Time alignment of a decoded (TEST) signal to its reference (REF) by cross-correlation.
//
// Convention: delay_samples > 0 means TEST is late, i.e. test[n + delay] ~ ref[n].
// The delay is an integer number of samples: the peak of the cross-correlation computed by FFT,
// searched within +/- max_delay_s. To bound memory on long files, the correlation uses the
// kAlignmentWindowSeconds of REF with the most energy (whole-second blocks) against the matching
// stretch of TEST widened by the search range; 10 s of speech gives an unambiguous peak.
#include <cstdint>
#include <span>

namespace extrema::quality {

// Codec, jitter buffer and network delays are tens of milliseconds; 1 s leaves wide margin while
// keeping the search fast and making a spurious far-away peak impossible.
inline constexpr double kDefaultMaxDelaySeconds = 1.0;
// Long enough for a unique correlation peak on speech, short enough that the FFT stays a few
// tens of megabytes even at 96 kHz.
inline constexpr double kAlignmentWindowSeconds = 10.0;

// Estimated delay of `test` relative to `ref`. Ties go to the smallest |delay| (the negative one
// first), so silent or periodic inputs give a deterministic answer. Throws QualityError on empty
// input, a non-positive rate or a negative max_delay_s.
std::int64_t estimate_delay_samples(std::span<const float> ref, std::span<const float> test,
                                    int rate_hz, double max_delay_s = kDefaultMaxDelaySeconds);

// The overlapping parts of ref and test once test is shifted by delay_samples: equal length, views
// into the caller's buffers (they must outlive the pair).
struct AlignedPair {
    std::span<const float> ref;
    std::span<const float> test;
};
// Throws QualityError if the two signals do not overlap at that delay.
AlignedPair align(std::span<const float> ref, std::span<const float> test,
                  std::int64_t delay_samples);

}  // namespace extrema::quality
