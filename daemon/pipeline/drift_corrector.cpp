#include "pipeline/drift_corrector.h"

namespace extrema::pipeline {
namespace {

LatencyTunerConfig tuner_config(const DriftCorrectorConfig& c) {
    LatencyTunerConfig t;
    t.sample_rate_hz = c.sample_rate_hz;
    t.max_correction_ppm = c.max_correction_ppm;
    t.deadband_ms = c.deadband_ms;
    t.release_ms = c.release_ms;
    t.window_s = c.window_s;
    t.gain_ppm_per_ms = c.gain_ppm_per_ms;
    t.max_slew_ppm_per_s = c.max_slew_ppm_per_s;
    t.drift_fit_s = c.drift_fit_s;
    t.drift_min_fit_s = c.drift_min_fit_s;
    t.fit_jump_ms = c.fit_jump_ms;
    t.fast_growth = c.fast_growth;
    t.max_growth_ppm = c.max_growth_ppm;
    t.growth_gain_ppm_per_ms = c.growth_gain_ppm_per_ms;
    t.growth_slew_ppm_per_s = c.growth_slew_ppm_per_s;
    t.growth_done_ms = c.growth_done_ms;
    return t;
}

ResamplerConfig resampler_config(const DriftCorrectorConfig& c) {
    ResamplerConfig r;
    r.sample_rate_hz = c.sample_rate_hz;
    r.max_block_samples = c.max_block_samples;
    r.max_correction_ppm = c.max_correction_ppm;
    r.landing_ms = c.landing_ms;
    return r;
}

}  // namespace

DriftCorrector::DriftCorrector(const DriftCorrectorConfig& config)
    : config_(config), tuner_(tuner_config(config)), resampler_(resampler_config(config)) {}

}  // namespace extrema::pipeline
