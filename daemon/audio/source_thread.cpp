#include "audio/source_thread.h"

#include <chrono>
#include <utility>

#include <pthread.h>

#include "audio/audio_backend.h"

namespace extrema::audio {
namespace {

// How long a fast source waits for room before looking again. Short enough that a test's
// consumer is never starved, long enough not to burn a core of a 2-core machine spinning.
constexpr auto kFastModeRetry = std::chrono::microseconds(200);

}  // namespace

SourceThread::SourceThread(SampleRing& ring, int rate_hz, int block_ms, Pacing pacing, Fill fill,
                           AfterBlock after_block, Pace pace)
    : ring_(ring),
      rate_hz_(rate_hz),
      block_frames_(static_cast<std::size_t>(rate_hz) * static_cast<std::size_t>(block_ms) / 1000),
      channels_(static_cast<std::size_t>(ring.channels())),
      pacing_(pacing),
      pace_(pace),
      fill_(std::move(fill)),
      after_block_(std::move(after_block)) {
    if (rate_hz < 1) throw AudioError("source rate must be positive");
    if (block_frames_ == 0) block_frames_ = 1;
    block_.resize(block_frames_ * channels_);
}

SourceThread::~SourceThread() {
    stop_requested_ = true;
    if (thread_.joinable()) thread_.join();
}

void SourceThread::start() {
    if (thread_.joinable() || finished()) return;
    stop_requested_ = false;
    thread_ = std::thread([this] { run(); });
}

void SourceThread::stop() {
    stop_requested_ = true;
    if (thread_.joinable()) thread_.join();
    if (failure_) {
        auto failure = std::exchange(failure_, nullptr);
        std::rethrow_exception(failure);
    }
}

void SourceThread::run() noexcept {
    pthread_setname_np(pthread_self(), kSourceThreadName);
    try {
        if (pacing_ == Pacing::kRealTime) {
            sched_param priority{};
            priority.sched_priority = kRealTimeSourcePriority;
            pthread_setschedparam(pthread_self(), SCHED_FIFO, &priority);
            run_paced();
        } else {
            run_fast();
        }
    } catch (...) {
        failure_ = std::current_exception();
    }
    finished_.store(true, std::memory_order_release);
}

void SourceThread::run_paced() {
    using Clock = std::chrono::steady_clock;
    const auto t0 = Clock::now();
    std::uint64_t produced = 0;
    bool more = true;
    while (more && !stop_requested_.load(std::memory_order_relaxed)) {
        const std::size_t n = fill_(std::span<float>(block_));
        more = n == block_.size();
        const std::uint64_t frames = n / channels_;
        produced += frames;
        // A device delivers a block once it has been recorded: at the end of its span. The
        // deadline is computed from the start, in integers, so rounding never accumulates.
        const auto due =
            t0 + pace_.wall(std::chrono::nanoseconds(produced * 1'000'000'000ULL /
                                                     static_cast<std::uint64_t>(rate_hz_)));
        std::this_thread::sleep_until(due);
        ring_.push(std::span<const float>(block_.data(), n));
        frames_.fetch_add(frames, std::memory_order_relaxed);
        delivery_.publish(produced, static_cast<std::uint32_t>(frames), Clock::now());
        if (after_block_) after_block_();
    }
}

void SourceThread::run_fast() {
    bool more = true;
    while (more && !stop_requested_.load(std::memory_order_relaxed)) {
        const std::size_t n = fill_(std::span<float>(block_));
        more = n == block_.size();
        std::span<const float> rest(block_.data(), n);
        while (!rest.empty()) {
            rest = rest.subspan(ring_.push_available(rest));
            if (rest.empty()) break;
            if (stop_requested_.load(std::memory_order_relaxed)) return;
            std::this_thread::sleep_for(kFastModeRetry);
        }
        frames_.fetch_add(n / channels_, std::memory_order_relaxed);
    }
}

}  // namespace extrema::audio
