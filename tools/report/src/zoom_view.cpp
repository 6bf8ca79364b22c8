#include "extrema/report/zoom_view.h"

#include <algorithm>

namespace extrema::report {

ZoomView build_zoom_view(std::span<const codec::Record> records,
                         std::span<const std::int16_t> original,
                         std::span<const std::int16_t> decoded, std::int64_t first,
                         std::int64_t count, int rate_hz, const codec::CurveBank& bank) {
    ZoomView view;
    view.rate_hz = rate_hz;
    view.bank = &bank;
    const auto length = static_cast<std::int64_t>(std::min(original.size(), decoded.size()));
    first = std::clamp<std::int64_t>(first, 0, length);
    const std::int64_t end =
        std::clamp<std::int64_t>(first + std::max<std::int64_t>(count, 0), first, length);
    view.first = first;
    view.original.assign(original.begin() + first, original.begin() + end);
    view.decoded.assign(decoded.begin() + first, decoded.begin() + end);

    // The decoder's state machine (decoder.h): position advances by each record's samples; the
    // value is 0 at the start, set by anchors and curve ends, held through silence.
    std::int64_t position = 0;
    std::int16_t value = 0;
    for (const codec::Record& r : records) {
        if (position >= end) break;
        const std::int64_t next = position + r.samples;
        if (r.is_anchor()) {
            value = r.end;
            continue;
        }
        if (next > first && r.samples > 0) {
            ZoomSegment s;
            s.first = position;
            s.samples = r.samples;
            s.curve_id = r.id;
            s.start_value = value;
            s.end_value = r.is_silence() ? value : r.end;
            view.segments.push_back(s);
        }
        if (!r.is_silence()) value = r.end;
        position = next;
    }
    return view;
}

std::int64_t loudest_window_start(std::span<const float> mono, std::int64_t window) {
    const auto n = static_cast<std::int64_t>(mono.size());
    if (window <= 0 || n <= window) return 0;
    const std::int64_t stride = std::max<std::int64_t>(window / 4, 1);
    std::int64_t best = 0;
    double best_energy = -1.0;
    for (std::int64_t start = 0; start + window <= n; start += stride) {
        double energy = 0.0;
        for (std::int64_t i = start; i < start + window; ++i) {
            energy += static_cast<double>(mono[static_cast<std::size_t>(i)]) *
                      mono[static_cast<std::size_t>(i)];
        }
        if (energy > best_energy) {
            best_energy = energy;
            best = start;
        }
    }
    return best;
}

}  // namespace extrema::report
