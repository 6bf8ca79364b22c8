#pragma once
// A sender and a receiver with different clocks, in simulated time (no sleeping): the sender
// delivers packet_ms packets of a sine at rate * (1 + sender_ppm), each arriving after a random
// delay of up to jitter_ms; a FIFO stands in for the jitter buffer (it plays zeros when empty);
// the receiver fills at its own fixed rate and, with a corrector, observes the level and pulls
// through it. Records the level, the drift estimate and the output's smoothness.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "pipeline/drift_corrector.h"

namespace extrema::pipeline::test {

enum class FillTiming {
    kFixedBlocks,  // a fill of fill_samples every fill_samples (a sound-card period)
    kOnArrival,    // a fill right after each packet arrives, of what our clock consumed since
};

struct DriftScenario {
    double rate_hz = 48000.0;
    double sender_ppm = 0.0;  // positive: the sender's clock is fast
    double packet_ms = 10.0;
    double start_ms = 20.0;   // playout starts once this much is buffered (the jitter target)
    double target_ms = 15.0;  // the level held: the sawtooth's mean, half a packet below start
    FillTiming timing = FillTiming::kFixedBlocks;
    std::size_t fill_samples = 256;
    double jitter_ms = 0.0;
    double duration_s = 120.0;
    double tone_hz = 440.0;
    double retarget_ms = 0.0;    // the target moves by this much (a SIGHUP) ...
    double retarget_at_s = 0.0;  // ... at this time
    std::uint32_t seed = 1;
};

struct DriftRun {
    std::vector<double> level_ms;       // time-weighted mean level of each second
    std::vector<double> drift_ppm;      // the corrector's estimate at the end of each second
    double start_level_ms = 0.0;        // mean level over the first second
    double end_level_ms = 0.0;          // mean level over the last second
    std::uint64_t starved_samples = 0;  // the FIFO was empty: an underrun
    std::size_t engagements = 0;        // bypass -> correcting transitions
    double correcting_share = 0.0;      // of the output time
    // Largest |second difference| of the output, over the tone's own (A w^2): a repeated,
    // skipped or stepped sample shows as ~1/w (~17 at 440 Hz), interpolation as < 1.5.
    double roughness = 0.0;
};

// `corrector` null: the receiver plays the FIFO directly (no correction).
DriftRun simulate(const DriftScenario& scenario, DriftCorrector* corrector);

}  // namespace extrema::pipeline::test
