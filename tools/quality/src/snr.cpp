#include "extrema/quality/snr.h"

#include <algorithm>
#include <cmath>

#include "checks.h"

namespace extrema::quality {

double snr_db(std::span<const float> ref, std::span<const float> test) {
    detail::require_pair(ref, test);
    detail::require_not_silent(ref);
    double signal = 0.0;
    double noise = 0.0;
    for (std::size_t i = 0; i < ref.size(); ++i) {
        const double r = ref[i];
        const double e = r - double{test[i]};
        signal += r * r;
        noise += e * e;
    }
    if (noise == 0.0) return kMaxSnrDb;
    return std::min(kMaxSnrDb, 10.0 * std::log10(signal / noise));
}

}  // namespace extrema::quality
