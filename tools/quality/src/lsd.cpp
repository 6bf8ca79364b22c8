#include "extrema/quality/lsd.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "checks.h"
#include "extrema/quality/activity.h"
#include "extrema/quality/error.h"
#include "power_spectrum.h"
#include "window.h"

namespace extrema::quality {

double log_spectral_distance_db(std::span<const float> ref, std::span<const float> test,
                                int rate_hz) {
    detail::require_rate(rate_hz);
    detail::require_pair(ref, test);
    detail::require_not_silent(ref);
    const auto frame = static_cast<std::size_t>(
        std::max(2L, std::lround(kLsdFrameSeconds * static_cast<double>(rate_hz))));
    const std::size_t hop = frame / 2;  // 50 % overlap: every sample is analysed with weight
    if (ref.size() < frame) throw QualityError("signal shorter than one 32 ms LSD frame");

    const std::vector<double> window = detail::hanning_window(frame);
    const double window_power =
        std::inner_product(window.begin(), window.end(), window.begin(), 0.0);
    detail::PowerSpectrum spectrum(detail::next_power_of_two(frame));
    std::vector<double> ref_frame(frame), test_frame(frame);
    std::vector<double> ref_power(spectrum.bins()), test_power(spectrum.bins());
    std::vector<double> energies;
    std::vector<double> distances_db;

    for (std::size_t start = 0; start + frame <= ref.size(); start += hop) {
        double frame_energy = 0.0;
        for (std::size_t i = 0; i < frame; ++i) {
            ref_frame[i] = window[i] * ref[start + i];
            test_frame[i] = window[i] * test[start + i];
            frame_energy += ref_frame[i] * ref_frame[i];
        }
        spectrum.compute(ref_frame, ref_power);
        spectrum.compute(test_frame, test_power);
        double sum_sq = 0.0;
        for (std::size_t k = 0; k < ref_power.size(); ++k) {
            const double pr = std::max(ref_power[k] / window_power, kLsdPowerFloor);
            const double pt = std::max(test_power[k] / window_power, kLsdPowerFloor);
            const double diff_db = 10.0 * std::log10(pr / pt);
            sum_sq += diff_db * diff_db;
        }
        energies.push_back(frame_energy);
        distances_db.push_back(std::sqrt(sum_sq / static_cast<double>(ref_power.size())));
    }

    const std::vector<bool> active = active_frames(energies);
    double sum_db = 0.0;
    std::size_t count = 0;
    for (std::size_t f = 0; f < distances_db.size(); ++f) {
        if (!active[f]) continue;
        sum_db += distances_db[f];
        ++count;
    }
    if (count == 0) throw QualityError("no speech-active frame for log-spectral distance");
    return sum_db / static_cast<double>(count);
}

}  // namespace extrema::quality
