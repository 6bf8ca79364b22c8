// Interposers that count allocations, locks and some syscalls made inside a RealtimeScope. They
// replace the C library's and libstdc++'s symbols for the whole test executable (an executable's
// definitions come first in the dynamic symbol lookup), so calls from our code, from inline
// library templates and from shared libraries alike go through here. Outside a RealtimeScope they
// only forward.
#include "rt_counters.h"

#include <dlfcn.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <new>

#include "audio/rt_guard.h"

extern "C" {
// glibc's allocator under its own names: forwarding to them needs no dlsym (which allocates).
void* __libc_malloc(std::size_t size);
void __libc_free(void* ptr);
void* __libc_calloc(std::size_t count, std::size_t size);
void* __libc_realloc(void* ptr, std::size_t size);
void* __libc_memalign(std::size_t alignment, std::size_t size);
}

namespace {

std::atomic<std::uint64_t> g_allocations{0};
std::atomic<std::uint64_t> g_frees{0};
std::atomic<std::uint64_t> g_locks{0};
std::atomic<std::uint64_t> g_syscalls{0};

inline void note(std::atomic<std::uint64_t>& counter) noexcept {
    if (extrema::audio::in_realtime_callback()) counter.fetch_add(1, std::memory_order_relaxed);
}

// The next definition of `name` after this executable (glibc's). Resolved on first use without a
// function-local static (whose guard would itself take a lock); a race only resolves twice.
template <typename Fn>
Fn real(std::atomic<Fn>& slot, const char* name) noexcept {
    Fn fn = slot.load(std::memory_order_relaxed);
    if (fn == nullptr) {
        fn = reinterpret_cast<Fn>(dlsym(RTLD_NEXT, name));
        if (fn == nullptr) std::abort();
        slot.store(fn, std::memory_order_relaxed);
    }
    return fn;
}

void* allocate(std::size_t size) {
    note(g_allocations);
    if (void* p = __libc_malloc(size == 0 ? 1 : size)) return p;
    throw std::bad_alloc();
}

void* allocate_aligned(std::size_t size, std::align_val_t alignment) {
    note(g_allocations);
    if (void* p = __libc_memalign(static_cast<std::size_t>(alignment), size == 0 ? 1 : size)) {
        return p;
    }
    throw std::bad_alloc();
}

void release(void* p) noexcept {
    if (p == nullptr) return;
    note(g_frees);
    __libc_free(p);
}

}  // namespace

namespace extrema::audio::test {

RtCounts rt_counts() noexcept {
    return {g_allocations.load(), g_frees.load(), g_locks.load(), g_syscalls.load()};
}

}  // namespace extrema::audio::test

// --- the C allocator ---

extern "C" {

void* malloc(std::size_t size) noexcept {
    note(g_allocations);
    return __libc_malloc(size);
}

void free(void* ptr) noexcept {
    release(ptr);
}

void* calloc(std::size_t count, std::size_t size) noexcept {
    note(g_allocations);
    return __libc_calloc(count, size);
}

void* realloc(void* ptr, std::size_t size) noexcept {
    note(g_allocations);
    return __libc_realloc(ptr, size);
}

void* memalign(std::size_t alignment, std::size_t size) noexcept {
    note(g_allocations);
    return __libc_memalign(alignment, size);
}

void* aligned_alloc(std::size_t alignment, std::size_t size) noexcept {
    note(g_allocations);
    return __libc_memalign(alignment, size);
}

int posix_memalign(void** out, std::size_t alignment, std::size_t size) noexcept {
    note(g_allocations);
    if (alignment % sizeof(void*) != 0 || (alignment & (alignment - 1)) != 0) return EINVAL;
    void* p = __libc_memalign(alignment, size);
    if (p == nullptr) return ENOMEM;
    *out = p;
    return 0;
}

// --- locks and waits ---

#define EXTREMA_FORWARD(counter, ret, name, params, args) \
    ret name params noexcept {                            \
        static std::atomic<ret(*) params> slot{nullptr};  \
        note(counter);                                    \
        return real(slot, #name) args;                    \
    }

EXTREMA_FORWARD(g_locks, int, pthread_mutex_lock, (pthread_mutex_t * m), (m))
EXTREMA_FORWARD(g_locks, int, pthread_mutex_trylock, (pthread_mutex_t * m), (m))
EXTREMA_FORWARD(g_locks, int, pthread_mutex_timedlock,
                (pthread_mutex_t * m, const struct timespec* t), (m, t))
EXTREMA_FORWARD(g_locks, int, pthread_rwlock_rdlock, (pthread_rwlock_t * l), (l))
EXTREMA_FORWARD(g_locks, int, pthread_rwlock_wrlock, (pthread_rwlock_t * l), (l))
EXTREMA_FORWARD(g_locks, int, pthread_spin_lock, (pthread_spinlock_t * l), (l))
EXTREMA_FORWARD(g_locks, int, sem_wait, (sem_t * s), (s))
EXTREMA_FORWARD(g_locks, int, sem_timedwait, (sem_t * s, const struct timespec* t), (s, t))

// --- syscalls an audio callback must not make ---

EXTREMA_FORWARD(g_syscalls, int, sem_post, (sem_t * s), (s))
EXTREMA_FORWARD(g_syscalls, int, nanosleep, (const struct timespec* t, struct timespec* r), (t, r))
EXTREMA_FORWARD(g_syscalls, int, clock_nanosleep,
                (clockid_t c, int f, const struct timespec* t, struct timespec* r), (c, f, t, r))
EXTREMA_FORWARD(g_syscalls, int, usleep, (useconds_t u), (u))
EXTREMA_FORWARD(g_syscalls, int, sched_yield, (), ())
EXTREMA_FORWARD(g_syscalls, ssize_t, read, (int fd, void* buf, size_t n), (fd, buf, n))
EXTREMA_FORWARD(g_syscalls, ssize_t, write, (int fd, const void* buf, size_t n), (fd, buf, n))

#undef EXTREMA_FORWARD

}  // extern "C"

// --- operator new and delete, every form ---

void* operator new(std::size_t size) {
    return allocate(size);
}
void* operator new[](std::size_t size) {
    return allocate(size);
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
    note(g_allocations);
    return __libc_malloc(size == 0 ? 1 : size);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
    note(g_allocations);
    return __libc_malloc(size == 0 ? 1 : size);
}
void* operator new(std::size_t size, std::align_val_t a) {
    return allocate_aligned(size, a);
}
void* operator new[](std::size_t size, std::align_val_t a) {
    return allocate_aligned(size, a);
}
void* operator new(std::size_t size, std::align_val_t a, const std::nothrow_t&) noexcept {
    note(g_allocations);
    return __libc_memalign(static_cast<std::size_t>(a), size == 0 ? 1 : size);
}
void* operator new[](std::size_t size, std::align_val_t a, const std::nothrow_t&) noexcept {
    note(g_allocations);
    return __libc_memalign(static_cast<std::size_t>(a), size == 0 ? 1 : size);
}

void operator delete(void* p) noexcept {
    release(p);
}
void operator delete[](void* p) noexcept {
    release(p);
}
void operator delete(void* p, std::size_t) noexcept {
    release(p);
}
void operator delete[](void* p, std::size_t) noexcept {
    release(p);
}
void operator delete(void* p, std::align_val_t) noexcept {
    release(p);
}
void operator delete[](void* p, std::align_val_t) noexcept {
    release(p);
}
void operator delete(void* p, std::size_t, std::align_val_t) noexcept {
    release(p);
}
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept {
    release(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
    release(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
    release(p);
}
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept {
    release(p);
}
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept {
    release(p);
}
