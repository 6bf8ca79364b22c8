#include "extrema/codec/encoder.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>
#include <string>

#include "extrema/codec/decoder.h"
#include "extrema/codec/sample_rate.h"
#include "extrema/codec/swing_bank.h"
#include "extrema/codec/swing_fit.h"

namespace extrema::codec {
namespace {

// std::lround (halves away from zero) and saturation, without the libm call: v is a sample on
// the int16 scale, already clamped to [-32768, 32767], so the truncation is exact and in range.
std::int16_t to_int16(float v) noexcept {
    auto rounded = static_cast<std::int32_t>(v);
    const float rest = v - static_cast<float>(rounded);  // exact: both share v's integer part
    rounded += rest >= 0.5f ? 1 : rest <= -0.5f ? -1 : 0;
    return static_cast<std::int16_t>(std::clamp(rounded, -32768, 32767));
}

// Swing bank: two half-cycles become one swing record when the swing's turn lands within this
// many samples of the waveform's extremum (the grid of tau is coarse for long segments) and its
// squared error over both, as the decoder renders it, is per sample at most this share of the sum
// of the two heights squared: level-normalised, so a quiet passage is judged like a loud one.
// Chosen with tools/bench/rate_quality.sh (docs/quality.md, "The swing bank").
constexpr float kSwingMaxSlipSamples = 1.5f;
constexpr float kSwingErrorShare = 0.02f;
// Segmentation::kRd without a latency cap (files): the window its search looks at.
constexpr double kRdFileWindowMs = 20.0;

std::uint32_t ms_to_samples(double ms, double rate_hz) {
    return static_cast<std::uint32_t>(std::llround(ms * rate_hz / 1000.0));
}

}  // namespace

Encoder::Encoder(const EncoderConfig& config, const CurveBank& bank)
    : config_(config),
      matcher_(bank.id() == BankId::kSwing ? CurveBank::swing_monotone() : bank),
      bank_(&bank),
      swing_bank_(bank.id() == BankId::kSwing),
      threshold_(static_cast<float>(config.threshold_lsb)),
      rate_(RateControlConfig{config.sample_rate_hz, config.target_kbps}) {
    if (!valid_sample_rate(config.sample_rate_hz)) {
        throw std::invalid_argument("sample rate must lie between " +
                                    std::to_string(kMinSampleRateHz) + " and " +
                                    std::to_string(kMaxSampleRateHz) + " Hz");
    }
    if (!(config.threshold_lsb >= 0.0 && config.threshold_lsb <= 32767.0)) {
        throw std::invalid_argument("threshold must lie between 0 and 32767 LSB");
    }
    if (!(config.max_segment_ms >= 0.0) || !(config.still_hold_ms >= 0.0)) {
        throw std::invalid_argument("max segment and still hold durations must not be negative");
    }
    if (!(config.frame_ms >= 0.0 && config.frame_ms <= kMaxFrameMs)) {
        throw std::invalid_argument("frame must lie between 0 and " +
                                    std::to_string(static_cast<int>(kMaxFrameMs)) + " ms");
    }
    if (config.frame_ms > 0.0) {
        frame_ = ms_to_samples(config.frame_ms, config.sample_rate_hz);
        if (frame_ < 1) throw std::invalid_argument("frame is shorter than one sample");
        until_frame_ = frame_;
    }
    if (config.lowpass_hz != 0.0) lowpass_.emplace(config.sample_rate_hz, config.lowpass_hz);
    if (config.max_segment_ms > 0.0) {
        const auto cap = ms_to_samples(config.max_segment_ms, config.sample_rate_hz);
        if (cap < 1) throw std::invalid_argument("max segment is shorter than one sample");
        cap_ = std::min(cap, kMaxCurveSamples);
    }
    // Silence is only split by the live latency cap; a file keeps one record per u32 of silence.
    silence_cap_ = config.max_segment_ms > 0.0 ? cap_ : kMaxSilenceSamples;
    still_hold_ =
        std::max<std::uint32_t>(1, ms_to_samples(config.still_hold_ms, config.sample_rate_hz));
    segment_.assign(cap_, 0.0f);
    if (bank.id() == BankId::kSwing) held_samples_.assign(cap_, 0.0f);
    swing_ = swing_bank_ && config.segmentation == Segmentation::kPeaks;
    if (rate_.enabled()) {
        threshold_ = rate_.threshold_lsb();
        until_control_ = rate_.interval_samples();
    }
    if (config.segmentation == Segmentation::kRd) {
        const std::uint32_t window =
            config.max_segment_ms > 0.0
                ? cap_
                : std::min(kMaxCurveSamples,
                           std::max<std::uint32_t>(
                               4, ms_to_samples(kRdFileWindowMs, config.sample_rate_hz)));
        if (window < 4) {
            throw std::invalid_argument(
                "max segment must be at least 4 samples for rate-distortion segmentation");
        }
        rd_.emplace(window, bank);
    }
}

std::uint64_t Encoder::pending_samples() const noexcept {
    if (rd_) return rd_->pending_samples();
    return mode_ == Mode::kStill ? silence_ : length_ + held_;
}

template <typename Sample, typename Convert>
void Encoder::push_converted(std::span<const Sample> samples, Convert convert,
                             std::vector<Record>& out) {
    pending_count_ = 0;  // what a call that threw left pending belongs to that call's output
    // Converted in stack-sized chunks so the segmentation loops run over plain float arrays.
    std::array<float, 256> chunk;
    while (!samples.empty()) {
        const std::size_t n = std::min(chunk.size(), samples.size());
        for (std::size_t i = 0; i < n; ++i) chunk[i] = convert(samples[i]);
        push_block(chunk.data(), n, out);
        samples = samples.subspan(n);
    }
    choose_curves(out);
}

void Encoder::push(std::span<const float> samples, std::vector<Record>& out) {
    push_converted(
        samples,
        [](float x) {
            // NaN and out-of-range input saturate instead of poisoning the segment maths.
            return std::isnan(x) ? 0.0f : std::clamp(x * kFullScale, -32768.0f, 32767.0f);
        },
        out);
}

void Encoder::push(std::span<const std::int16_t> samples, std::vector<Record>& out) {
    push_converted(
        samples, [](std::int16_t x) { return static_cast<float>(x); }, out);
}

void Encoder::push_block(float* samples, std::size_t count, std::vector<Record>& out) {
    if (lowpass_) {
        for (std::size_t i = 0; i < count; ++i)
            samples[i] = std::clamp(lowpass_->process(samples[i]), -32768.0f, 32767.0f);
    }
    if (!rate_.enabled()) {
        segment_block(samples, count, out);
        return;
    }
    // The threshold changes only at control points of the sample timeline: split the block there.
    while (count > 0) {
        const std::size_t n = std::min<std::size_t>(count, until_control_);
        for (std::size_t i = 0; i < n; ++i) rate_.measure(samples[i]);
        segment_block(samples, n, out);
        samples += n;
        count -= n;
        until_control_ -= static_cast<std::uint32_t>(n);
        if (until_control_ == 0) {
            rate_.update(records_since_);
            records_since_ = 0;
            threshold_ = rate_.threshold_lsb();
            until_control_ = rate_.interval_samples();
        }
    }
}

void Encoder::segment_block(const float* samples, std::size_t count, std::vector<Record>& out) {
    if (frame_ == 0) {
        segment_run(samples, count, out);
        return;
    }
    while (count > 0) {
        const std::size_t n = std::min<std::size_t>(count, until_frame_);
        segment_run(samples, n, out);
        samples += n;
        count -= n;
        until_frame_ -= static_cast<std::uint32_t>(n);
        if (until_frame_ == 0) {
            close_open(out);
            until_frame_ = frame_;
        }
    }
}

void Encoder::segment_run(const float* samples, std::size_t count, std::vector<Record>& out) {
    if (rd_) {
        rd_->push(samples, count, threshold_, out, [this](std::size_t records) {
            for (std::size_t i = 0; i < records; ++i) note_record();
        });
        return;
    }
    if (config_.segmentation == Segmentation::kSeedSteps) {
        for (std::size_t i = 0; i < count; ++i) push_seed(samples[i], out);
        return;
    }
    // Fast scans consume the samples that change nothing but the open run; the sample that ends a
    // run (an event: a confirmed extremum, a hold, a cap) goes through push_peaks().
    std::size_t i = 0;
    while (i < count) {
        switch (mode_) {
            case Mode::kStill:
                i += scan_still(samples + i, count - i);
                break;
            case Mode::kUp:
                i += scan_moving<true>(samples + i, count - i);
                break;
            case Mode::kDown:
                i += scan_moving<false>(samples + i, count - i);
                break;
        }
        if (i < count) push_peaks(samples[i++], out);
    }
}

std::size_t Encoder::scan_still(const float* samples, std::size_t count) noexcept {
    const float held = static_cast<float>(pos_);
    const float threshold = threshold_;
    // The same test as push_peaks(); the sample that leaves the band or fills the cap is its job.
    const std::size_t quiet =
        silence_ + 1 < silence_cap_ ? std::min<std::size_t>(count, silence_cap_ - 1 - silence_) : 0;
    std::size_t i = 0;
    while (i < quiet && std::fabs(samples[i] - held) <= threshold) ++i;
    silence_ += static_cast<std::uint32_t>(i);
    return i;
}

template <bool kUp>
std::size_t Encoder::scan_moving(const float* samples, std::size_t count) noexcept {
    const float threshold = threshold_;
    const auto hold = static_cast<std::ptrdiff_t>(still_hold_);
    float* segment = segment_.data();
    float extremum_value = extremum_value_;
    std::ptrdiff_t extremum = extremum_;
    std::size_t length = length_;
    // A sample is consumed here only if it leaves room for one more (the cap is an event) and
    // neither confirms the extremum nor completes the hold (both events).
    const std::size_t cap = cap_ - held_;  // a held half-cycle shares the latency budget
    const std::size_t quiet = length + 1 < cap ? std::min(count, cap - 1 - length) : 0;
    std::size_t i = 0;
    for (; i < quiet; ++i) {
        const float s = samples[i];
        // Selects instead of branches: whether a sample goes further is a coin toss near a peak.
        // A sample that goes further can neither reverse nor end the hold (still_hold_ >= 1).
        const bool further = kUp ? s > extremum_value : s < extremum_value;
        const bool reversed = kUp ? s < extremum_value - threshold : s > extremum_value + threshold;
        extremum = further ? static_cast<std::ptrdiff_t>(length) : extremum;
        extremum_value = further ? s : extremum_value;
        if (reversed || static_cast<std::ptrdiff_t>(length) - extremum >= hold) break;
        segment[length++] = s;
    }
    extremum_value_ = extremum_value;
    extremum_ = extremum;
    length_ = length;
    return i;
}

void Encoder::note_record() noexcept {
    ++records_since_;
    if (rate_.enabled()) {
        rate_.on_record(records_since_);
        threshold_ = rate_.threshold_lsb();
    }
}

void Encoder::emit_silence(std::vector<Record>& out) {
    if (held_ > 0) emit_held(out);
    if (silence_ > 0) {
        out.push_back(Record::silence(silence_));
        note_record();
    }
    silence_ = 0;
}

void Encoder::emit_curve(std::size_t count, std::vector<Record>& out, Close close) {
    const std::span<const float> samples(segment_.data(), count);
    const std::int16_t end = to_int16(samples.back());
    bool done = false;
    if (swing_) {
        if (held_ > 0) {
            done = close != Close::kCap && merge_held(count, samples.back(), out);
            if (!done) emit_held(out);
        }
        if (!done && close == Close::kExtremum) {
            // Held until the next half-cycle closes: the two may make one swing record.
            matcher_.prepare(samples, static_cast<float>(pos_), static_cast<float>(end),
                             held_target_);
            held_ = static_cast<std::uint32_t>(count);
            std::copy(samples.begin(), samples.end(), held_samples_.begin());
            held_from_ = static_cast<float>(pos_);
            held_peak_ = samples.back();
            held_end_ = end;
            pos_ = end;
            // Counted now: alone or in a swing it will be one record, and the rate controller
            // must see it as soon as it is spent.
            note_record();
            done = true;
        }
    }
    if (!done) {
        if (pending_count_ == pending_.size()) choose_curves(out);
        // The id is a placeholder until choose_curves().
        out.push_back(Record::curve(1, static_cast<std::uint16_t>(count), end));
        note_record();
        Pending& pending = pending_[pending_count_++];
        pending.record = out.size() - 1;
        matcher_.prepare(samples, static_cast<float>(pos_), static_cast<float>(end),
                         pending.target);
        pos_ = end;
    }
    // What followed the segment's end opens the next one.
    std::copy(segment_.begin() + static_cast<std::ptrdiff_t>(count),
              segment_.begin() + static_cast<std::ptrdiff_t>(length_), segment_.begin());
    length_ -= count;
}

void Encoder::emit_held(std::vector<Record>& out) {
    if (pending_count_ == pending_.size()) choose_curves(out);
    out.push_back(Record::curve(1, static_cast<std::uint16_t>(held_), held_end_));
    Pending& pending = pending_[pending_count_++];
    pending.record = out.size() - 1;
    pending.target = held_target_;
    held_ = 0;  // pos_ already is held_end_
}

bool Encoder::merge_held(std::size_t count, float end, std::vector<Record>& out) {
    const auto n = static_cast<std::uint32_t>(held_ + count);
    const SwingFit fit = fit_swing(held_from_, held_peak_, end, held_, n);
    const float rise = held_peak_ - held_from_;
    const float fall = end - held_peak_;
    if (fit.slip_samples > kSwingMaxSlipSamples) return false;
    // The swing as the decoder renders it, against both half-cycles.
    const float* table = bank_->table(fit.id).data();
    const float step = static_cast<float>(kBankPoints - 1) / static_cast<float>(n);
    const float height = static_cast<float>(fit.end) - held_from_;
    float err = 0.0f;
    for (std::uint32_t i = 0; i < n; ++i) {
        const float s = i < held_ ? held_samples_[i] : segment_[i - held_];
        const float d =
            s - (held_from_ + height * render_point(table, static_cast<float>(i + 1), step));
        err += d * d;
    }
    if (err > kSwingErrorShare * static_cast<float>(n) * (rise * rise + fall * fall)) return false;
    out.push_back(Record::curve(fit.id, static_cast<std::uint16_t>(n), fit.end));
    pos_ = fit.end;
    held_ = 0;
    return true;
}

void Encoder::choose_curves(std::vector<Record>& out) noexcept {
    for (std::size_t i = 0; i < pending_count_; ++i) {
        std::uint8_t id = matcher_.choose(pending_[i].target);
        // The swing bank's matcher pads its monotone part with copies of the line.
        if (swing_bank_ && id > swing::kMonotoneCurves) id = swing::kLinearCurve;
        out[pending_[i].record].id = id;
    }
    pending_count_ = 0;
}

void Encoder::push_peaks(float s, std::vector<Record>& out) {
    const float threshold = threshold_;
    if (mode_ == Mode::kStill) {
        if (std::fabs(s - static_cast<float>(pos_)) <= threshold) {
            if (++silence_ == silence_cap_) emit_silence(out);
            return;
        }
        emit_silence(out);
        mode_ = s > static_cast<float>(pos_) ? Mode::kUp : Mode::kDown;
        segment_[0] = s;
        length_ = 1;
        extremum_ = 0;
        extremum_value_ = s;
    } else {
        const bool up = mode_ == Mode::kUp;
        segment_[length_++] = s;
        const auto last = static_cast<std::ptrdiff_t>(length_) - 1;
        // Strictly beyond: on a plateau the extremum stays at its first sample, so the plateau can
        // become silence instead of stretching the curve.
        const bool further = up ? s > extremum_value_ : s < extremum_value_;
        const bool reversed =
            up ? s < extremum_value_ - threshold : s > extremum_value_ + threshold;
        if (further) {
            extremum_ = last;
            extremum_value_ = s;
        } else if (reversed) {
            // The extremum is confirmed: its segment closes there; what followed it starts the
            // next segment, whose running extremum is this sample (the others lie within the
            // threshold of the old extremum, so on the other side of this one).
            if (extremum_ >= 0)
                emit_curve(static_cast<std::size_t>(extremum_) + 1, out, Close::kExtremum);
            mode_ = up ? Mode::kDown : Mode::kUp;
            extremum_ = static_cast<std::ptrdiff_t>(length_) - 1;
            extremum_value_ = s;
        } else if (last - extremum_ >= static_cast<std::ptrdiff_t>(still_hold_)) {
            // Flat since the extremum: close the segment there; the rest is silence at its value.
            if (extremum_ >= 0)
                emit_curve(static_cast<std::size_t>(extremum_) + 1, out, Close::kFlat);
            silence_ = static_cast<std::uint32_t>(length_);
            length_ = 0;
            mode_ = Mode::kStill;
            if (silence_ == silence_cap_) emit_silence(out);
            return;
        }
    }
    if (length_ + held_ == cap_) {
        if (held_ > 0) {
            // The pair would outlast the cap: the held half-cycle goes on its own.
            emit_held(out);
        } else {
            // Latency or u16 cap: close at the newest sample and go on in the same direction.
            extremum_value_ = segment_[length_ - 1];
            emit_curve(length_, out, Close::kCap);
            extremum_ = -1;
        }
    }
}

void Encoder::push_seed(float s, std::vector<Record>& out) {
    const float threshold = threshold_;
    const float reference = started_ ? previous_ : 0.0f;
    const Mode direction = s > reference + threshold   ? Mode::kUp
                           : s < reference - threshold ? Mode::kDown
                                                       : Mode::kStill;
    previous_ = s;
    if (!started_) {
        started_ = true;
        mode_ = direction;
    } else if (direction != mode_) {
        if (mode_ == Mode::kStill) {
            emit_silence(out);
        } else if (length_ > 0) {
            // Empty when the cap closed the run on its last sample: nothing left to close.
            emit_curve(length_, out, Close::kCap);
        }
        mode_ = direction;
    }
    if (mode_ == Mode::kStill) {
        if (++silence_ == silence_cap_) emit_silence(out);
    } else {
        segment_[length_++] = s;
        if (length_ == cap_) emit_curve(length_, out, Close::kCap);
    }
}

void Encoder::flush(std::vector<Record>& out) {
    pending_count_ = 0;
    close_open(out);
}

void Encoder::close_open(std::vector<Record>& out) {
    if (rd_) {
        const std::size_t records = rd_->flush(threshold_, out);
        for (std::size_t i = 0; i < records; ++i) note_record();
        return;
    }
    if (mode_ == Mode::kStill) {
        emit_silence(out);
    } else if (length_ > 0) {
        emit_curve(length_, out, Close::kFlat);
    }
    if (held_ > 0) emit_held(out);
    choose_curves(out);
    if (config_.segmentation == Segmentation::kPeaks) {
        // A flushed stream continues as if from silence at the last value.
        mode_ = Mode::kStill;
        extremum_ = -1;
    }
}

std::vector<Record> encode_all(std::span<const std::int16_t> samples, const EncoderConfig& config,
                               const CurveBank& bank) {
    Encoder encoder(config, bank);
    std::vector<Record> records;
    encoder.push(samples, records);
    encoder.flush(records);
    return records;
}

}  // namespace extrema::codec
