#include "extrema/codec/rd_segmenter.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <span>
#include <stdexcept>

#include "extrema/codec/swing_bank.h"
#include "extrema/codec/swing_fit.h"

namespace extrema::codec {
namespace {

// The value a record can end at: the int16 sample nearest v (halves away from zero).
float quantise(float v) noexcept {
    return std::clamp(std::round(v), -32768.0f, 32767.0f);
}

// As the peak encoder's swing rule (encoder.cpp): the grid's nearest turn within this many
// samples of the waveform's extremum.
constexpr float kSwingMaxSlipSamples = 1.5f;

}  // namespace

RdSegmenter::RdSegmenter(std::uint32_t window, const CurveBank& bank)
    : bank_(&bank),
      matcher_(bank.id() == BankId::kSwing ? CurveBank::swing_monotone() : bank),
      swing_(bank.id() == BankId::kSwing),
      window_(window) {
    if (window < 4 || window > kMaxCurveSamples) {
        throw std::invalid_argument("rate-distortion window must lie between 4 and 65535 samples");
    }
    buffer_.assign(window_, 0.0f);
    candidates_.assign(window_, 0);
    cost_.assign(window_, 0.0);
    back_.assign(window_, -1);
    edge_error_.assign(window_, 0.0f);
    marks_.assign(window_, 0);
    path_.resize(window_);
    records_.resize(window_);
    targets_.resize(window_);
    sums_.resize(window_ + 1);
    // Sums over u = 1..n of t^m, t = u / n, from the power sums of u; then the shape constants.
    shapes_.resize(window_ + 1);
    std::array<double, 7> power{};
    for (std::size_t n = 1; n <= window_; ++n) {
        const double nd = static_cast<double>(n);
        double un = 1.0;
        for (std::size_t m = 0; m < power.size(); ++m) {
            power[m] += un;
            un *= nd;
        }
        std::array<double, 7> t{};
        double scale = 1.0;
        for (std::size_t m = 0; m < t.size(); ++m) {
            t[m] = power[m] / scale;
            scale *= nd;
        }
        Shape& g = shapes_[n];
        g.t1 = t[1];
        g.t2 = t[2];
        g.f2 = t[1] - 3.0 * t[2] + 2.0 * t[3];
        g.tf2 = t[2] - 3.0 * t[3] + 2.0 * t[4];
        g.g22 = t[2] - 6.0 * t[3] + 13.0 * t[4] - 12.0 * t[5] + 4.0 * t[6];
    }
}

void RdSegmenter::find_candidates(float threshold) noexcept {
    const std::size_t n = length_;
    std::fill(marks_.begin(), marks_.begin() + static_cast<std::ptrdiff_t>(n), 0);
    // Extrema confirmed by a hysteresis of a share of the threshold.
    const float theta = kCandidateShare * threshold;
    int direction = 0;
    std::size_t extremum = 0;
    float value = pos_;
    for (std::size_t i = 0; i < n; ++i) {
        const float x = buffer_[i];
        if (direction == 0) {
            if (x > pos_ + theta || x < pos_ - theta) {
                direction = x > pos_ ? 1 : -1;
                extremum = i;
                value = x;
            }
        } else if (direction > 0 ? x > value : x < value) {
            extremum = i;
            value = x;
        } else if (direction > 0 ? x < value - theta : x > value + theta) {
            marks_[extremum] = 1;
            direction = -direction;
            extremum = i;
            value = x;
        }
    }
    for (std::size_t i = kGridSamples - 1; i < n; i += kGridSamples) marks_[i] = 1;
    marks_[n - 1] = 1;
    candidate_count_ = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (marks_[i]) candidates_[candidate_count_++] = static_cast<std::uint32_t>(i);
    }
}

void RdSegmenter::prepare_sums() noexcept {
    // Prefix sums of x_k k^m (m = 0..3) and x_k^2, k the index in the window, in double: the
    // shifted moments below cancel terms of up to window^4 x full scale.
    std::array<double, 5> sum{};
    sums_[0] = sum;
    for (std::size_t k = 0; k < length_; ++k) {
        const double x = buffer_[k];
        const double kd = static_cast<double>(k);
        sum[0] += x;
        sum[1] += x * kd;
        sum[2] += x * kd * kd;
        sum[3] += x * kd * kd * kd;
        sum[4] += x * x;
        sums_[k + 1] = sum;
    }
}

