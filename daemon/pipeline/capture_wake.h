#pragma once
// When a sending link's network thread should wake: right after the capture block that brings
// the samples its next packet needs is in the ring. A capture device delivers whole periods at a
// steady pace (audio::DeliveryClock says when the last came and how big it was), so the wake-up
// can be planned instead of polled for: one per packet, at about the moment it can leave, where
// a fixed tick wakes twice as often and still leaves a packet waiting up to a tick.
#include <chrono>
#include <cstdint>

#include "audio/delivery_clock.h"
#include "audio/pace.h"

namespace extrema::pipeline {

// After the block is due: a device thread's wake-up jitter on a loaded machine is a few hundred
// microseconds at most; a wake-up that still comes too early costs one retry this much later.
inline constexpr std::chrono::microseconds kCaptureWakeMargin{300};

// `latest`: the source's last delivery. `wanted_frames`: the delivery count (in `latest.frames`'
// terms) that completes the next packet. Returns when to wake: `now` or earlier if the frames are
// in the ring already; `now` + the margin if the block is late (the device is slow to wake);
// time_point::max() if the device has stalled (two periods overdue) or `latest` says nothing
// usable: the caller then falls back to its poll interval. `pace`: how fast the source's periods
// pass (the margin is the machine's, not the audio's, and does not scale).
std::chrono::steady_clock::time_point capture_wake(const audio::Delivery& latest,
                                                   std::uint64_t wanted_frames, int rate_hz,
                                                   std::chrono::steady_clock::time_point now,
                                                   audio::Pace pace = audio::Pace{});

}  // namespace extrema::pipeline
