#pragma once
// Discontinuous transmission (DTX) for the sender: between the encoder and the packetizer, it
// decides which records are sent. The encoder is fed every sample whatever the gate says, so its
// state is continuous and a talk spurt starts exactly where the speech does: only what is sent
// is gated.
//
//  - Voice activity per packet_ms frame (codec::VoiceActivityDetector, with its hangover): a
//    record whose first sample lies in an active frame goes to the packetizer; one in an
//    inactive frame is skipped (Packetizer::skip: the stream index and decoder value advance,
//    nothing is sent, the next sent packet carries the marker).
//  - At the start of each pause one RFC 3389 comfort-noise packet describes the background
//    noise (codec::ComfortNoiseEstimator, fed the frames the VAD calls noise), then one every
//    refresh_ms while the pause lasts: nothing else is sent.
//  - A record that starts in a pause but runs into speech is sent (its end is the onset, which
//    must not be clipped).
//  - A record waits here until the frames it needs have been analysed: the one it starts in
//    (it could not complete a packet yet), or in a pause the one it ends in (nothing is due in a
//    pause), so the gate delays speech by at most the part of a record before its onset.
//
// Network thread only; real-time safe after construction (fixed buffers, no allocation).
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "extrema/codec/comfort_noise.h"
#include "extrema/codec/record.h"
#include "extrema/codec/sample_rate.h"
#include "extrema/codec/voice_activity.h"
#include "net/comfort_noise_payload.h"
#include "net/packetizer.h"
#include "pipeline/dtx_config.h"

namespace extrema::pipeline {

class DtxGate {
  public:
    // Throws std::invalid_argument for a config out of range.
    explicit DtxGate(const DtxConfig& config);

    // The next samples of the stream (after the compressor, as the encoder gets them), before
    // the records they produce are routed.
    void analyse(std::span<const float> samples) noexcept;
    // The encoder's next records: to the packetizer, skipped, or held until their frame is
    // analysed. CN packets are sent through the packetizer as pauses start and go on.
    void route(std::span<const codec::Record> records, net::Packetizer& packetizer) noexcept;
    // End of stream: every record held is routed as its last frame said.
    void flush(net::Packetizer& packetizer) noexcept;

  private:
    // Ring of per-frame decisions; a record older than the ring is sent (never lose speech).
    static constexpr std::size_t kDecisionRing = 256;
    // Most records held: a frame's worth at one sample per record, bounded by the buffer.
    static constexpr std::size_t kMaxHeld = 8192;

    bool frame_active(std::uint64_t frame) const noexcept;
    // Whether a record starting at `start` is sent; unknown while a frame it needs is not
    // analysed yet.
    std::optional<bool> decide(const codec::Record& record, std::uint64_t start) const noexcept;
    void route_one(const codec::Record& record, bool active, net::Packetizer& packetizer) noexcept;
    void send_comfort_noise(net::Packetizer& packetizer) noexcept;

    DtxConfig config_;
    codec::VoiceActivityDetector vad_;
    codec::ComfortNoiseEstimator estimator_;
    std::size_t frame_samples_ = 0;
    std::uint64_t refresh_samples_ = 0;

    std::vector<float> frame_;  // the frame being filled, frame_samples_ long
    std::size_t in_frame_ = 0;
    std::array<bool, kDecisionRing> active_{};
    std::uint64_t frames_decided_ = 0;

    std::vector<codec::Record> held_;  // capacity kMaxHeld, never grown
    std::uint64_t routed_sample_ = 0;  // stream index of the next record's first sample
    bool paused_ = false;
    std::uint64_t next_refresh_sample_ = 0;
    std::array<std::uint8_t, net::kMaxComfortNoiseBytes> payload_{};
};

}  // namespace extrema::pipeline
