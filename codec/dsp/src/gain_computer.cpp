#include "extrema/dsp/gain_computer.h"

#include <cmath>

namespace extrema::dsp {

double gain_computer_db(const GainCurve& curve, double level_db) noexcept {
    // 1/R is 0 for R = inf (a limiter), so the formulas below need no special case.
    const double slope = 1.0 / curve.ratio - 1.0;
    const double over_db = level_db - curve.threshold_db;
    // The comparisons include the knee's edges, where both pieces agree, so a hard knee
    // (knee_db == 0) never reaches the quadratic and its division.
    if (2.0 * over_db <= -curve.knee_db) return level_db;  // below the knee: unity gain
    if (2.0 * over_db >= curve.knee_db) return curve.threshold_db + over_db / curve.ratio;
    // Inside the knee: the quadratic that joins the two lines with a continuous slope.
    const double into_knee_db = over_db + curve.knee_db / 2.0;
    return level_db + slope * into_knee_db * into_knee_db / (2.0 * curve.knee_db);
}

}  // namespace extrema::dsp
