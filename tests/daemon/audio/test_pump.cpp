// Pump: the clock of a sink without one. Its pulls must keep their pace while the write blocks
// (a disk sync), and every frame pulled must be written, in order.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <future>
#include <vector>

#include "audio/audio_backend.h"
#include "audio/pump.h"
#include "audio_test_support.h"

namespace extrema::audio {
namespace {

using namespace std::chrono_literals;

constexpr int kRateHz = 48000;

// Plays a ramp: sample n is n, so a lost, repeated or reordered frame shows.
class CountingReader final : public FrameReader {
  public:
    void read(std::span<float> out) noexcept override {
        for (float& s : out) s = static_cast<float>(next_++);
        periods_.fetch_add(1, std::memory_order_relaxed);
    }
    int periods() const noexcept { return periods_.load(std::memory_order_relaxed); }

  private:
    std::uint32_t next_ = 0;
    std::atomic<int> periods_{0};
};

TEST(Pump, PullsKeepTheirPaceWhileTheWriteBlocksAndNothingIsLost) {
    CountingReader reader;
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    std::vector<float> written;
    bool first = true;
    Pump pump(reader, kRateHz, 1, 2ms, [&](std::span<const float> frames) {
        if (first) {
            first = false;
            released.wait();  // the write blocks, as a sync on a slow disk does
        }
        written.insert(written.end(), frames.begin(), frames.end());
    });
    pump.start();
    // 50 periods pulled while the first write is still blocked: the pull does not wait for it.
    const bool pulled = test::wait_until([&] { return reader.periods() >= 50; }, 10s);
    release.set_value();
    EXPECT_TRUE(pulled) << "only " << reader.periods() << " periods pulled behind a blocked write";
    test::wait_until([&] { return reader.periods() >= 100; }, 10s);
    pump.stop();
    ASSERT_EQ(written.size(), static_cast<std::size_t>(reader.periods()) * (kRateHz / 500));
    for (std::size_t i = 0; i < written.size(); ++i) {
        ASSERT_EQ(written[i], static_cast<float>(i)) << "frame " << i;
    }
}

TEST(Pump, RefusesANonPositivePeriod) {
    CountingReader reader;
    EXPECT_THROW(Pump(reader, kRateHz, 1, 0us, [](std::span<const float>) {}), AudioError);
    EXPECT_THROW(Pump(reader, 0, 1, 2ms, [](std::span<const float>) {}), AudioError);
    EXPECT_THROW(Pump(reader, kRateHz, 0, 2ms, [](std::span<const float>) {}), AudioError);
}

}  // namespace
}  // namespace extrema::audio
