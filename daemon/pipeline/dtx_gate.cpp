#include "pipeline/dtx_gate.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <stdexcept>

namespace extrema::pipeline {
namespace {

// Smoothing of the noise estimate: long enough to average a noise's short-term ups and downs,
// short enough that the description follows a change within a refresh or two.
constexpr double kNoiseSmoothingMs = 100.0;

codec::VoiceActivityConfig vad_config(const DtxConfig& config) {
    codec::VoiceActivityConfig vad;
    vad.sample_rate_hz = config.sample_rate_hz;
    vad.frame_ms = config.frame_ms;
    vad.hangover_ms = config.hangover_ms;
    return vad;
}

const DtxConfig& checked(const DtxConfig& config) {
    if (!(config.refresh_ms >= 1.0 && config.refresh_ms <= 10000.0))
        throw std::invalid_argument("DTX refresh_ms must be in [1, 10000]");
    if (!(config.hangover_ms >= 0.0 && config.hangover_ms <= 10000.0))
        throw std::invalid_argument("DTX hangover_ms must be in [0, 10000]");
    return config;
}

}  // namespace

DtxGate::DtxGate(const DtxConfig& config)
    : config_(checked(config)),
      vad_(vad_config(config)),
      estimator_(config.sample_rate_hz, config.noise_order, kNoiseSmoothingMs) {
    frame_samples_ = vad_.frame_samples();
    refresh_samples_ = static_cast<std::uint64_t>(
        std::max(1.0, std::round(config_.refresh_ms * config_.sample_rate_hz / 1000.0)));
    frame_.assign(frame_samples_, 0.0f);
    held_.reserve(kMaxHeld);
}

void DtxGate::analyse(std::span<const float> samples) noexcept {
    while (!samples.empty()) {
        const std::size_t take = std::min(samples.size(), frame_samples_ - in_frame_);
        std::copy_n(samples.begin(), take, frame_.begin() + static_cast<std::ptrdiff_t>(in_frame_));
        in_frame_ += take;
        samples = samples.subspan(take);
        if (in_frame_ < frame_samples_) break;
        in_frame_ = 0;
        std::array<codec::VoiceFrame, 2> out{};
        const std::size_t n = vad_.push(frame_, out);
        for (std::size_t i = 0; i < n; ++i) {
            active_[frames_decided_ % kDecisionRing] = out[i].active;
            ++frames_decided_;
            if (!out[i].speech) estimator_.add_noise(frame_);
        }
    }
}

bool DtxGate::frame_active(std::uint64_t frame) const noexcept {
    if (frame + kDecisionRing < frames_decided_) return true;  // fell out of the ring
    return active_[frame % kDecisionRing];
}

std::optional<bool> DtxGate::decide(const codec::Record& record,
                                    std::uint64_t start) const noexcept {
    const std::uint64_t first = start / frame_samples_;
    if (first >= frames_decided_) return std::nullopt;
    if (frame_active(first)) return true;
    // A record that starts in a pause and runs into speech is sent: its end is the onset. It is
    // not urgent (nothing is due in a pause), so it may wait for the frame it ends in.
    const std::uint64_t last =
        (start + std::max<std::uint64_t>(record.samples, 1) - 1) / frame_samples_;
    for (std::uint64_t frame = first + 1; frame <= last; ++frame) {
        if (frame >= frames_decided_) return std::nullopt;
        if (frame_active(frame)) return true;
    }
    return false;
}

void DtxGate::route(std::span<const codec::Record> records, net::Packetizer& packetizer) noexcept {
    // Records held from earlier first, in order.
    std::size_t done = 0;
    while (done < held_.size()) {
        const std::optional<bool> active = decide(held_[done], routed_sample_);
        if (!active) break;
        route_one(held_[done++], *active, packetizer);
    }
    held_.erase(held_.begin(), held_.begin() + static_cast<std::ptrdiff_t>(done));
    for (const codec::Record& record : records) {
        const std::optional<bool> active =
            held_.empty() ? decide(record, routed_sample_) : std::nullopt;
        if (active) {
            route_one(record, *active, packetizer);
            continue;
        }
        if (held_.size() < held_.capacity()) {
            held_.push_back(record);
            continue;
        }
        // Cannot happen with an encoder that keeps up; never drop audio: send it.
        for (const codec::Record& waiting : held_) route_one(waiting, true, packetizer);
        held_.clear();
        route_one(record, true, packetizer);
    }
}

void DtxGate::flush(net::Packetizer& packetizer) noexcept {
    const bool active = frames_decided_ == 0 || frame_active(frames_decided_ - 1);
    for (const codec::Record& record : held_) route_one(record, active, packetizer);
    held_.clear();
}

void DtxGate::route_one(const codec::Record& record, bool active,
                        net::Packetizer& packetizer) noexcept {
    if (active) {
        paused_ = false;
        packetizer.push(record);
    } else {
        if (!paused_) {
            paused_ = true;
            send_comfort_noise(packetizer);
            next_refresh_sample_ = routed_sample_ + refresh_samples_;
        }
        // From the record that reaches the refresh time: never two in less than refresh_ms.
        if (routed_sample_ >= next_refresh_sample_) {
            send_comfort_noise(packetizer);
            next_refresh_sample_ = routed_sample_ + refresh_samples_;
        }
        packetizer.skip(std::span<const codec::Record>(&record, 1));
    }
    routed_sample_ += record.samples;
}

void DtxGate::send_comfort_noise(net::Packetizer& packetizer) noexcept {
    const std::size_t bytes = net::write_comfort_noise(estimator_.describe(), payload_);
    packetizer.send_comfort_noise(std::span<const std::uint8_t>(payload_).first(bytes));
}

}  // namespace extrema::pipeline
