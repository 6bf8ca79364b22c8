#pragma once
// Fits one swing record (swing_bank.h) to two consecutive half-cycles: from `from` to the extremum
// `peak` after n1 samples, then to `end` after n samples in all. The record's end value is chosen
// with the swing's height: the pair (end', r) of the bank's grid whose rendered extremum and end
// lie closest, in squared error, to `peak` and `end` (least squares over the end value for each
// r, then the best r). No allocation; a few dozen multiply-adds.
#include <cstdint>

namespace extrema::codec {

struct SwingFit {
    std::uint8_t id = 0;
    std::int16_t end = 0;
    float error = 0.0f;         // squared error at the extremum and the end, int16 scale
    float slip_samples = 0.0f;  // how far the rendered extremum lies from sample n1 - 1
};

SwingFit fit_swing(float from, float peak, float end, std::uint32_t n1, std::uint32_t n) noexcept;

}  // namespace extrema::codec
