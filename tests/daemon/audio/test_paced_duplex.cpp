// The paced tone+null duplex: one thread captures and plays one block per period, pulling
// playback from its frame reader, and publishes every delivery.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

#include "audio/paced_duplex.h"
#include "audio/rt_guard.h"
#include "audio/tone_backend.h"
#include "audio_test_support.h"

namespace extrema::audio {
namespace {

using namespace std::chrono_literals;

// Counts what the playback side asked for, and whether it asked from a real-time scope.
class CountingReader final : public FrameReader {
  public:
    void read(std::span<float> out) noexcept override {
        if (!in_realtime_callback()) outside_scope_.store(true);
        std::fill(out.begin(), out.end(), 0.25f);
        asked_.fetch_add(out.size());
    }
    std::uint64_t asked() const { return asked_.load(); }
    bool outside_scope() const { return outside_scope_.load(); }

  private:
    std::atomic<std::uint64_t> asked_{0};
    std::atomic<bool> outside_scope_{false};
};

SourceThread::Fill tone_fill(const std::shared_ptr<ToneGenerator>& generator) {
    return [generator](std::span<float> block) { return generator->fill(block); };
}

TEST(PacedDuplex, CapturesAndPlaysOneBlockPerPeriodInRealTime) {
    SampleRing capture(48000);
    CountingReader reader;
    auto tone = std::make_shared<ToneGenerator>(ToneConfig{}, 1);
    PacedDuplex duplex(capture, reader, 48000, 10, tone_fill(tone), "tone + null");
    test::RingDrain drain(capture);
    duplex.start();
    std::this_thread::sleep_for(500ms);
    duplex.stop();
    const std::uint64_t frames = duplex.stats().frames;
    std::printf("[paced duplex] %llu frames in 0.5 s\n", static_cast<unsigned long long>(frames));
    EXPECT_GT(frames, 24000 * 0.8);
    EXPECT_LT(frames, 24000 * 1.2);
    // Every period played a block pulled from the reader, inside a real-time scope.
    EXPECT_EQ(reader.asked(), frames);
    EXPECT_FALSE(reader.outside_scope());
    // Every period delivered a block of tone and said when.
    const std::vector<float> captured = drain.finish();
    EXPECT_EQ(captured.size(), frames);
    const std::optional<Delivery> last = duplex.delivery_clock()->last();
    ASSERT_TRUE(last.has_value());
    EXPECT_EQ(last->frames, frames);
    EXPECT_EQ(last->block_frames, 480u);
    EXPECT_LE(last->at, std::chrono::steady_clock::now());
}

TEST(PacedDuplex, PlaysAsManyChannelsAsItCaptures) {
    SampleRing capture(48000, 2);
    CountingReader reader;
    auto tone = std::make_shared<ToneGenerator>(ToneConfig{}, 2);
    PacedDuplex duplex(capture, reader, 48000, 10, tone_fill(tone), "stereo");
    test::RingDrain drain(capture);
    duplex.start();
    std::this_thread::sleep_for(100ms);
    duplex.stop();
    EXPECT_EQ(duplex.channels(), 2);
    EXPECT_GT(duplex.stats().frames, 0u);
    EXPECT_EQ(reader.asked(), 2 * duplex.stats().frames);
}

TEST(DeliveryClock, SaysNothingBeforeTheFirstDelivery) {
    const DeliveryClock clock;
    EXPECT_FALSE(clock.last().has_value());
}

// A reader racing a publisher sees whole deliveries only, never fields of two different ones.
TEST(DeliveryClock, ReaderNeverSeesATornDelivery) {
    DeliveryClock clock;
    std::atomic<bool> done{false};
    std::atomic<std::uint64_t> reads{0};
    std::thread publisher([&] {
        for (std::uint64_t n = 1; n <= 200000; ++n) {
            clock.publish(n, static_cast<std::uint32_t>(n % 1000),
                          std::chrono::steady_clock::time_point(std::chrono::nanoseconds(n * 3)));
            // A real publisher pauses a period between publishes; back to back, a bounded
            // reader could find every look overlapping one and never read.
            for (int spin = 0; spin < 50 && reads.load(std::memory_order_relaxed) == 0; ++spin) {
                std::this_thread::yield();
            }
        }
        done = true;
    });
    std::uint64_t previous = 0;
    std::optional<Delivery> last_read;
    while (!done.load()) {
        const std::optional<Delivery> d = clock.last(last_read);
        if (!d) continue;
        last_read = d;
        ++reads;
        ASSERT_EQ(d->block_frames, d->frames % 1000);
        ASSERT_EQ(d->at.time_since_epoch(), std::chrono::nanoseconds(d->frames * 3));
        ASSERT_GE(d->frames, previous);  // and never goes back
        previous = d->frames;
    }
    publisher.join();
    EXPECT_EQ(clock.last()->frames, 200000u);
    EXPECT_GT(reads.load(), 0u);
}

}  // namespace

// A publisher preempted between its first and last store, as a SCHED_FIFO reader on the same CPU
// would leave it: the count stays odd until the publisher runs again.
struct DeliveryClockTestAccess {
    static void freeze_mid_publish(DeliveryClock& clock) {
        clock.sequence_.store(clock.sequence_.load() + 1);
    }
    static void resume_publish(DeliveryClock& clock) {
        clock.sequence_.store(clock.sequence_.load() + 1);
    }
};

namespace {

TEST(DeliveryClock, ReaderGivesUpOnAStalledPublishWithThePreviousValue) {
    DeliveryClock clock;
    const auto at = std::chrono::steady_clock::time_point(std::chrono::milliseconds(5));
    clock.publish(480, 480, at);
    const std::optional<Delivery> previous = clock.last();
    ASSERT_TRUE(previous.has_value());

    DeliveryClockTestAccess::freeze_mid_publish(clock);
    // Returns at all (before the bound, this spun for ever), with the caller's previous reading.
    const std::optional<Delivery> during = clock.last(previous);
    ASSERT_TRUE(during.has_value());
    EXPECT_EQ(during->frames, 480u);
    EXPECT_EQ(during->at, at);
    EXPECT_FALSE(clock.last().has_value());  // no previous reading: nothing

    DeliveryClockTestAccess::resume_publish(clock);
    clock.publish(960, 480, at + std::chrono::milliseconds(10));
    EXPECT_EQ(clock.last(previous)->frames, 960u);  // a finished publish is read, not the fallback
}

}  // namespace
}  // namespace extrema::audio
