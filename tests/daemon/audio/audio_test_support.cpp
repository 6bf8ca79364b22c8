#include "audio_test_support.h"

#include <chrono>
#include <cstring>
#include <random>

namespace extrema::audio::test {

RingDrain::RingDrain(SampleRing& ring) : ring_(ring) {
    thread_ = std::thread([this] {
        std::vector<float> block(1024 * static_cast<std::size_t>(ring_.channels()));
        while (!stop_.load()) {
            const std::size_t n = ring_.pop_available(block);
            received_.insert(received_.end(), block.begin(), block.begin() + n);
            if (n == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    });
}

RingDrain::~RingDrain() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
}

std::vector<float> RingDrain::finish() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    std::vector<float> block(1024 * static_cast<std::size_t>(ring_.channels()));
    while (const std::size_t n = ring_.pop_available(block)) {
        received_.insert(received_.end(), block.begin(), block.begin() + n);
    }
    return std::move(received_);
}

bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout,
                std::chrono::milliseconds poll) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(poll);
    return done();
}

std::vector<float> noise(std::size_t samples, std::uint32_t seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    std::vector<float> out(samples);
    for (float& s : out) s = dist(rng);
    return out;
}

std::int64_t first_bit_difference(std::span<const float> a, std::span<const float> b) {
    const std::size_t n = std::min(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i) {
        if (std::memcmp(&a[i], &b[i], sizeof(float)) != 0) return static_cast<std::int64_t>(i);
    }
    return a.size() == b.size() ? -1 : static_cast<std::int64_t>(n);
}

}  // namespace extrema::audio::test
