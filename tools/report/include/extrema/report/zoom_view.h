#pragma once
// What the zoomed extrema figure shows: a short window of one channel's original samples, the
// decoded samples, and the records (segments) that produced them.
#include <cstdint>
#include <span>
#include <vector>

#include "extrema/codec/curve_bank.h"
#include "extrema/codec/record.h"

namespace extrema::report {

// One record as the decoder plays it: samples [first, first + samples) of the channel. A curve
// starts from start_value, the decoder's value at sample first - 1, and ends exactly on end_value
// (an extremum) at its last sample.
struct ZoomSegment {
    std::int64_t first = 0;
    std::uint32_t samples = 0;
    std::uint8_t curve_id = 0;  // 0: silence
    std::int16_t start_value = 0;
    std::int16_t end_value = 0;
};

struct ZoomView {
    int rate_hz = 0;
    std::int64_t first = 0;              // first sample of the window
    std::vector<std::int16_t> original;  // the encoder's input in the window
    std::vector<std::int16_t> decoded;   // the decoder's output in the window
    std::vector<ZoomSegment> segments;   // every record that produces a sample in the window
    const codec::CurveBank* bank = nullptr;
};

// Replays `records` (one channel) to find the segments in [first, first + count), and cuts the
// window out of `original` and `decoded` (both full-length channel signals). The window is clipped
// to the signal.
ZoomView build_zoom_view(std::span<const codec::Record> records,
                         std::span<const std::int16_t> original,
                         std::span<const std::int16_t> decoded, std::int64_t first,
                         std::int64_t count, int rate_hz, const codec::CurveBank& bank);

// Start of the `window`-sample stretch with the most energy (stride window / 4): where speech is
// loudest, so the zoom shows voiced segments rather than silence. 0 if the signal is shorter.
std::int64_t loudest_window_start(std::span<const float> mono, std::int64_t window);

}  // namespace extrema::report
