#pragma once
// Counts the global operator new calls made on this thread while an AllocationCounter lives
// (allocation_counter.cpp, compiled into the test binaries that use it, replaces the global
// allocation functions for the whole binary).
#include <cstdint>

namespace extrema::test {

class AllocationCounter {
  public:
    AllocationCounter();
    ~AllocationCounter();
    AllocationCounter(const AllocationCounter&) = delete;
    AllocationCounter& operator=(const AllocationCounter&) = delete;
    std::uint64_t count() const;
};

}  // namespace extrema::test
