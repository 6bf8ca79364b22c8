#include "pipeline/resampler.h"

#include <samplerate.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace extrema::pipeline {
namespace {

constexpr double kPpm = 1e-6;
// Largest stretch (negative correction) taken: 10 %, twice the latency tuner's growth clamp.
constexpr double kMaxStretchPpm = 100000.0;

ResamplerConfig checked(const ResamplerConfig& c) {
    if (!(std::isfinite(c.sample_rate_hz) && c.sample_rate_hz > 0.0)) {
        throw std::invalid_argument("sample rate must be positive");
    }
    if (c.max_block_samples < 1 || c.max_block_samples > (1u << 20)) {
        throw std::invalid_argument("max_block_samples must be 1..1048576");
    }
    if (!(c.max_correction_ppm >= 1.0 && c.max_correction_ppm <= 10000.0)) {
        throw std::invalid_argument("max_correction_ppm must be 1..10000");
    }
    if (!(std::isfinite(c.landing_ms) && c.landing_ms > 0.0)) {
        throw std::invalid_argument("landing must be positive and finite");
    }
    return c;
}

}  // namespace

void Resampler::ConverterDeleter::operator()(SRC_STATE_tag* converter) const noexcept {
    src_delete(converter);
}

Resampler::Resampler(const ResamplerConfig& config) : config_(checked(config)) {
    const double per_ms = config_.sample_rate_hz / 1000.0;
    // The landing ratio is off 1 by at most 0.5 / landing samples: keep that within the clamp.
    landing_samples_ =
        static_cast<std::uint64_t>(std::max(std::ceil(config_.landing_ms * per_ms),
                                            std::ceil(0.5 / (config_.max_correction_ppm * kPpm))));
    int error = 0;
    converter_.reset(src_new(SRC_LINEAR, 1, &error));
    if (!converter_) {
        throw std::runtime_error(std::string("libsamplerate: ") + src_strerror(error));
    }
    // A block reads at most max_block * (1 + max correction) input samples, plus the read
    // position carried over (< 3) and the two of margin resample() asks for. (A negative
    // correction, which stretches, reads fewer.)
    const double reach =
        static_cast<double>(config_.max_block_samples) * (1.0 + config_.max_correction_ppm * kPpm);
    pending_.resize(static_cast<std::size_t>(std::ceil(reach)) + 16);
}

Resampler::~Resampler() = default;
Resampler::Resampler(Resampler&&) noexcept = default;
Resampler& Resampler::operator=(Resampler&&) noexcept = default;

double Resampler::ratio() const noexcept {
    switch (mode_) {
        case Mode::kBypass:
            return 1.0;
        case Mode::kResampling:
            return 1.0 / (1.0 + correction_ppm_ * kPpm);
        case Mode::kLanding:
            return landing_ratio_;
    }
    return 1.0;
}

void Resampler::steer(const Steer& steer) noexcept {
    steer_ = steer;
    // Beyond the reach the scratch buffer was sized for it would run short of input; a stretch
    // is bounded by what a converter ratio may sensibly be.
    steer_.target_ppm = std::clamp(steer_.target_ppm, -kMaxStretchPpm, config_.max_correction_ppm);
}

void Resampler::slew(std::size_t samples) noexcept {
    const double most =
        steer_.slew_ppm_per_s * static_cast<double>(samples) / config_.sample_rate_hz;
    correction_ppm_ += std::clamp(steer_.target_ppm - correction_ppm_, -most, most);
}

// ---- Audio path -----------------------------------------------------------------------------

void Resampler::process(std::span<float> out, SampleSource pull) noexcept {
    while (!out.empty()) {
        if (mode_ == Mode::kBypass && steer_.engage) engage(pull);
        if (mode_ == Mode::kResampling && steer_.release) begin_landing();
        std::size_t done = 0;
        if (mode_ == Mode::kBypass) {
            done = pass_through(out, pull);
        } else {
            std::size_t block = std::min(out.size(), config_.max_block_samples);
            if (mode_ == Mode::kLanding) {
                block = static_cast<std::size_t>(std::min<std::uint64_t>(block, landing_left_));
            } else {
                slew(block);
            }
            done = resample(out.first(block), pull);
            if (mode_ == Mode::kLanding) {
                landing_left_ -= done;
                if (landing_left_ == 0) snap_to_bypass();
            }
        }
        output_total_ += done;
        out = out.subspan(done);
    }
}

void Resampler::drop_skipped(SampleSource& pull) noexcept {
    // Only set when nothing is pending, so the scratch buffer is free to take them.
    while (skip_ > 0) {
        const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(skip_, pending_.size()));
        pull(std::span<float>(pending_).first(n));
        pulled_total_ += n;
        skip_ -= n;
        head_ = tail_ = 0;
    }
}

std::size_t Resampler::pass_through(std::span<float> out, SampleSource& pull) noexcept {
    // Samples the landing read past are dropped from the source; those taken from it and not
    // played come first; then the source itself.
    drop_skipped(pull);
    const std::size_t queued = std::min(pending(), out.size());
    std::copy_n(pending_.begin() + static_cast<std::ptrdiff_t>(head_), queued, out.begin());
    head_ += queued;
    if (queued < out.size()) {
        pull(out.subspan(queued));
        pulled_total_ += out.size() - queued;
    }
    return out.size();
}

