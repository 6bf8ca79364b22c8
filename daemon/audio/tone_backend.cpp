#include "audio/tone_backend.h"

#include <fmt/core.h>

#include <cmath>
#include <numbers>

namespace extrema::audio {

ToneSource::ToneSource(SampleRing& ring, const ToneConfig& config)
    : config_(config), channels_(ring.channels()) {
    if (config.rate_hz < 1) throw AudioError("tone: sample rate must be positive");
    if (!(config.frequency_hz > 0.0 && config.frequency_hz < config.rate_hz / 2.0)) {
        throw AudioError(
            fmt::format("tone: frequency {} Hz must be between 0 and {} Hz (half "
                        "the sample rate)",
                        config.frequency_hz, config.rate_hz / 2));
    }
    if (!(config.level_dbfs <= 0.0)) {
        throw AudioError(
            fmt::format("tone: level {} dBFS is above full scale (0 dBFS)", config.level_dbfs));
    }
    amplitude_ = std::pow(10.0, config.level_dbfs / 20.0);
    phase_step_ = 2.0 * std::numbers::pi * config.frequency_hz / config.rate_hz;
    thread_ =
        std::make_unique<SourceThread>(ring, config.rate_hz, config.block_ms, config.pacing,
                                       [this](std::span<float> block) { return fill(block); });
}

ToneSource::~ToneSource() = default;

std::string ToneSource::describe() const {
    return fmt::format("tone {} Hz at {} dBFS, {} Hz x{}{}", config_.frequency_hz,
                       config_.level_dbfs, config_.rate_hz, channels_,
                       config_.pacing == Pacing::kRealTime ? "" : ", as fast as possible");
}

std::size_t ToneSource::fill(std::span<float> block) noexcept {
    const auto channels = static_cast<std::size_t>(channels_);
    for (std::size_t i = 0; i + channels <= block.size(); i += channels) {
        const auto sample = static_cast<float>(amplitude_ * std::sin(phase_));
        for (std::size_t c = 0; c < channels; ++c) block[i + c] = sample;
        phase_ += phase_step_;
        if (phase_ >= 2.0 * std::numbers::pi) phase_ -= 2.0 * std::numbers::pi;
    }
    return block.size();  // endless
}

}  // namespace extrema::audio
