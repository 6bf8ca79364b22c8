#pragma once
// RFC 3550 appendix A.1/A.3 loss accounting for one sender: extends 16-bit sequence numbers,
// and reports expected = highest - first + 1 and lost = expected - received (never negative:
// duplicates are not counted as received, so they cannot hide a loss).
#include <cstdint>

namespace extrema::pipeline {

class SequenceTracker {
  public:
    // A jump of more than this (forwards or backwards) is a restarted sender, not loss or
    // reordering: RFC 3550 A.1's MAX_DROPOUT.
    static constexpr std::int32_t kMaxDropout = 3000;

    // One packet that was not a duplicate.
    void observe(std::uint16_t sequence) noexcept;
    // A new sender (SSRC change): forget the old numbering, keep the totals.
    void restart() noexcept {
        expected_before_ += current_expected();
        started_ = false;
    }

    std::uint64_t expected() const noexcept { return expected_before_ + current_expected(); }
    std::uint64_t received() const noexcept { return received_; }
    std::uint64_t lost() const noexcept {
        return expected() > received_ ? expected() - received_ : 0;
    }

  private:
    std::uint64_t current_expected() const noexcept {
        return started_ ? static_cast<std::uint64_t>(highest_ - first_ + 1) : 0;
    }

    bool started_ = false;
    std::int64_t first_ = 0;    // extended sequence number of the first packet
    std::int64_t highest_ = 0;  // highest extended sequence number seen
    std::uint64_t expected_before_ = 0;  // expected packets of earlier numberings
    std::uint64_t received_ = 0;
};

}  // namespace extrema::pipeline
