#include "net/jitter_buffer.h"

#include <stdexcept>

namespace extrema::net {
namespace {

JitterBufferConfig checked(const JitterBufferConfig& config) {
    if (!(config.target_delay_ms >= 0.0))
        throw std::invalid_argument("target delay must be >= 0 ms");
    if (!(config.max_ahead_ms > config.target_delay_ms)) {
        throw std::invalid_argument("max_ahead_ms must exceed the target delay");
    }
    return config;
}

PacketQueueConfig queue_config(const JitterBufferConfig& config) {
    PacketQueueConfig queue;
    queue.sample_rate_hz = config.sample_rate_hz;
    queue.slot_count = config.slot_count;
    queue.max_ahead_ms = config.max_ahead_ms;
    queue.resync_after_drops = config.resync_after_drops;
    queue.arrivals = config.arrivals;
    return queue;
}

DepacketizerConfig depacketizer_config(const JitterBufferConfig& config) {
    DepacketizerConfig depacketizer;
    depacketizer.sample_rate_hz = config.sample_rate_hz;
    depacketizer.target_delay_ms = config.target_delay_ms;
    depacketizer.restart_fade_ms = config.restart_fade_ms;
    return depacketizer;
}

NoiseFillerConfig noise_config(const JitterBufferConfig& config) {
    NoiseFillerConfig noise;
    noise.sample_rate_hz = config.sample_rate_hz;
    noise.refresh_timeout_ms = config.cn_timeout_ms;
    return noise;
}

}  // namespace

JitterBuffer::JitterBuffer(const JitterBufferConfig& config)
    : config_(checked(config)),
      queue_(queue_config(config_)),
      concealer_(config_.sample_rate_hz),
      noise_(noise_config(config_)),
      depacketizer_(depacketizer_config(config_), queue_, concealer_, noise_) {}

InsertResult JitterBuffer::insert(const ValidatedPacket& packet, Clock::time_point arrival,
                                  PacketOrigin origin) noexcept {
    if (!packet.comfort_noise) return queue_.insert(packet, arrival, origin);
    ++cn_packets_;
    noise_.insert(queue_.extend_timestamp(packet.header.timestamp), packet.noise);
    return InsertResult::kAccepted;
}

bool JitterBuffer::set_target_delay_ms(double target_ms) noexcept {
    if (!target_fits(target_ms, config_.max_ahead_ms)) return false;
    config_.target_delay_ms = target_ms;
    depacketizer_.set_target_delay_ms(target_ms);
    return true;
}

double JitterBuffer::level_ms() const noexcept {
    return static_cast<double>(level_samples()) * 1000.0 / config_.sample_rate_hz;
}

JitterBufferCounters JitterBuffer::counters() const noexcept {
    const PacketQueueCounters& queue = queue_.counters();
    const ConcealerCounters& concealer = concealer_.counters();
    JitterBufferCounters c;
    c.accepted = queue.accepted;
    c.duplicate = queue.duplicate;
    c.late = queue.late;
    c.early = queue.early;
    c.resyncs = queue.resyncs;
    c.repaired = queue.repaired;
    c.truncated = depacketizer_.counters().truncated;
    c.played_samples = depacketizer_.counters().played_samples;
    c.gaps = concealer.gaps;
    c.underruns = concealer.underruns;
    c.concealed_samples = concealer.concealed_samples;
    c.cn_packets = cn_packets_;
    c.dtx_samples = noise_.noise_samples();
    return c;
}

}  // namespace extrema::net
