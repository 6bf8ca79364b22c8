#pragma once
// The one place where the codec picks the instruction set of its hot loops (the curve search and
// the decoder's long curves). Every path computes the same float operations in the same order,
// so records and decoded samples are bit for bit the same on every path and every CPU; the wide
// paths are only faster. x86-64 CPUs run the widest path they have; every other CPU runs the
// portable one (plain C++, which the compiler vectorises where it can, e.g. NEON on aarch64).
#include <string_view>

namespace extrema::codec {

enum class SimdPath {
    kPortable,  // any CPU
    kAvx2,      // x86-64 with AVX2 and FMA
    kAvx512,    // x86-64 with AVX-512F
};

// The widest path this CPU runs.
SimdPath detected_simd_path() noexcept;
// The path that matchers created from now on use, and decoders from their next curve on:
// detected_simd_path() unless a narrower one was forced.
SimdPath simd_path() noexcept;
// Forces `path` (or the detected one, if `path` is wider) from now on, so that tests and diagnosis
// can compare the paths; returns the path it replaces.
SimdPath force_simd_path(SimdPath path) noexcept;
std::string_view simd_path_name(SimdPath path) noexcept;

}  // namespace extrema::codec
