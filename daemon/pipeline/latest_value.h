#pragma once
// LatestValue<T>: hands the newest copy of a value from one writer thread to one reader thread
// without locks (a triple buffer). The writer fills writing() and publish()es it; the reader's
// latest() is the newest published copy, never a half-written one. Writes never wait and never
// fail, so it suits a writer on an audio callback. T must be cheap to copy-assign.
#include <array>
#include <atomic>
#include <cstdint>

namespace extrema::pipeline {

template <class T>
class LatestValue {
  public:
    // Writer: the slot to fill, then publish() it.
    T& writing() noexcept { return slots_[write_]; }
    void publish() noexcept {
        write_ = middle_.exchange(static_cast<std::uint8_t>(write_ | kFresh),
                                  std::memory_order_acq_rel) &
                 kIndex;
    }

    // Reader: the newest published value (a default T before the first publish()).
    const T& latest() noexcept {
        if ((middle_.load(std::memory_order_relaxed) & kFresh) != 0) {
            read_ = middle_.exchange(read_, std::memory_order_acq_rel) & kIndex;
        }
        return slots_[read_];
    }

  private:
    static constexpr std::uint8_t kIndex = 3;
    static constexpr std::uint8_t kFresh = 4;  // the middle slot holds a value not yet read

    std::array<T, 3> slots_{};
    std::atomic<std::uint8_t> middle_{1};
    std::uint8_t write_ = 0;  // writer only
    std::uint8_t read_ = 2;   // reader only
};

}  // namespace extrema::pipeline
