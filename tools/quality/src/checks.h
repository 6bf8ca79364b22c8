#pragma once
// Input validation shared by the metrics: one wording for each kind of bad input.
#include <span>

namespace extrema::quality::detail {

void require_rate(int rate_hz);
// Non-empty and every sample finite; `what` names the signal in the message ("reference").
void require_signal(std::span<const float> samples, const char* what);
// Both valid and of equal length (the metrics compare sample n with sample n).
void require_pair(std::span<const float> ref, std::span<const float> test);
// Sum of squares in double precision.
double energy(std::span<const float> samples);
// Throws unless ref has some non-zero sample: no metric is defined against silence.
void require_not_silent(std::span<const float> ref);

}  // namespace extrema::quality::detail
