#include "audio/paced_duplex.h"

#include <span>
#include <utility>

#include "audio/rt_guard.h"

namespace extrema::audio {

PacedDuplex::PacedDuplex(SampleRing& capture_ring, FrameReader& playback, int rate_hz, int block_ms,
                         SourceThread::Fill fill, std::string description)
    : playback_(playback),
      rate_hz_(rate_hz),
      channels_(capture_ring.channels()),
      description_(std::move(description)) {
    thread_ = std::make_unique<SourceThread>(capture_ring, rate_hz, block_ms, Pacing::kRealTime,
                                             std::move(fill), [this] { play_block(); });
    block_.resize(thread_->block_frames() * static_cast<std::size_t>(channels_));
}

PacedDuplex::~PacedDuplex() {
    thread_.reset();  // joins: no period runs while the members go
}

void PacedDuplex::play_block() noexcept {
    const RealtimeScope realtime;
    playback_.read(std::span<float>(block_));
}

}  // namespace extrema::audio
