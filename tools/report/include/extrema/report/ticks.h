#pragma once
// Axis ticks at "nice" values (1, 2 or 5 times a power of ten), as plotting libraries place them.
#include <string>
#include <vector>

namespace extrema::report {

struct Ticks {
    std::vector<double> values;  // inside [lo, hi], ascending
    double step = 0.0;
};

// About `target` ticks (at most 2 * target) over [lo, hi]; none if hi <= lo or not finite.
Ticks nice_ticks(double lo, double hi, int target);

// A tick label with just enough decimals for `step` ("0.5", "12", "0.025"); "-0" is printed "0".
std::string tick_label(double value, double step);

}  // namespace extrema::report
