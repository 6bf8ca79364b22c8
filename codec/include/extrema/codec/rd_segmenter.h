#pragma once
// Rate-distortion segmentation (`Segmentation::kRd`): instead of cutting at every extremum the
// hysteresis confirms, the encoder gathers a window of samples (the latency cap) and chooses the
// segment boundaries of that window jointly by dynamic programming (a Viterbi search over
// candidate breakpoints), minimising squared error + lambda x records.
//
//   - Candidates: the extrema a hysteresis of kCandidateShare x the rate controller's threshold
//     confirms, a grid every kGridSamples samples, and the window's last sample.
//   - A segment's cost in the search is the squared error of the better of two proxies for the
//     bank's shapes (the straight line and the smoothstep 3t^2 - 2t^3), from the decoder's value
//     at its start to the rounded sample at its end; each boundary may look back at most
//     kPredecessors candidates.
//   - lambda = kLambdaShare x threshold^2: the threshold is the rate controller's, a multiple of
//     the signal's smoothed level, so the error is weighted by the local level (a quiet passage
//     is detailed like a loud one) and the controller steers the rate through lambda.
//   - The path's last segment (it ends where the window was cut, not where the signal turns) is
//     carried into the next window unless that would leave less than a quarter of a window new.
//   - Swing bank: two consecutive opposite half-cycles become one swing record (swing_fit.h) when
//     its rendered error is less than theirs plus lambda (the record saved).
//   - The chosen segments' curves come from the curve search (curve_matcher.h); then, for those
//     curves, the end values are refined by least squares against the samples of both segments
//     each end value shapes (one Gauss-Seidel sweep, the window's last end value fixed).
//
// Everything is decided when a window fills, at positions of the sample timeline, so the records
// do not depend on block sizes. All buffers are sized by the window at construction.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "extrema/codec/curve_bank.h"
#include "extrema/codec/curve_matcher.h"
#include "extrema/codec/record.h"

namespace extrema::codec {

class RdSegmenter {
  public:
    // `window`: samples gathered before a search (>= 4, <= kMaxCurveSamples); `bank`: the wire
    // bank (bank 3 enables swing records). Throws std::invalid_argument for a bad window.
    RdSegmenter(std::uint32_t window, const CurveBank& bank);

    // Adds samples (int16 scale). Each time the window fills it is segmented with the threshold
    // `threshold` holds at that moment, its records appended to `out`, and `on_records(k)` called
    // with their count before the next sample is taken.
    template <typename OnRecords>
    void push(const float* samples, std::size_t count, const float& threshold,
              std::vector<Record>& out, OnRecords&& on_records) {
        while (count > 0) {
            const std::size_t n = std::min<std::size_t>(count, window_ - length_);
            for (std::size_t i = 0; i < n; ++i) buffer_[length_ + i] = samples[i];
            length_ += n;
            samples += n;
            count -= n;
            if (length_ == window_) on_records(segment(threshold, false, out));
        }
    }
    // Records every pending sample.
    std::size_t flush(float threshold, std::vector<Record>& out);

    std::uint32_t pending_samples() const noexcept { return static_cast<std::uint32_t>(length_); }
    std::uint32_t window() const noexcept { return window_; }

    // Tuning, exposed for tests and docs (docs/quality.md, "Rate-distortion segmentation").
    static constexpr float kCandidateShare = 0.5f;
    static constexpr std::uint32_t kGridSamples = 24;
    static constexpr std::size_t kPredecessors = 6;
    static constexpr float kLambdaShare = 0.5f;

  private:
    // Segments buffer_[0, length_); `all`: no carry (flush). Returns the records appended.
    std::size_t segment(float threshold, bool all, std::vector<Record>& out);
    void find_candidates(float threshold) noexcept;
    void prepare_sums() noexcept;
    // Squared error of the segment buffer_[first, first + n) against the proxy shape from `from`
    // to `to`: O(1) from prefix sums.
    double proxy_error(std::size_t first, std::size_t n, double from, double to) const noexcept;
    void refine_ends(std::size_t count) noexcept;
    float rendered_error(std::size_t first, std::size_t n, float from, float to,
                         std::uint8_t id) const noexcept;

    const CurveBank* bank_;
    CurveMatcher matcher_;
    bool swing_ = false;
    std::uint32_t window_;
    std::vector<float> buffer_;  // window_ samples
    std::size_t length_ = 0;
    float pos_ = 0.0f;  // the decoder's value before buffer_[0]

    // The search, per candidate (window_ + 1 at most).
    std::vector<std::uint32_t> candidates_;  // sample index of each candidate's last sample
    std::size_t candidate_count_ = 0;
    std::vector<double> cost_;
    std::vector<std::int32_t> back_;   // predecessor candidate, -1 = the window's start
    std::vector<float> edge_error_;    // proxy error of the edge into each candidate
    std::vector<std::uint8_t> marks_;  // per sample: 1 where a candidate ends

    std::vector<std::array<double, 5>> sums_;  // prefix sums of x k^m, m = 0..3, and x^2
    struct Shape {  // sums over t = u / n, u = 1..n, for an n-sample segment
        double t1, t2, f2, tf2, g22;
    };
    std::vector<Shape> shapes_;  // by n, 0..window_

    // The chosen segments, in order.
    struct Segment {
        std::uint32_t first = 0;  // first sample in buffer_
        std::uint32_t n = 0;
        float error = 0.0f;  // proxy error
        std::uint8_t id = 0;
        float end = 0.0f;  // the record's end value (integral)
        bool swing = false;
    };
    std::vector<Segment> path_;
    std::vector<Segment> records_;
    std::vector<CurveMatcher::Target> targets_;
};

}  // namespace extrema::codec
