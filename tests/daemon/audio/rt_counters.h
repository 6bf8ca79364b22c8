#pragma once
// Test-binary half of the real-time guard (daemon/audio/rt_guard.h). rt_counters.cpp replaces,
// for the whole test process, global operator new/delete and the malloc family (forwarding to
// glibc's __libc_* allocator) and interposes the pthread lock calls, semaphores and a few
// syscall wrappers (forwarding through dlsym(RTLD_NEXT)). Each counts a call only when it is made
// on a thread inside a RealtimeScope, i.e. inside one of our audio callbacks. Link it into a test
// binary and compare rt_counts() before and after a run: every field must stay the same.
#include <cstdint>

namespace extrema::audio::test {

struct RtCounts {
    std::uint64_t allocations = 0;  // operator new, malloc, calloc, realloc, aligned allocs
    std::uint64_t frees = 0;        // operator delete, free (free can unmap: a syscall)
    std::uint64_t locks = 0;        // mutex lock/trylock/timedlock, rwlock, spin lock, sem_wait
    std::uint64_t syscalls = 0;     // sem_post, sleeps, sched_yield, read, write

    RtCounts& operator+=(const RtCounts& b) {
        allocations += b.allocations;
        frees += b.frees;
        locks += b.locks;
        syscalls += b.syscalls;
        return *this;
    }
    friend RtCounts operator-(const RtCounts& a, const RtCounts& b) {
        return {a.allocations - b.allocations, a.frees - b.frees, a.locks - b.locks,
                a.syscalls - b.syscalls};
    }
};

// Totals since the process started.
RtCounts rt_counts() noexcept;

}  // namespace extrema::audio::test
