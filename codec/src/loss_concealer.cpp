#include "extrema/codec/loss_concealer.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "extrema/codec/decoder.h"
#include "extrema/codec/sample_rate.h"

namespace extrema::codec {
namespace {

// G.711 Appendix I is written for 8 kHz; its lengths are kept as durations (below, in 8 kHz
// samples), so the concealer hears the same voice-pitch range and uses the same windows and
// schedule whatever the stream rate: scaling the counts by rate / 8000 keeps every time constant.
constexpr double kAppendixRateHz = 8000.0;
constexpr double kPitchMin = 40.0;     // 5 ms: 200 Hz, the highest pitch searched
constexpr double kPitchMax = 120.0;    // 15 ms: 66.7 Hz, the lowest
constexpr double kCorrLen = 160.0;     // 20 ms correlation window
constexpr double kCoarseStep = 2.0;    // 0.25 ms: lag step (and decimation) of the coarse search
constexpr double kFrame = 80.0;        // 10 ms: the step of the attenuation schedule
constexpr double kOverlapStep = 32.0;  // 4 ms: end overlap growth per 10 ms of erasure
constexpr double kAttenuationPerFrame = 0.2;  // gain lost per 10 ms after the first 10 ms
constexpr std::size_t kSilentFrames = 6;      // 60 ms: gain reaches zero, then silence
// A window whose mean square is below this (about 2 LSB rms of int16: the Appendix's minimum
// power of 250 over its 80-term coarse window) is too quiet for its correlation to be trusted.
constexpr double kMinMeanSquare = 250.0 / 80.0 / (32768.0 * 32768.0);

std::size_t scaled(double appendix_samples, double rate_hz) {
    return std::max<std::size_t>(
        1, static_cast<std::size_t>(std::lround(appendix_samples * rate_hz / kAppendixRateHz)));
}

double checked_rate(double rate_hz) {
    if (!valid_sample_rate(rate_hz))
        throw std::invalid_argument("loss concealer: sample rate out of range");
    return rate_hz;
}

// Normalised cross-correlation of `recent` with the window `lag` samples before it.
double match(const float* recent, std::size_t lag, std::size_t length) noexcept {
    const float* past = recent - lag;
    double corr = 0.0;
    double energy = 0.0;
    for (std::size_t i = 0; i < length; ++i) {
        corr += static_cast<double>(recent[i]) * past[i];
        energy += static_cast<double>(past[i]) * past[i];
    }
    return corr / std::sqrt(std::max(energy, kMinMeanSquare * static_cast<double>(length)));
}

}  // namespace

LossConcealer::LossConcealer(double sample_rate_hz) {
    const double rate = checked_rate(sample_rate_hz);
    pitch_min_ = scaled(kPitchMin, rate);
    pitch_max_ = scaled(kPitchMax, rate);
    corr_len_ = scaled(kCorrLen, rate);
    // The coarse search reads the history box-filtered and decimated to its lag step: the
    // Appendix subsamples a 4 kHz-band signal by 2; at higher rates plain subsampling would fold
    // everything above 2 kHz into the search.
    decimation_ = scaled(kCoarseStep, rate);
    frame_ = scaled(kFrame, rate);
    overlap_step_ = scaled(kOverlapStep, rate);
    // Three periods plus the quarter period before them that the cycle's wrap is merged with.
    history_len_ = 3 * pitch_max_ + pitch_max_ / 4;
    history_.assign(history_len_, 0.0f);
    pitch_buf_.assign(history_len_, 0.0f);
    last_quarter_.assign(pitch_max_ / 4 + 1, 0.0f);
    old_cycle_.assign(pitch_max_ / 4 + 1, 0.0f);
    decimated_.assign(history_len_ / decimation_ + 1, 0.0f);
    reset();
}

void LossConcealer::reset() noexcept {
    std::fill(history_.begin(), history_.end(), 0.0f);
    erasure_ = 0;
    merging_ = false;
    old_left_ = 0;
    pitch_ = pitch_max_;
    quarter_ = std::max<std::size_t>(1, pitch_ / 4);
}

void LossConcealer::push_history(std::span<const float> samples) noexcept {
    if (samples.size() >= history_len_) {
        std::copy(samples.end() - static_cast<std::ptrdiff_t>(history_len_), samples.end(),
                  history_.begin());
        return;
    }
    const auto keep = static_cast<std::ptrdiff_t>(history_len_ - samples.size());
    std::copy(history_.end() - keep, history_.end(), history_.begin());
    std::copy(samples.begin(), samples.end(), history_.begin() + keep);
}

std::size_t LossConcealer::find_pitch() noexcept {
    const std::size_t length = history_len_;
    const float* end = pitch_buf_.data() + length;
    // Coarse: box-filtered, decimated history aligned to its end, lags in steps of decimation_.
    const std::size_t step = decimation_;
    const std::size_t count = length / step;
    float* dec = decimated_.data();
    for (std::size_t m = 0; m < count; ++m) {
        const float* block = end - (count - m) * step;
        float sum = 0.0f;
        for (std::size_t j = 0; j < step; ++j) sum += block[j];
        dec[m] = sum / static_cast<float>(step);
    }
    const std::size_t coarse_len = std::max<std::size_t>(1, corr_len_ / step);
    const std::size_t lag_lo = (pitch_min_ + step - 1) / step;
    const std::size_t lag_hi = pitch_max_ / step;
    std::size_t best = pitch_max_;
    double best_score = -2.0;
    // From the longest lag down, ties to the shorter (as the Appendix).
    for (std::size_t lag = lag_hi; lag >= lag_lo && lag > 0; --lag) {
        const double score = match(dec + count - coarse_len, lag, coarse_len);
        if (score >= best_score) {
            best_score = score;
            best = lag * step;
        }
    }
    // Fine: every lag within one coarse step, on the full-rate history.
    const std::size_t lo = std::max(pitch_min_, best > step - 1 ? best - (step - 1) : 0);
    const std::size_t hi = std::min(pitch_max_, best + (step - 1));
    std::size_t pitch = best;
    best_score = -2.0;
    for (std::size_t lag = hi; lag >= lo; --lag) {
        const double score = match(end - corr_len_, lag, corr_len_);
        if (score >= best_score) {
            best_score = score;
            pitch = lag;
        }
    }
    return pitch;
}

void LossConcealer::build_cycle(std::size_t periods) noexcept {
    periods_ = periods;
    cycle_len_ = periods * pitch_;
    cycle_start_ = history_len_ - cycle_len_;
    // The cycle wraps from its last sample to its first: its last quarter period is cross-faded
    // from the real tail into the quarter period just before the cycle's start, so the wrap
    // continues smoothly.
    const std::size_t tail = history_len_ - quarter_;
    const std::size_t before = cycle_start_ - quarter_;
    for (std::size_t k = 0; k < quarter_; ++k) {
        const float w = static_cast<float>(k + 1) / static_cast<float>(quarter_ + 1);
        pitch_buf_[tail + k] = last_quarter_[k] * (1.0f - w) + pitch_buf_[before + k] * w;
    }
}

void LossConcealer::start_erasure() noexcept {
    std::copy(history_.begin(), history_.end(), pitch_buf_.begin());
    pitch_ = find_pitch();
    quarter_ = std::max<std::size_t>(1, pitch_ / 4);
    std::copy(pitch_buf_.end() - static_cast<std::ptrdiff_t>(quarter_), pitch_buf_.end(),
              last_quarter_.begin());
    build_cycle(1);
    offset_ = 0;
    old_left_ = 0;
    // The substitute begins one period back; shifting it by this offset (decaying) makes its
    // first sample follow the last real one as its own first sample follows the one before it.
    start_offset_ = history_.back() - pitch_buf_[cycle_start_ - 1];
}

float LossConcealer::gain_at(std::size_t erased) const noexcept {
    if (erased < frame_) return 1.0f;
    const double lost =
        kAttenuationPerFrame * static_cast<double>(erased - frame_) / static_cast<double>(frame_);
    return static_cast<float>(std::max(0.0, 1.0 - lost));
}

float LossConcealer::next_substitute() noexcept {
    const std::size_t erased = erasure_++;
    if (erased >= kSilentFrames * frame_) return 0.0f;
    if (erased == frame_ || erased == 2 * frame_) {
        // One more period from here on, cross-faded from the old cycle over a quarter period.
        const std::size_t saved = offset_;
        for (std::size_t k = 0; k < quarter_; ++k) {
            old_cycle_[k] = pitch_buf_[cycle_start_ + offset_];
            if (++offset_ == cycle_len_) offset_ = 0;
        }
        offset_ = saved;
        while (offset_ > pitch_) offset_ -= pitch_;  // same phase, in the oldest period
        build_cycle(periods_ + 1);
        old_left_ = quarter_;
        old_next_ = 0;
    }
    float v = pitch_buf_[cycle_start_ + offset_];
    if (++offset_ == cycle_len_) offset_ = 0;
    if (old_left_ > 0) {
        const float w =
            static_cast<float>(quarter_ - old_left_ + 1) / static_cast<float>(quarter_ + 1);
        v = old_cycle_[old_next_++] * (1.0f - w) + v * w;
        --old_left_;
    }
    if (erased < quarter_) {
        v += start_offset_ * (1.0f - static_cast<float>(erased) / static_cast<float>(quarter_));
    }
    // The start offset can carry a substitute past full scale: keep it on the int16 scale, where
    // every decoded sample the link plays lies.
    return std::clamp(v * gain_at(erased), -32768.0f / kFullScale, 1.0f);
}

void LossConcealer::conceal(std::span<float> out) noexcept {
    if (out.empty()) return;
    if (merging_) {  // a new erasure before the last merge finished: start afresh
        merging_ = false;
        erasure_ = 0;
    }
    if (erasure_ == 0) start_erasure();
    for (float& sample : out) sample = next_substitute();
    push_history(out);
}

void LossConcealer::receive(std::span<float> samples) noexcept {
    if (samples.empty()) return;
    if (erasure_ > 0 && !merging_) {
        const std::size_t frames = (erasure_ + frame_ - 1) / frame_;
        merging_ = true;
        merge_len_ = std::min(frame_, quarter_ + (frames - 1) * overlap_step_);
        merge_done_ = 0;
    }
    if (merging_) {
        for (float& sample : samples) {
            if (merge_done_ == merge_len_) break;
            const float w =
                static_cast<float>(merge_done_ + 1) / static_cast<float>(merge_len_ + 1);
            sample = sample * w + next_substitute() * (1.0f - w);
            ++merge_done_;
        }
        if (merge_done_ == merge_len_) {
            merging_ = false;
            erasure_ = 0;
        }
    }
    push_history(samples);
}

}  // namespace extrema::codec