void Resampler::engage(SampleSource& pull) noexcept {
    steer_.engage = false;
    // The converter's left point is the sample bypass would have played next; it stays out of
    // the converter's input, so the first output is that sample itself (read position 0).
    drop_skipped(pull);
    top_up(1, pull);
    last_consumed_ = pending_[head_++];
    // libsamplerate takes its left point from the first input after a reset: give it that
    // sample alone and ask for no output, which sets it and reads nothing else.
    src_reset(converter_.get());
    SRC_DATA prime{};
    float unused = 0.0f;
    prime.data_in = &last_consumed_;
    prime.input_frames = 1;
    prime.data_out = &unused;
    prime.output_frames = 0;
    prime.src_ratio = 1.0;
    if (src_process(converter_.get(), &prime) != 0) {
        --head_;  // cannot happen with valid arguments; stay in bypass on the same sample
        pending_[head_] = last_consumed_;
        return;
    }
    phase_ = 0.0;
    correction_ppm_ = 0.0;  // start at ratio 1 exactly and slew from there
    mode_ = Mode::kResampling;
}

void Resampler::begin_landing() noexcept {
    steer_.release = false;
    // Land on the whole sample nearest to where landing_samples_ at ratio 1 would end.
    const auto length = static_cast<double>(landing_samples_);
    const double whole = std::round(phase_ + length);
    landing_ratio_ = length / (whole - phase_);
    landing_left_ = landing_samples_;
    mode_ = Mode::kLanding;
}

void Resampler::snap_to_bypass() noexcept {
    // The next read position, rounded: 0 is last_consumed_, k >= 1 the k-th pending sample.
    const double whole = std::max(0.0, std::round(phase_));
    if (whole < 1.0) {
        if (head_ == 0) {
            std::copy_backward(pending_.begin(),
                               pending_.begin() + static_cast<std::ptrdiff_t>(tail_),
                               pending_.begin() + static_cast<std::ptrdiff_t>(tail_) + 1);
            ++tail_;
            ++head_;
        }
        pending_[--head_] = last_consumed_;
    } else {
        const auto passed = static_cast<std::uint64_t>(whole) - 1;
        const auto dropped = std::min<std::uint64_t>(passed, pending());
        head_ += static_cast<std::size_t>(dropped);
        skip_ = passed - dropped;
    }
    phase_ = 0.0;
    correction_ppm_ = 0.0;
    landing_left_ = 0;
    mode_ = Mode::kBypass;
}

void Resampler::top_up(std::size_t wanted, SampleSource& pull) noexcept {
    wanted = std::min(wanted, pending_.size());
    if (pending() >= wanted) return;
    if (head_ + wanted > pending_.size()) {
        std::copy(pending_.begin() + static_cast<std::ptrdiff_t>(head_),
                  pending_.begin() + static_cast<std::ptrdiff_t>(tail_), pending_.begin());
        tail_ -= head_;
        head_ = 0;
    }
    const std::size_t more = wanted - pending();
    pull(std::span<float>(pending_).subspan(tail_, more));
    tail_ += more;
    pulled_total_ += more;
}

std::size_t Resampler::resample(std::span<float> out, SampleSource& pull) noexcept {
    const double ratio_now = ratio();
    const double step = 1.0 / ratio_now;  // input samples per output sample
    std::size_t done = 0;
    while (done < out.size()) {
        const std::size_t want = out.size() - done;
        // Output k reads at phase_ + k * step (last_consumed_ at 0, pending sample i at i + 1)
        // and needs the pending sample after that position; one more absorbs rounding and
        // libsamplerate's need for two input frames.
        const double last_read = phase_ + static_cast<double>(want - 1) * step;
        top_up(static_cast<std::size_t>(std::max(0.0, last_read)) + 2, pull);

        SRC_DATA data{};
        data.data_in = pending_.data() + head_;
        data.input_frames = static_cast<long>(pending());
        data.data_out = out.data() + done;
        data.output_frames = static_cast<long>(want);
        data.src_ratio = ratio_now;
        // A constant ratio within each call: libsamplerate would otherwise glide from the last
        // one, and phase_ below would no longer track its read position exactly.
        src_set_ratio(converter_.get(), ratio_now);
        if (src_process(converter_.get(), &data) != 0) {
            // Only bad arguments fail, which the checks above exclude; never leave `out` unfilled.
            snap_to_bypass();
            return done + pass_through(out.subspan(done), pull);
        }
        const auto used = static_cast<std::size_t>(data.input_frames_used);
        const auto made = static_cast<std::size_t>(data.output_frames_gen);
        if (used > 0) last_consumed_ = pending_[head_ + used - 1];
        head_ += used;
        phase_ += static_cast<double>(made) * step - static_cast<double>(used);
        done += made;
        if (made == 0) {
            // Rounding left it short of input: give it more. Cannot run out of room (the buffer
            // holds a whole block's reach), but never loop forever if it did.
            if (pending() + 2 > pending_.size()) {
                snap_to_bypass();
                return done + pass_through(out.subspan(done), pull);
            }
            top_up(pending() + 2, pull);
        }
    }
    return done;
}

void Resampler::reset() noexcept {
    if (mode_ != Mode::kBypass) snap_to_bypass();
    steer_ = Steer{};
    correction_ppm_ = 0.0;
}

}  // namespace extrema::pipeline
