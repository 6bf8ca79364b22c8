#pragma once
// The real-time marker. Every audio callback (and the null sink's paced pop, which stands in for
// one) opens a RealtimeScope for the time it runs, which sets a thread_local flag. Production code
// does nothing else with it: the flag is there so the test binaries can count allocations, lock and
// blocking calls made while it is set (tests/daemon/audio/rt_counters.*, which replace operator
// new/delete, the malloc family and pthread_mutex_lock & co. in the test binary only) and prove
// the rules of SPEC §1: no lock, allocation, logging, syscall or exception in a callback.
//
// The flag is a plain bool in static TLS with constant initialisation, so setting and reading it
// is one move relative to the thread pointer: no TLS wrapper call, no __tls_get_addr, no syscall.

namespace extrema::audio {

namespace detail {
// Defined in rt_guard.cpp. initial-exec: the audio library is linked into executables, never
// dlopen'ed, so the flag sits in static TLS and access never allocates.
extern constinit thread_local bool t_in_realtime_callback
    __attribute__((tls_model("initial-exec")));
}  // namespace detail

// True while the calling thread is inside a real-time callback.
inline bool in_realtime_callback() noexcept {
    return detail::t_in_realtime_callback;
}

// Marks the calling thread as real-time for its lifetime. Nests (restores the previous state).
class RealtimeScope {
  public:
    RealtimeScope() noexcept : previous_(detail::t_in_realtime_callback) {
        detail::t_in_realtime_callback = true;
    }
    ~RealtimeScope() { detail::t_in_realtime_callback = previous_; }
    RealtimeScope(const RealtimeScope&) = delete;
    RealtimeScope& operator=(const RealtimeScope&) = delete;

  private:
    bool previous_;
};

}  // namespace extrema::audio
