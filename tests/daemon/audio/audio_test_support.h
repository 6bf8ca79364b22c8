#pragma once
// Helpers shared by the audio tests: test material, a consumer that drains a ring on its own
// thread, a frame reader that plays a ring, and bit-for-bit comparison of float signals. (Temporary
// directories: temp_dir.h.)
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "audio/frame_reader.h"
#include "audio/sample_ring.h"

namespace extrema::audio::test {

// Real speech, 48 kHz mono 16-bit (package alsa-utils).
inline const std::filesystem::path kSpeechWav = "/usr/share/sounds/alsa/Front_Center.wav";

// Pops everything a ring receives, on its own thread, into a vector (consumer side).
class RingDrain {
  public:
    explicit RingDrain(SampleRing& ring);
    ~RingDrain();  // stops
    RingDrain(const RingDrain&) = delete;
    RingDrain& operator=(const RingDrain&) = delete;
    // Stops the thread, takes what is left, and returns everything received.
    std::vector<float> finish();

  private:
    SampleRing& ring_;
    std::vector<float> received_;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

// The consumer end of a ring as what a sink plays: what is missing is zero-filled and counted
// by the ring as an underrun (SampleRing::pop), as a device playing a ring would.
class RingReader final : public FrameReader {
  public:
    explicit RingReader(SampleRing& ring) : ring_(ring) {}
    void read(std::span<float> out) noexcept override { ring_.pop(out); }

  private:
    SampleRing& ring_;
};

// Polls `done` every `poll` until it holds or `timeout` has passed; returns its last value.
bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout,
                std::chrono::milliseconds poll = std::chrono::milliseconds(1));

// Deterministic noise in [-1, 1): a signal whose every bit matters.
std::vector<float> noise(std::size_t samples, std::uint32_t seed);

// Index of the first sample whose bit pattern differs, or -1 if the spans are identical
// (lengths included: a length mismatch reports the shorter length).
std::int64_t first_bit_difference(std::span<const float> a, std::span<const float> b);

// How much of a recording is the reference bit for bit when a JACK xrun may have dropped or
// repeated audio: the recording is cut into blocks, and each block must equal the reference at
// the offset the previous block matched at, or at one up to `max_slide` samples away (recording
// sample i is reference sample i - offset). Blocks silent in both count as neither.
struct BlockMatch {
    std::size_t signal_blocks = 0;  // blocks where the recording or the reference is not silent
    std::size_t exact_blocks = 0;   // of those, found bit for bit in the reference
    double exact_fraction() const noexcept {
        return signal_blocks == 0
                   ? 0.0
                   : static_cast<double>(exact_blocks) / static_cast<double>(signal_blocks);
    }
};
BlockMatch match_blocks(std::span<const float> recording, std::span<const float> reference,
                        std::int64_t offset, std::size_t block, std::int64_t max_slide);
// The same where what follows a slip may be another of several references: a sender that
// closes a record every packet_ms of its own capture encodes the speech differently once its
// capture lost a period (the speech moved on that grid), as the offline encode at another phase
// does. Each block is looked for in the reference the last one matched (references[first] at
// the start) and, failing that, in the others.
BlockMatch match_blocks(std::span<const float> recording,
                        std::span<const std::span<const float>> references, std::size_t first,
                        std::int64_t offset, std::size_t block, std::int64_t max_slide);

// How the JACK tests (48 kHz) compare a run that had xruns in every attempt: 5 ms blocks, each
// found within 100 ms of where the one before it matched, and at least this share of them bit
// for bit (a clean run must match in every sample).
inline constexpr std::size_t kXrunMatchBlock = 240;
inline constexpr std::int64_t kXrunMaxSlide = 4800;
inline constexpr double kMinExactShareWithXruns = 0.9;

}  // namespace extrema::audio::test
