#include "audio/null_sink.h"

namespace extrema::audio {

NullSink::NullSink(FrameReader& reader, const NullSinkConfig& config)
    : config_(config),
      pump_(reader, config.rate_hz, config.channels, std::chrono::milliseconds(config.block_ms),
            [](std::span<const float>) {}) {}

std::string NullSink::describe() const {
    return "null sink, " + std::to_string(config_.rate_hz) + " Hz x" +
           std::to_string(config_.channels);
}

}  // namespace extrema::audio
