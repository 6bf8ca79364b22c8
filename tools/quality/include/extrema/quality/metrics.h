#pragma once
// All the figures of `extrema eval` for one reference/test pair.
#include <cstdint>
#include <optional>
#include <span>

namespace extrema::quality {

struct Metrics {
    std::int64_t delay_samples = 0;  // of test relative to ref (align.h's convention)
    double snr_db = 0.0;
    double segsnr_db = 0.0;
    double lsd_db = 0.0;
    double stoi = 0.0;  // intelligibility (stoi.h), not quality
    // Perceived quality, MOS-LQO 1..5 (visqol.h); set by callers that compute it, since it does its
    // own resampling and alignment.
    std::optional<double> mos;
};

// Aligns test to ref (align.h), then measures the overlapping part. Both are mono at rate_hz.
// Throws QualityError on bad input (see the individual metrics).
Metrics evaluate(std::span<const float> ref, std::span<const float> test, int rate_hz);
// The same, refusing (QualityError) unless both rates are equal: every metric compares samples
// one to one, and silently resampling would hide a pipeline bug.
Metrics evaluate(std::span<const float> ref, int ref_rate_hz, std::span<const float> test,
                 int test_rate_hz);

}  // namespace extrema::quality
