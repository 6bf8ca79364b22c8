#include "audio/paced_duplex.h"

#include <span>
#include <utility>

#include "audio/rt_guard.h"

namespace extrema::audio {

PacedDuplex::PacedDuplex(SampleRing& capture_ring, SampleRing& playback_ring, int rate_hz,
                         int block_ms, SourceThread::Fill fill, std::string description)
    : playback_ring_(playback_ring),
      rate_hz_(rate_hz),
      description_(std::move(description)),
      gate_(0) {
    if (capture_ring.channels() != playback_ring.channels()) {
        throw AudioError("paced duplex: capture and playback rings differ in channels");
    }
    thread_ = std::make_unique<SourceThread>(capture_ring, rate_hz, block_ms, Pacing::kRealTime,
                                             std::move(fill), [this] { play_block(); });
    block_.resize(thread_->block_frames() * static_cast<std::size_t>(playback_ring.channels()));
}

PacedDuplex::~PacedDuplex() {
    thread_.reset();  // joins: no period runs while the members go
}

void PacedDuplex::play_block() noexcept {
    const RealtimeScope realtime;
    gate_.pop(playback_ring_, std::span<float>(block_));
}

}  // namespace extrema::audio
