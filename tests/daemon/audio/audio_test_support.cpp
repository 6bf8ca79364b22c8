#include "audio_test_support.h"

#include <algorithm>
#include <bit>
#include <chrono>
#include <cstring>
#include <optional>
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

BlockMatch match_blocks(std::span<const float> recording, std::span<const float> reference,
                        std::int64_t offset, std::size_t block, std::int64_t max_slide) {
    const std::span<const float> only[] = {reference};
    return match_blocks(recording, only, 0, offset, block, max_slide);
}

BlockMatch match_blocks(std::span<const float> recording,
                        std::span<const std::span<const float>> references, std::size_t first,
                        std::int64_t offset, std::size_t block, std::int64_t max_slide) {
    BlockMatch match;
    std::size_t current = first;
    // Reference sample j, and silence before and after it (as around the speech in a recording).
    const auto want = [&](std::size_t r, std::int64_t j) {
        const std::span<const float> reference = references[r];
        return j < 0 || j >= static_cast<std::int64_t>(reference.size())
                   ? 0.0f
                   : reference[static_cast<std::size_t>(j)];
    };
    // Whether `got`, starting at recording sample `at`, is reference r bit for bit at `shift`.
    const auto equal_at = [&](std::span<const float> got, std::int64_t at, std::size_t r,
                              std::int64_t shift) {
        for (std::size_t k = 0; k < got.size(); ++k) {
            const std::int64_t j = at + static_cast<std::int64_t>(k) - shift;
            if (std::bit_cast<std::uint32_t>(got[k]) != std::bit_cast<std::uint32_t>(want(r, j))) {
                return false;
            }
        }
        return true;
    };
    // The slide (nearest first: 0, +1, -1, +2, ...) at which `got` is reference r, if any.
    const auto find = [&](std::span<const float> got, std::int64_t at,
                          std::size_t r) -> std::optional<std::int64_t> {
        for (std::int64_t step = 0; step <= 2 * max_slide; ++step) {
            const std::int64_t slide = step % 2 == 1 ? (step + 1) / 2 : -(step / 2);
            if (equal_at(got, at, r, offset + slide)) return slide;
        }
        return std::nullopt;
    };
    if (current >= references.size()) return match;
    for (std::size_t i = 0; i + block <= recording.size(); i += block) {
        const std::span<const float> got = recording.subspan(i, block);
        const auto at = static_cast<std::int64_t>(i);
        bool speech = false;
        for (std::size_t k = 0; k < block && !speech; ++k) {
            speech =
                got[k] != 0.0f || want(current, at + static_cast<std::int64_t>(k) - offset) != 0.0f;
        }
        if (!speech) continue;
        ++match.signal_blocks;
        std::optional<std::int64_t> slide = find(got, at, current);
        for (std::size_t r = 0; !slide && r < references.size(); ++r) {
            if (r == current) continue;
            slide = find(got, at, r);
            if (slide) current = r;
        }
        if (!slide) continue;
        ++match.exact_blocks;
        offset += *slide;
    }
    return match;
}

}  // namespace extrema::audio::test
