// The noise filler inside the jitter buffer: through a DTX pause that an RFC 3389 packet opens,
// comfort noise at the signalled level fills the timeline up to the next packet, which plays at
// its own timestamp exactly; none of it counts as concealment, a gap or an underrun. Refreshes
// carry the pause on and change the level; without one for 1 s concealment takes over.
#include "net/noise_filler.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "extrema/codec/record.h"
#include "net/jitter_buffer.h"

namespace extrema::net {
namespace {

using codec::Record;
using namespace std::chrono_literals;

const Clock::time_point kT0 = Clock::time_point{} + 1h;

ValidatedPacket records_packet(std::uint32_t timestamp, std::int16_t from, std::int16_t to,
                               std::uint16_t sequence) {
    ValidatedPacket p;
    p.header.timestamp = timestamp;
    p.header.sequence = sequence;
    p.header.ssrc = 1;
    p.storage[0] = Record::anchor(from);
    p.storage[1] = Record::curve(3, 480, to);
    p.record_count = 2;
    p.samples = 480;
    p.has_anchor = true;
    return p;
}

ValidatedPacket cn_packet(std::uint32_t timestamp, double level_dbov, std::uint16_t sequence) {
    ValidatedPacket p;
    p.header.timestamp = timestamp;
    p.header.sequence = sequence;
    p.header.payload_type = 13;
    p.header.ssrc = 1;
    p.comfort_noise = true;
    p.noise.level_dbov = level_dbov;
    return p;
}

JitterBufferConfig config() {
    JitterBufferConfig c;
    c.target_delay_ms = 0.0;
    c.slot_count = 16;
    c.max_ahead_ms = 3000.0;  // the packet after a 2 s pause is filed at once
    return c;
}

std::vector<float> play(JitterBuffer& buffer, std::size_t samples) {
    std::vector<float> out(samples);
    for (std::size_t at = 0; at < samples; at += 64) {
        buffer.read(std::span<float>(out).subspan(at, std::min<std::size_t>(64, samples - at)));
    }
    return out;
}

double level_dbov(const std::vector<float>& x, std::size_t from, std::size_t to) {
    double sum = 0.0;
    for (std::size_t i = from; i < to; ++i) sum += static_cast<double>(x[i]) * x[i];
    return 10.0 * std::log10(sum / static_cast<double>(to - from));
}

constexpr float kFull = codec::kFullScale;

TEST(NoiseFiller, PlaysThePauseAtTheSignalledLevelAndKeepsTheTimeline) {
    JitterBuffer buffer(config());
    constexpr std::uint32_t kPause = 24000;  // 500 ms
    ASSERT_EQ(buffer.insert(records_packet(0, 0, 1000, 1), kT0), InsertResult::kAccepted);
    buffer.insert(records_packet(480, 1000, -500, 2), kT0);
    ASSERT_EQ(buffer.insert(cn_packet(960, -40.0, 3), kT0), InsertResult::kAccepted);
    buffer.insert(records_packet(960 + kPause, 0, 2000, 4), kT0);
    const std::vector<float> out = play(buffer, 960 + kPause + 480);

    EXPECT_EQ(out[479], 1000 / kFull);
    EXPECT_EQ(out[959], -500 / kFull);
    // The packet after the pause lands at its timestamp, decoded exactly (its anchor).
    EXPECT_EQ(out[960 + kPause + 479], 2000 / kFull);
    EXPECT_NEAR(level_dbov(out, 960 + 1000, 960 + kPause - 100), -40.0, 1.0);
    const JitterBufferCounters c = buffer.counters();
    EXPECT_EQ(c.concealed_samples, 0u);
    EXPECT_EQ(c.gaps, 0u);
    EXPECT_EQ(c.underruns, 0u);
    EXPECT_EQ(c.dtx_samples, kPause);
    EXPECT_EQ(c.cn_packets, 1u);
    EXPECT_EQ(c.played_samples, 3u * 480u);
}

TEST(NoiseFiller, RefreshesCarryThePauseAndChangeTheLevel) {
    JitterBuffer buffer(config());
    constexpr std::uint32_t kPause = 96000;  // 2 s
    buffer.insert(records_packet(0, 0, 1000, 1), kT0);
    std::uint16_t sequence = 2;
    for (std::uint32_t at = 480; at < 480 + kPause; at += 12000) {
        buffer.insert(cn_packet(at, at < 480 + kPause / 2 ? -50.0 : -30.0, sequence++), kT0);
    }
    buffer.insert(records_packet(480 + kPause, 0, 2000, sequence), kT0);
    const std::vector<float> out = play(buffer, 480 + kPause + 480);
    EXPECT_NEAR(level_dbov(out, 2000, 480 + kPause / 2 - 100), -50.0, 1.0);
    EXPECT_NEAR(level_dbov(out, 480 + kPause / 2 + 1000, 480 + kPause - 100), -30.0, 1.0);
    EXPECT_EQ(out[480 + kPause + 479], 2000 / kFull);
    EXPECT_EQ(buffer.counters().concealed_samples, 0u);
    EXPECT_EQ(buffer.counters().dtx_samples, kPause);
}

TEST(NoiseFiller, WithoutARefreshForOneSecondConcealmentTakesOver) {
    JitterBuffer buffer(config());
    constexpr std::uint32_t kPause = 96000;  // 2 s, one CN at its start only
    buffer.insert(records_packet(0, 0, 1000, 1), kT0);
    buffer.insert(cn_packet(480, -40.0, 2), kT0);
    buffer.insert(records_packet(480 + kPause, 0, 2000, 3), kT0);
    const std::vector<float> out = play(buffer, 480 + kPause + 480);
    EXPECT_EQ(buffer.counters().dtx_samples, 48000u);
    EXPECT_EQ(buffer.counters().concealed_samples, kPause - 48000u);
    // The timeline held throughout (the packet is merged with the concealment before it).
    EXPECT_NEAR(out[480 + kPause + 479], 2000 / kFull, 0.002);
}

TEST(NoiseFiller, LossBeforeTheComfortNoiseIsConcealedThenNoisePlays) {
    JitterBuffer buffer(config());
    buffer.insert(records_packet(0, 0, 1000, 1), kT0);
    // The packet at 480 is lost; the CN packet follows it at 960.
    buffer.insert(cn_packet(960, -40.0, 3), kT0);
    buffer.insert(records_packet(960 + 24000, 0, 2000, 4), kT0);
    const std::vector<float> out = play(buffer, 960 + 24000 + 480);
    EXPECT_EQ(buffer.counters().concealed_samples, 480u);
    EXPECT_EQ(buffer.counters().dtx_samples, 24000u);
    EXPECT_EQ(out[960 + 24000 + 479], 2000 / kFull);
}

TEST(NoiseFiller, StaleComfortNoiseIsIgnored) {
    NoiseFiller filler(NoiseFillerConfig{});
    filler.on_packet(10000);
    codec::NoiseDescription noise;
    noise.level_dbov = -40.0;
    filler.insert(5000, noise);  // describes a pause that is over
    EXPECT_EQ(filler.pause_samples(10480, 480), 0u);
    filler.insert(10480, noise);
    EXPECT_EQ(filler.pause_samples(10480, 480), 480u);
    EXPECT_TRUE(filler.in_pause());
    filler.on_packet(20000);
    EXPECT_FALSE(filler.in_pause());
    EXPECT_EQ(filler.pause_samples(20480, 480), 0u);
}

TEST(NoiseFiller, HostileTimestampsStayBounded) {
    NoiseFiller filler(NoiseFillerConfig{});
    codec::NoiseDescription noise;
    for (int i = 0; i < 100; ++i) filler.insert(1000 * (i % 13) + 7 * i, noise);
    // Only the newest few are kept; a pause is found and bounded by the refresh timeout.
    const std::size_t n = filler.pause_samples(200000, 1 << 20);
    EXPECT_LE(n, 48000u);
}

}  // namespace
}  // namespace extrema::net
