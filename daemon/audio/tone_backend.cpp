#include "audio/tone_backend.h"

#include <fmt/core.h>

#include <cmath>
#include <numbers>

namespace extrema::audio {

ToneGenerator::ToneGenerator(const ToneConfig& config, int channels)
    : config_(config), channels_(channels) {
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
    const double step = 2.0 * std::numbers::pi * config.frequency_hz / config.rate_hz;
    step_ = {std::cos(step), std::sin(step)};
}

std::string ToneGenerator::describe() const {
    return fmt::format("tone {} Hz at {} dBFS, {} Hz x{}", config_.frequency_hz, config_.level_dbfs,
                       config_.rate_hz, channels_);
}

// A rotating phasor instead of sin() per sample: four multiplies and two adds a sample, so the
// pretend microphone costs next to nothing in the link's CPU figures. Renormalised once a block,
// the rounding error of a double stays far below a float sample's resolution.
std::size_t ToneGenerator::fill(std::span<float> block) noexcept {
    const auto channels = static_cast<std::size_t>(channels_);
    for (std::size_t i = 0; i + channels <= block.size(); i += channels) {
        const auto sample = static_cast<float>(amplitude_ * phasor_.imag());
        for (std::size_t c = 0; c < channels; ++c) block[i + c] = sample;
        phasor_ = {phasor_.real() * step_.real() - phasor_.imag() * step_.imag(),
                   phasor_.real() * step_.imag() + phasor_.imag() * step_.real()};
    }
    phasor_ /= std::abs(phasor_);
    return block.size();
}

ToneSource::ToneSource(SampleRing& ring, const ToneConfig& config)
    : generator_(config, ring.channels()) {
    thread_ = std::make_unique<SourceThread>(
        ring, config.rate_hz, config.block_ms, config.pacing,
        [this](std::span<float> block) { return generator_.fill(block); });
}

ToneSource::~ToneSource() = default;

std::string ToneSource::describe() const {
    return generator_.describe() +
           (generator_.config().pacing == Pacing::kRealTime ? "" : ", as fast as possible");
}

}  // namespace extrema::audio
