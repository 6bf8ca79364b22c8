// Attack and release time constants, measured from the gain's response to a level step.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <vector>

#include "extrema/dsp/compressor.h"

namespace extrema::dsp {
namespace {

constexpr double kRateHz = 48000.0;

// A constant-magnitude signal (+a, -a, ...) so the level is steady sample by sample; it steps
// from `low_db` to `high_db` at `up` and back at `down`.
std::vector<float> stepped(double low_db, double high_db, std::size_t up, std::size_t down,
                           std::size_t total) {
    std::vector<float> x(total);
    for (std::size_t n = 0; n < total; ++n) {
        const double db = n >= up && n < down ? high_db : low_db;
        x[n] = static_cast<float>((n % 2 == 0 ? 1.0 : -1.0) * std::pow(10.0, db / 20.0));
    }
    return x;
}

// Seconds from `from` until the gain reduction first crosses `target_db` (rising or falling).
double crossing_s(const std::vector<double>& reduction_db, std::size_t from, double target_db,
                  bool rising) {
    for (std::size_t n = from; n < reduction_db.size(); ++n) {
        if (rising ? reduction_db[n] >= target_db : reduction_db[n] <= target_db) {
            // Linear interpolation between the samples either side of the crossing; the gain
            // first responds at the step's own sample, hence the + 1.
            const double before = reduction_db[n - 1], after = reduction_db[n];
            const double fraction = (target_db - before) / (after - before);
            return (static_cast<double>(n - from) - 1.0 + fraction + 1.0) / kRateHz;
        }
    }
    return -1.0;
}

TEST(CompressorTiming, AttackAndReleaseMatchTheirTimeConstants) {
    double worst = 0.0;
    for (double attack_ms : {1.0, 5.0, 20.0}) {
        for (double release_ms : {50.0, 200.0, 1000.0}) {
            CompressorConfig config;
            config.threshold_db = -30.0;
            config.ratio = 4.0;
            config.knee_db = 0.0;
            config.attack_ms = attack_ms;
            config.release_ms = release_ms;
            Compressor compressor(config, kRateHz, 1);
            const std::size_t up = 4800, down = 4800 + 96000, total = down + 6 * 48000;
            const std::vector<float> x = stepped(-40.0, -10.0, up, down, total);
            std::vector<float> y(x.size());
            compressor.process(x, y);
            std::vector<double> reduction_db(x.size());
            for (std::size_t n = 0; n < x.size(); ++n) {
                reduction_db[n] = -20.0 * std::log10(std::fabs(double{y[n]} / double{x[n]}));
            }
            const double full_db = 20.0 * (1.0 - 1.0 / 4.0);  // 20 dB over threshold at 4:1
            // A one-pole with time constant tau covers 1 - 1/e of a step in tau.
            const double attack_s =
                crossing_s(reduction_db, up, full_db * (1.0 - std::exp(-1.0)), true);
            const double release_s =
                crossing_s(reduction_db, down, full_db * std::exp(-1.0), false);
            const double attack_error = std::fabs(attack_s * 1e3 / attack_ms - 1.0);
            const double release_error = std::fabs(release_s * 1e3 / release_ms - 1.0);
            EXPECT_LT(attack_error, 0.1) << "attack " << attack_ms << " ms measured " << attack_s;
            EXPECT_LT(release_error, 0.1)
                << "release " << release_ms << " ms measured " << release_s;
            worst = std::max({worst, attack_error, release_error});
        }
    }
    std::printf("time constants: worst relative error %.2e %%\n", worst * 100.0);
}

}  // namespace
}  // namespace extrema::dsp