double RdSegmenter::proxy_error(std::size_t first, std::size_t n, double from,
                                double to) const noexcept {
    // Moments of the segment's samples in u = k - (first - 1) = 1..n, from the prefix sums.
    const std::array<double, 5>& lo = sums_[first];
    const std::array<double, 5>& hi = sums_[first + n];
    const double d0 = hi[0] - lo[0], d1 = hi[1] - lo[1], d2 = hi[2] - lo[2], d3 = hi[3] - lo[3];
    const double x2 = hi[4] - lo[4];
    const double o = static_cast<double>(first) - 1.0;
    const double s1 = d1 - o * d0;
    const double s2 = d2 - 2.0 * o * d1 + o * o * d0;
    const double s3 = d3 - 3.0 * o * d2 + 3.0 * o * o * d1 - o * o * o * d0;
    const Shape& g = shapes_[n];
    const double inv = 1.0 / static_cast<double>(n);
    const double xt = s1 * inv;               // sum x t
    const double xt2 = s2 * inv * inv;        // sum x t^2
    const double xt3 = s3 * inv * inv * inv;  // sum x t^3
    const double h = to - from;
    const double nd = static_cast<double>(n);
    // r = x - from - h t: the residual of the straight line.
    const double line =
        x2 - 2.0 * from * d0 + nd * from * from - 2.0 * h * (xt - from * g.t1) + h * h * g.t2;
    // The smoothstep 3t^2 - 2t^3 is t - phi2, phi2 = t (1 - t) (1 - 2 t): its residual is
    // r + h phi2.
    const double b2 = (xt - 3.0 * xt2 + 2.0 * xt3) - from * g.f2 - h * g.tf2;
    const double error = std::min(line, line + 2.0 * h * b2 + h * h * g.g22);
    return std::max(0.0, error);
}

float RdSegmenter::rendered_error(std::size_t first, std::size_t n, float from, float to,
                                  std::uint8_t id) const noexcept {
    const float* table = bank_->table(id).data();
    const float step = static_cast<float>(kBankPoints - 1) / static_cast<float>(n);
    const float height = to - from;
    float err = 0.0f;
    for (std::size_t i = 0; i < n; ++i) {
        const float d = buffer_[first + i] -
                        (from + height * render_point(table, static_cast<float>(i + 1), step));
        err += d * d;
    }
    return err;
}

void RdSegmenter::refine_ends(std::size_t count) noexcept {
    // y_k shapes its own segment, from + (y_k - from) C_k, and the next one, y_k + (y_{k+1} - y_k)
    // C_{k+1}: both linear in y_k, so the least-squares y_k is a ratio of two sums.
    float from = pos_;
    for (std::size_t k = 0; k + 1 < count; ++k) {
        const Segment& a = records_[k];
        const Segment& b = records_[k + 1];
        double num = 0.0;
        double den = 0.0;
        {
            const float* table = bank_->table(a.id).data();
            const float step = static_cast<float>(kBankPoints - 1) / static_cast<float>(a.n);
            for (std::uint32_t i = 0; i < a.n; ++i) {
                const float c = render_point(table, static_cast<float>(i + 1), step);
                num += c * (buffer_[a.first + i] - from * (1.0f - c));
                den += c * c;
            }
        }
        {
            const float* table = bank_->table(b.id).data();
            const float step = static_cast<float>(kBankPoints - 1) / static_cast<float>(b.n);
            for (std::uint32_t i = 0; i < b.n; ++i) {
                const float c = render_point(table, static_cast<float>(i + 1), step);
                const float w = 1.0f - c;
                num += w * (buffer_[b.first + i] - b.end * c);
                den += w * w;
            }
        }
        // den >= 1: the segment's last point has C = 1.
        records_[k].end = quantise(static_cast<float>(num / den));
        from = records_[k].end;
    }
}

