#include "extrema/codec/simd_path.h"

#include <algorithm>
#include <atomic>

namespace extrema::codec {
namespace {

SimdPath detect() noexcept {
#if defined(__x86_64__)
    __builtin_cpu_init();  // may run among the static initialisers
    if (__builtin_cpu_supports("avx512f")) return SimdPath::kAvx512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return SimdPath::kAvx2;
#endif
    return SimdPath::kPortable;
}

// Read when a matcher is made and once per long curve a decoder renders, never per sample.
std::atomic<SimdPath>& current() noexcept {
    static std::atomic<SimdPath> path{detected_simd_path()};
    return path;
}

}  // namespace

SimdPath detected_simd_path() noexcept {
    static const SimdPath detected = detect();
    return detected;
}

SimdPath simd_path() noexcept {
    return current().load(std::memory_order_relaxed);
}

SimdPath force_simd_path(SimdPath path) noexcept {
    return current().exchange(std::min(path, detected_simd_path()), std::memory_order_relaxed);
}

std::string_view simd_path_name(SimdPath path) noexcept {
    switch (path) {
        case SimdPath::kAvx2:
            return "avx2";
        case SimdPath::kAvx512:
            return "avx512";
        case SimdPath::kPortable:
            break;
    }
    return "portable";
}

}  // namespace extrema::codec
