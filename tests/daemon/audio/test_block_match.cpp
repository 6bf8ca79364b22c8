// match_blocks, which the JACK tests use on runs that had xruns: a period dropped or repeated
// must only shift what follows, and a changed signal must not pass.
#include <gtest/gtest.h>

#include <span>
#include <vector>

#include "audio_test_support.h"

namespace extrema::audio::test {
namespace {

constexpr std::size_t kPeriod = 64;
constexpr std::int64_t kLead = 1000;  // silence before the signal in the recording

std::vector<float> recorded(const std::vector<float>& signal) {
    std::vector<float> recording(static_cast<std::size_t>(kLead), 0.0f);
    recording.insert(recording.end(), signal.begin(), signal.end());
    recording.resize(recording.size() + 2000, 0.0f);
    return recording;
}

TEST(BlockMatch, AnExactRecordingMatchesInEveryBlock) {
    const std::vector<float> signal = noise(48000, 1);
    const BlockMatch m =
        match_blocks(recorded(signal), signal, kLead, kXrunMatchBlock, kXrunMaxSlide);
    EXPECT_GE(m.signal_blocks, 200u);  // 1 s of signal, 5 ms blocks
    EXPECT_EQ(m.exact_blocks, m.signal_blocks);
}

TEST(BlockMatch, DroppedAndRepeatedPeriodsOnlyCostTheBlocksTheyTouch) {
    const std::vector<float> signal = noise(48000, 2);
    std::vector<float> slipped = signal;
    for (const std::size_t at : {5000u, 20000u, 30000u}) {  // drop a period
        slipped.erase(slipped.begin() + static_cast<std::ptrdiff_t>(at),
                      slipped.begin() + static_cast<std::ptrdiff_t>(at + kPeriod));
    }
    const std::vector<float> again(slipped.begin() + 40000, slipped.begin() + 40000 + kPeriod);
    slipped.insert(slipped.begin() + 40000, again.begin(), again.end());  // repeat one
    const BlockMatch m =
        match_blocks(recorded(slipped), signal, kLead, kXrunMatchBlock, kXrunMaxSlide);
    EXPECT_GE(m.exact_blocks + 8, m.signal_blocks);
    EXPECT_GE(m.exact_fraction(), kMinExactShareWithXruns);
}

TEST(BlockMatch, AChangedSignalDoesNotMatch) {
    const std::vector<float> signal = noise(48000, 3);
    std::vector<float> changed = signal;
    for (std::size_t i = 0; i < changed.size(); i += 20) changed[i] *= 0.5f;
    const BlockMatch m =
        match_blocks(recorded(changed), signal, kLead, kXrunMatchBlock, kXrunMaxSlide);
    EXPECT_EQ(m.exact_blocks, 0u);
    EXPECT_GT(m.signal_blocks, 0u);
}

TEST(BlockMatch, SilenceWhereTheSignalShouldBeCountsAgainstIt) {
    const std::vector<float> signal = noise(48000, 4);
    std::vector<float> gapped = signal;
    std::fill(gapped.begin() + 10000, gapped.begin() + 20000, 0.0f);
    const BlockMatch m =
        match_blocks(recorded(gapped), signal, kLead, kXrunMatchBlock, kXrunMaxSlide);
    EXPECT_GE(m.signal_blocks, 200u);  // 1 s of signal, 5 ms blocks
    EXPECT_LT(m.exact_fraction(), kMinExactShareWithXruns);
}

// A period lost in the sender's capture: what follows is another reference (the offline encode
// at another phase of the sender's packet grid), which the multi-reference match follows.
TEST(BlockMatch, AfterASlipTheMatchFollowsAnotherReference) {
    const std::vector<float> first = noise(48000, 5);
    const std::vector<float> second = noise(48000, 6);
    std::vector<float> switched(first.begin(), first.begin() + 20000);
    switched.insert(switched.end(), second.begin() + 20000 + kPeriod, second.end());
    const std::vector<float> recording = recorded(switched);
    const BlockMatch one = match_blocks(recording, first, kLead, kXrunMatchBlock, kXrunMaxSlide);
    EXPECT_LT(one.exact_fraction(), 0.5);
    const std::span<const float> both[] = {first, second};
    const BlockMatch m = match_blocks(recording, both, 0, kLead, kXrunMatchBlock, kXrunMaxSlide);
    EXPECT_GE(m.signal_blocks, 190u);
    EXPECT_GE(m.exact_blocks + 2, m.signal_blocks);
}

TEST(BlockMatch, AChangedSignalMatchesNoneOfSeveralReferences) {
    const std::vector<float> first = noise(48000, 7);
    const std::vector<float> second = noise(48000, 8);
    std::vector<float> changed = first;
    for (std::size_t i = 0; i < changed.size(); i += 20) changed[i] *= 0.5f;
    const std::span<const float> both[] = {first, second};
    const BlockMatch m =
        match_blocks(recorded(changed), both, 0, kLead, kXrunMatchBlock, kXrunMaxSlide);
    EXPECT_EQ(m.exact_blocks, 0u);
    EXPECT_GT(m.signal_blocks, 0u);
}

}  // namespace
}  // namespace extrema::audio::test
