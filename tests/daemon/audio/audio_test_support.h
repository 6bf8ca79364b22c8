#pragma once
// Helpers shared by the audio tests: test material, a consumer that drains a ring on its own
// thread, and bit-for-bit comparison of float signals. (Temporary directories: temp_dir.h.)
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <thread>
#include <vector>

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

// Polls `done` every `poll` until it holds or `timeout` has passed; returns its last value.
bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout,
                std::chrono::milliseconds poll = std::chrono::milliseconds(1));

// Deterministic noise in [-1, 1): a signal whose every bit matters.
std::vector<float> noise(std::size_t samples, std::uint32_t seed);

// Index of the first sample whose bit pattern differs, or -1 if the spans are identical
// (lengths included: a length mismatch reports the shorter length).
std::int64_t first_bit_difference(std::span<const float> a, std::span<const float> b);

}  // namespace extrema::audio::test
