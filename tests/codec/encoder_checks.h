#pragma once
// Checks shared by the encoder tests of every bank.
#include <cstddef>

#include "extrema/codec/encoder.h"

namespace extrema::test {

// Pushes a 44.1 kHz chirp, silence and the chirp again in 64-sample blocks and checks that the
// encoder never holds more than `cap` samples, that no record is longer, and that the records
// cover every sample pushed.
void expect_latency_cap_holds(codec::Encoder& encoder, std::size_t cap);

}  // namespace extrema::test
