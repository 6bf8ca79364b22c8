#include "extrema/quality/metrics.h"

#include <string>

#include "checks.h"
#include "extrema/quality/align.h"
#include "extrema/quality/error.h"
#include "extrema/quality/lsd.h"
#include "extrema/quality/segsnr.h"
#include "extrema/quality/snr.h"
#include "extrema/quality/stoi.h"

namespace extrema::quality {

Metrics evaluate(std::span<const float> ref, std::span<const float> test, int rate_hz) {
    detail::require_rate(rate_hz);
    detail::require_signal(ref, "reference");
    detail::require_signal(test, "test");
    Metrics m;
    m.delay_samples = estimate_delay_samples(ref, test, rate_hz);
    const AlignedPair pair = align(ref, test, m.delay_samples);
    m.snr_db = snr_db(pair.ref, pair.test);
    m.segsnr_db = segmental_snr_db(pair.ref, pair.test, rate_hz);
    m.lsd_db = log_spectral_distance_db(pair.ref, pair.test, rate_hz);
    m.stoi = stoi(pair.ref, pair.test, rate_hz);
    return m;
}

Metrics evaluate(std::span<const float> ref, int ref_rate_hz, std::span<const float> test,
                 int test_rate_hz) {
    if (ref_rate_hz != test_rate_hz) {
        throw QualityError("sample rates differ (" + std::to_string(ref_rate_hz) + " Hz vs " +
                           std::to_string(test_rate_hz) + " Hz); resample one signal first");
    }
    return evaluate(ref, test, ref_rate_hz);
}

}  // namespace extrema::quality
