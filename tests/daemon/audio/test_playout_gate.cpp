// PlayoutGate: silent and uncounted until the prefill is there, then a plain counted pop.
#include <gtest/gtest.h>

#include <vector>

#include "audio/playout_gate.h"

namespace extrema::audio {
namespace {

TEST(PlayoutGate, StaysSilentWithoutCountingUntilThePrefillIsThere) {
    SampleRing ring(64);
    PlayoutGate gate(4);
    std::vector<float> out(3, 9.0f);
    EXPECT_EQ(gate.pop(ring, out), 0u);
    EXPECT_EQ(out, std::vector<float>(3, 0.0f));
    ring.push(std::vector<float>{1, 2, 3});
    EXPECT_EQ(gate.pop(ring, out), 0u);  // 3 < 4: still waiting
    EXPECT_EQ(ring.counters().underrun_events, 0u);
    ring.push(std::vector<float>{4});
    EXPECT_EQ(gate.pop(ring, out), 3u);
    EXPECT_EQ(out, (std::vector<float>{1, 2, 3}));
    // Open for good: a shortfall now is a real underrun.
    EXPECT_EQ(gate.pop(ring, out), 1u);
    EXPECT_EQ(out, (std::vector<float>{4, 0, 0}));
    EXPECT_EQ(ring.counters().underrun_samples, 2u);
}

TEST(PlayoutGate, ZeroPrefillOpensWithTheFirstSample) {
    SampleRing ring(64);
    PlayoutGate gate(0);
    std::vector<float> out(2);
    EXPECT_EQ(gate.pop(ring, out), 0u);
    EXPECT_EQ(ring.counters().underrun_events, 0u);
    ring.push(std::vector<float>{0.5f});
    EXPECT_EQ(gate.pop(ring, out), 1u);
    EXPECT_EQ(ring.counters().underrun_samples, 1u);
}

}  // namespace
}  // namespace extrema::audio
