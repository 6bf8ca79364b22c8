#pragma once
// A waveform reduced to one (min, max) pair per pixel column: what a line plot at that width
// would show anyway, at a size fixed by the width rather than by the signal's length.
#include <cstddef>
#include <span>
#include <vector>

namespace extrema::report {

struct Envelope {
    std::vector<float> min;  // one value per column
    std::vector<float> max;
};

// `columns` columns (fewer, one per sample, if the signal is shorter); column c covers samples
// [c n / columns, (c + 1) n / columns). Empty signal: empty envelope.
Envelope compute_envelope(std::span<const float> samples, std::size_t columns);

// Largest |value| of the envelope (0 if empty).
float envelope_peak(const Envelope& envelope) noexcept;

}  // namespace extrema::report
