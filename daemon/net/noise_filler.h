#pragma once
// Receive stage 3a: the noise filler. Plays RFC 3389 comfort noise through a DTX pause, the span
// of the timeline the sender chose not to send, so that it sounds like the sender's room and not
// like a dead line, and so that it is neither a loss nor a concealment.
//  - A CN packet (validated, net/packet_validator.h) describes the noise from its timestamp on.
//    The sender sends one as each pause starts and refreshes it while the pause lasts.
//  - A span no packet covers that starts at or after a CN packet's timestamp, and after every
//    packet of records played so far, is a pause: it is filled with that noise (at the level
//    signalled, codec::ComfortNoiseGenerator) up to the next packet, which plays at its own
//    timestamp, so the timeline stays sample-accurate.
//  - Without a refresh for refresh_timeout_ms the pause is over as far as the receiver can tell
//    (the sender stopped, or the refreshes are lost): the rest is concealed as a loss.
// CN packets are kept in a few slots ordered by timestamp; they need none of the packet queue's
// rules (they produce no samples of their own).
// Single-threaded (the playout thread). No allocation, lock or system call after construction.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "extrema/codec/comfort_noise.h"
#include "extrema/codec/sample_rate.h"

namespace extrema::net {

struct NoiseFillerConfig {
    double sample_rate_hz = codec::kDefaultSampleRateHz;
    // A pause with no CN refresh for this long falls back to concealment. 1 s: four refreshes of
    // our sender (every 250 ms) lost in a row, or a sender that stopped.
    double refresh_timeout_ms = 1000.0;
    // Gain ramp when the noise starts or its level changes: no click.
    double ramp_ms = 10.0;
};

class NoiseFiller {
  public:
    // Throws std::invalid_argument for a config out of range.
    explicit NoiseFiller(const NoiseFillerConfig& config);

    // A CN packet whose timestamp, extended onto the timeline, is `start`.
    void insert(std::int64_t start, const codec::NoiseDescription& noise) noexcept;
    // Of the `count` samples from `position` that no packet covers, how many are a DTX pause
    // (0: none, conceal them).
    std::size_t pause_samples(std::int64_t position, std::size_t count) noexcept;
    // Of `count` samples from `position` to conceal, how many come before the next CN packet
    // (where a pause starts): at least 1 when count is.
    std::size_t before_next_pause(std::int64_t position, std::size_t count) const noexcept;
    // Fills `out` (what pause_samples() just allowed) with comfort noise.
    void fill(std::span<float> out) noexcept;
    // A packet of records starting at `start` begins to play: the pause (if any) is over, and CN
    // packets before it are stale.
    void on_packet(std::int64_t start) noexcept;
    // A new timeline (resync, new sender): every CN packet is forgotten.
    void reset() noexcept;

    // The last span given out was comfort noise.
    bool in_pause() const noexcept { return in_pause_; }
    // A pause is playing or announced: a CN packet is held that no packet of records played
    // after yet. From the CN packet's arrival the buffer drains by design, and it fills again
    // when the next talk spurt arrives ahead of its playout; the latency tuner holds meanwhile.
    bool pause_pending() const noexcept { return count_ > 0; }
    std::uint64_t noise_samples() const noexcept { return noise_samples_; }
    std::uint64_t updates() const noexcept { return updates_; }
    const codec::ComfortNoiseGenerator& generator() const noexcept { return generator_; }

  private:
    static constexpr std::size_t kSlots = 8;
    struct Entry {
        std::int64_t start = 0;
        codec::NoiseDescription noise;
    };
    void drop_front(std::size_t count) noexcept;

    std::int64_t timeout_samples_ = 0;
    codec::ComfortNoiseGenerator generator_;
    std::array<Entry, kSlots> entries_{};  // [0, count_) ordered by start
    std::size_t count_ = 0;
    bool have_played_ = false;
    std::int64_t last_played_start_ = 0;  // start of the last packet of records played
    bool current_set_ = false;            // entries_[0] is what the generator plays
    bool in_pause_ = false;
    std::uint64_t noise_samples_ = 0;
    std::uint64_t updates_ = 0;
};

}  // namespace extrema::net
