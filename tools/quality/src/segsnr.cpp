#include "extrema/quality/segsnr.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "checks.h"
#include "extrema/quality/activity.h"
#include "extrema/quality/error.h"

namespace extrema::quality {

double segmental_snr_db(std::span<const float> ref, std::span<const float> test, int rate_hz) {
    detail::require_rate(rate_hz);
    detail::require_pair(ref, test);
    detail::require_not_silent(ref);
    const auto frame = static_cast<std::size_t>(
        std::max(1L, std::lround(kSegSnrFrameSeconds * static_cast<double>(rate_hz))));
    const std::size_t frames = ref.size() / frame;
    if (frames == 0) throw QualityError("signal shorter than one 20 ms segmental-SNR frame");

    std::vector<double> signal(frames, 0.0);
    std::vector<double> noise(frames, 0.0);
    for (std::size_t f = 0; f < frames; ++f) {
        for (std::size_t i = f * frame; i < (f + 1) * frame; ++i) {
            const double r = ref[i];
            const double e = r - double{test[i]};
            signal[f] += r * r;
            noise[f] += e * e;
        }
    }
    const std::vector<bool> active = active_frames(signal);
    double sum_db = 0.0;
    std::size_t count = 0;
    for (std::size_t f = 0; f < frames; ++f) {
        if (!active[f]) continue;
        const double frame_db =
            noise[f] == 0.0 ? kSegSnrMaxDb : 10.0 * std::log10(signal[f] / noise[f]);
        sum_db += std::clamp(frame_db, kSegSnrMinDb, kSegSnrMaxDb);
        ++count;
    }
    if (count == 0) throw QualityError("no speech-active frame for segmental SNR");
    return sum_db / static_cast<double>(count);
}

}  // namespace extrema::quality