std::size_t RdSegmenter::segment(float threshold, bool all, std::vector<Record>& out) {
    const std::size_t before = out.size();
    if (length_ == 0) return 0;
    const double lambda = static_cast<double>(kLambdaShare) * threshold * threshold;
    find_candidates(threshold);
    prepare_sums();

    // Viterbi over the candidates: cost_[c] is the least error + lambda x records of a path
    // from the window's start to the end of candidate c.
    for (std::size_t c = 0; c < candidate_count_; ++c) {
        const std::size_t end = candidates_[c];
        const double to = quantise(buffer_[end]);
        double best = std::numeric_limits<double>::infinity();
        std::int32_t best_back = -1;
        float best_error = 0.0f;
        const std::size_t lowest = c >= kPredecessors ? c - kPredecessors : 0;
        for (std::size_t p = c + 1; p-- > lowest;) {
            // p - 1 is the predecessor candidate; p == 0 the window's start.
            const bool start = p == 0;
            const std::size_t first = start ? 0 : candidates_[p - 1] + 1;
            const double from = start ? pos_ : quantise(buffer_[first - 1]);
            const double error = proxy_error(first, end + 1 - first, from, to);
            const double total = (start ? 0.0 : cost_[p - 1]) + error + lambda;
            if (total < best) {
                best = total;
                best_back = static_cast<std::int32_t>(p) - 1;
                best_error = static_cast<float>(error);
            }
        }
        cost_[c] = best;
        back_[c] = best_back;
        edge_error_[c] = best_error;
    }
    // Back-track the path into path_ (in order).
    std::size_t segments = 0;
    for (std::int32_t c = static_cast<std::int32_t>(candidate_count_) - 1; c >= 0; c = back_[c]) {
        const std::size_t end = candidates_[static_cast<std::size_t>(c)];
        const std::size_t first =
            back_[c] < 0 ? 0 : candidates_[static_cast<std::size_t>(back_[c])] + 1;
        path_[segments++] = Segment{static_cast<std::uint32_t>(first),
                                    static_cast<std::uint32_t>(end + 1 - first),
                                    edge_error_[static_cast<std::size_t>(c)],
                                    0,
                                    0.0f,
                                    false};
    }
    std::reverse(path_.begin(), path_.begin() + static_cast<std::ptrdiff_t>(segments));
    // The last segment ends where the window was cut: carried into the next window unless that
    // would leave it less than a quarter of a window of new samples.
    std::size_t commit = segments;
    if (!all && segments > 1 && path_[segments - 1].n <= window_ - window_ / 4) --commit;

    // Records: swings where two half-cycles fit one, monotone records otherwise.
    std::size_t count = 0;
    float from = pos_;
    for (std::size_t i = 0; i < commit;) {
        const Segment& s = path_[i];
        const float end = quantise(buffer_[s.first + s.n - 1]);
        if (swing_ && i + 1 < commit) {
            const Segment& s2 = path_[i + 1];
            const float peak = buffer_[s.first + s.n - 1];
            const float last = buffer_[s2.first + s2.n - 1];
            const std::uint32_t n = s.n + s2.n;
            if ((peak - from) * (last - peak) < 0.0f && n <= kMaxCurveSamples) {
                const SwingFit fit = fit_swing(from, peak, last, s.n, n);
                if (fit.slip_samples <= kSwingMaxSlipSamples) {
                    const float error = rendered_error(s.first, n, from, fit.end, fit.id);
                    if (error < s.error + s2.error + lambda) {
                        records_[count++] =
                            Segment{s.first, n, error, fit.id, static_cast<float>(fit.end), true};
                        from = static_cast<float>(fit.end);
                        i += 2;
                        continue;
                    }
                }
            }
        }
        records_[count++] = Segment{s.first, s.n, s.error, 1, end, false};
        from = end;
        ++i;
    }
    // Curves for the monotone records, then least-squares end values for those curves.
    from = pos_;
    for (std::size_t k = 0; k < count; ++k) {
        const Segment& r = records_[k];
        if (!r.swing) {
            matcher_.prepare(std::span<const float>(buffer_.data() + r.first, r.n), from, r.end,
                             targets_[k]);
        }
        from = r.end;
    }
    for (std::size_t k = 0; k < count; ++k) {
        Segment& r = records_[k];
        if (r.swing) continue;
        std::uint8_t id = matcher_.choose(targets_[k]);
        // The swing bank's matcher pads its monotone part with copies of the line.
        if (swing_ && id > swing::kMonotoneCurves) id = swing::kLinearCurve;
        r.id = id;
    }
    refine_ends(count);
    from = pos_;
    std::size_t covered = 0;
    for (std::size_t k = 0; k < count; ++k) {
        const Segment& r = records_[k];
        const auto end = static_cast<std::int16_t>(r.end);
        if (r.end == from) {
            out.push_back(Record::silence(r.n));
        } else {
            out.push_back(Record::curve(r.id, static_cast<std::uint16_t>(r.n), end));
        }
        from = r.end;
        covered += r.n;
    }
    pos_ = from;
    std::copy(buffer_.begin() + static_cast<std::ptrdiff_t>(covered),
              buffer_.begin() + static_cast<std::ptrdiff_t>(length_), buffer_.begin());
    length_ -= covered;
    return out.size() - before;
}

std::size_t RdSegmenter::flush(float threshold, std::vector<Record>& out) {
    return segment(threshold, true, out);
}

}  // namespace extrema::codec
