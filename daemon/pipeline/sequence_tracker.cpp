#include "pipeline/sequence_tracker.h"

namespace extrema::pipeline {

void SequenceTracker::observe(std::uint16_t sequence) noexcept {
    ++received_;
    if (!started_) {
        started_ = true;
        first_ = highest_ = sequence;
        return;
    }
    const auto delta =
        static_cast<std::int16_t>(static_cast<std::uint16_t>(sequence - static_cast<std::uint16_t>(highest_)));
    const std::int64_t extended = highest_ + delta;
    if (delta > kMaxDropout || delta < -kMaxDropout || extended < first_ - kMaxDropout) {
        // A new numbering: close the old one, start counting afresh.
        expected_before_ += current_expected();
        first_ = highest_ = sequence;
        return;
    }
    if (extended > highest_) highest_ = extended;
    if (extended < first_) first_ = extended;  // reordered ahead of the first packet seen
}

}  // namespace extrema::pipeline
