#include "pipeline/sequence_tracker.h"

#include <gtest/gtest.h>

namespace extrema::pipeline {
namespace {

TEST(SequenceTracker, CountsNothingLostInOrder) {
    SequenceTracker t;
    for (std::uint16_t s = 100; s < 200; ++s) t.observe(s);
    EXPECT_EQ(t.expected(), 100u);
    EXPECT_EQ(t.lost(), 0u);
}

TEST(SequenceTracker, CountsGapsAsLostAcrossWraparound) {
    SequenceTracker t;
    std::uint16_t s = 65530;
    int received = 0;
    for (int i = 0; i < 20; ++i, ++s) {
        if (i % 5 == 2) continue;  // every fifth packet lost
        t.observe(s);
        ++received;
    }
    EXPECT_EQ(t.expected(), 20u);
    EXPECT_EQ(t.received(), static_cast<std::uint64_t>(received));
    EXPECT_EQ(t.lost(), 4u);
}

TEST(SequenceTracker, ReorderingIsNotLoss) {
    SequenceTracker t;
    for (const std::uint16_t s : {10, 12, 11, 14, 13, 15}) t.observe(s);
    EXPECT_EQ(t.lost(), 0u);
    // Reordered ahead of the first packet seen.
    SequenceTracker u;
    for (const std::uint16_t s : {5, 4, 6}) u.observe(s);
    EXPECT_EQ(u.expected(), 3u);
    EXPECT_EQ(u.lost(), 0u);
}

TEST(SequenceTracker, AJumpIsARestartNotAMassiveLoss) {
    SequenceTracker t;
    for (std::uint16_t s = 0; s < 10; ++s) t.observe(s);
    for (std::uint16_t s = 30000; s < 30010; ++s) t.observe(s);
    EXPECT_EQ(t.expected(), 20u);
    EXPECT_EQ(t.lost(), 0u);
}

TEST(SequenceTracker, RestartKeepsTotals) {
    SequenceTracker t;
    t.observe(1);
    t.observe(3);  // 2 lost
    t.restart();
    t.observe(900);
    t.observe(901);
    EXPECT_EQ(t.expected(), 5u);
    EXPECT_EQ(t.lost(), 1u);
}

}  // namespace
}  // namespace extrema::pipeline
