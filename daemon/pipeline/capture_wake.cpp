#include "pipeline/capture_wake.h"

namespace extrema::pipeline {

std::chrono::steady_clock::time_point capture_wake(const audio::Delivery& latest,
                                                   std::uint64_t wanted_frames, int rate_hz,
                                                   std::chrono::steady_clock::time_point now,
                                                   audio::Pace pace) {
    using std::chrono::nanoseconds;
    using TimePoint = std::chrono::steady_clock::time_point;
    if (wanted_frames <= latest.frames) return now;
    if (latest.block_frames == 0 || rate_hz < 1) return TimePoint::max();
    const std::uint64_t blocks =
        (wanted_frames - latest.frames + latest.block_frames - 1) / latest.block_frames;
    const auto period = pace.wall(
        nanoseconds(static_cast<std::int64_t>(latest.block_frames) * 1'000'000'000LL / rate_hz));
    const TimePoint due = latest.at + static_cast<std::int64_t>(blocks) * period +
                          std::chrono::duration_cast<nanoseconds>(kCaptureWakeMargin);
    if (due >= now) return due;
    // The block should be there and is not: a device late by a little is waited for, one late by
    // more than two periods has stalled (stopped, unplugged, an xrun being handled).
    if (now - due > 2 * period) return TimePoint::max();
    return now + kCaptureWakeMargin;
}

}  // namespace extrema::pipeline
