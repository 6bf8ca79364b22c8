#include "extrema/codec/voice_activity.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "extrema/codec/sample_rate.h"

namespace extrema::codec {
namespace {

double power_of(double db) {
    return std::pow(10.0, db / 10.0);
}

VoiceActivityConfig checked(const VoiceActivityConfig& config) {
    if (!valid_sample_rate(config.sample_rate_hz))
        throw std::invalid_argument("voice activity: sample rate out of range");
    if (!(config.frame_ms >= 1.0 && config.frame_ms <= 100.0))
        throw std::invalid_argument("voice activity: frame_ms must be in [1, 100]");
    if (!(config.hangover_ms >= 0.0 && config.hangover_ms <= 10000.0))
        throw std::invalid_argument("voice activity: hangover_ms must be in [0, 10000]");
    if (!(config.onset_db > 0.0 && config.onset_db <= 60.0))
        throw std::invalid_argument("voice activity: onset_db must be in (0, 60]");
    if (!(config.floor_window_ms >= config.frame_ms * VoiceActivityDetector::kFloorSubWindows &&
          config.floor_window_ms <= 60000.0)) {
        throw std::invalid_argument(
            "voice activity: floor_window_ms must cover 8 frames and be at most 60000");
    }
    if (!(config.max_floor_dbov <= 0.0 && config.max_floor_dbov >= -127.0) ||
        !(config.initial_floor_dbov <= 0.0 && config.initial_floor_dbov >= -127.0)) {
        throw std::invalid_argument("voice activity: floor levels must be in [-127, 0] dBov");
    }
    return config;
}

}  // namespace

VoiceActivityDetector::VoiceActivityDetector(const VoiceActivityConfig& config)
    : config_(checked(config)) {
    frame_samples_ = std::max<std::size_t>(
        1,
        static_cast<std::size_t>(std::lround(config_.frame_ms * config_.sample_rate_hz / 1000.0)));
    const double frames_per_window = config_.floor_window_ms / config_.frame_ms;
    sub_window_frames_ = std::max<std::size_t>(
        1, static_cast<std::size_t>(std::lround(frames_per_window / kFloorSubWindows)));
    hangover_frames_ =
        static_cast<std::size_t>(std::lround(config_.hangover_ms / config_.frame_ms));
    onset_ratio_ = power_of(config_.onset_db);
    max_floor_ = power_of(config_.max_floor_dbov);
    initial_floor_ = power_of(config_.initial_floor_dbov);
    reset();
}

void VoiceActivityDetector::reset() noexcept {
    sum_squares_ = 0.0;
    in_frame_ = 0;
    frame_index_ = 0;
    sub_minima_.fill(std::numeric_limits<double>::infinity());
    sub_next_ = 0;
    sub_frames_ = 0;
    sub_current_ = std::numeric_limits<double>::infinity();
    windows_seen_ = 0;
    hangover_left_ = 0;
}

double VoiceActivityDetector::floor_dbov() const noexcept {
    double floor = sub_current_;
    for (const double m : sub_minima_) floor = std::min(floor, m);
    if (windows_seen_ < kFloorSubWindows) floor = std::min(floor, initial_floor_);
    return 10.0 * std::log10(std::max(floor, power_of(kMinLevelDbov)));
}

std::size_t VoiceActivityDetector::push(std::span<const float> samples,
                                        std::span<VoiceFrame> frames) noexcept {
    std::size_t reported = 0;
    for (const float sample : samples) {
        sum_squares_ += static_cast<double>(sample) * sample;
        if (++in_frame_ < frame_samples_) continue;
        const VoiceFrame frame = close_frame();
        if (reported < frames.size()) frames[reported++] = frame;
    }
    return reported;
}

VoiceFrame VoiceActivityDetector::close_frame() noexcept {
    VoiceFrame frame;
    frame.index = frame_index_++;
    frame.mean_square = sum_squares_ / static_cast<double>(frame_samples_);
    frame.level_dbov = 10.0 * std::log10(std::max(frame.mean_square, power_of(kMinLevelDbov)));
    sum_squares_ = 0.0;
    in_frame_ = 0;

    // The floor from the frames before this one: a loud frame must not raise its own reference.
    double floor = sub_current_;
    for (const double m : sub_minima_) floor = std::min(floor, m);
    if (windows_seen_ < kFloorSubWindows) floor = std::min(floor, initial_floor_);
    floor = std::min(floor, max_floor_);
    frame.speech = frame.mean_square > floor * onset_ratio_;

    sub_current_ = std::min(sub_current_, frame.mean_square);
    if (++sub_frames_ == sub_window_frames_) {
        sub_minima_[sub_next_] = sub_current_;
        sub_next_ = (sub_next_ + 1) % kFloorSubWindows;
        sub_current_ = std::numeric_limits<double>::infinity();
        sub_frames_ = 0;
        if (windows_seen_ < kFloorSubWindows) ++windows_seen_;
    }

    if (frame.speech) {
        hangover_left_ = hangover_frames_ + 1;  // this frame, then the hangover
    }
    frame.active = hangover_left_ > 0;
    if (hangover_left_ > 0) --hangover_left_;
    return frame;
}

}  // namespace extrema::codec
