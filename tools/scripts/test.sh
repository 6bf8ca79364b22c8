#!/usr/bin/env bash
# Installs what the project needs, builds, and runs every test:
#   1. the release build's whole suite (unit, integration, JACK, headless browser), then its .deb
#      through lintian (tools/scripts/check-deb.sh);
#   2. the same suite under AddressSanitizer + UndefinedBehaviorSanitizer;
#   3. the threaded parts (network, pipeline, audio I/O, service) under ThreadSanitizer;
#   4. the codec and network tests cross-built for arm64 and run under qemu-user (test-arm64.sh);
#   5. each libFuzzer target for a short run over its corpus (clang, ASan + UBSan).
# Usage: tools/scripts/test.sh [--quick]   (--quick: the release suite only)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

tools/scripts/install-deps.sh
jobs=$(nproc)
# Builds reuse the objects of earlier builds through ccache, with paths taken relative to this
# tree, so any checkout of the same sources shares them; a cold cache only costs the first build.
export CMAKE_C_COMPILER_LAUNCHER=ccache CMAKE_CXX_COMPILER_LAUNCHER=ccache
export CCACHE_BASEDIR="${PWD}" CCACHE_NOHASHDIR=1

run_suite() {
  local preset=$1
  echo "== ${preset}: configure and build"
  cmake --preset "${preset}" >/dev/null
  cmake --build --preset "${preset}" -j"${jobs}"
  echo "== ${preset}: tests"
  # A test that fails is run once more before it fails the suite: the JACK and link tests play on
  # real-time clocks, and a 2-core host shared with a build can stall them (their logs say so).
  ctest --preset "${preset}" -j"${jobs}" --repeat until-pass:2
}

run_suite release
echo "== release: the .deb, checked by lintian"
tools/scripts/check-deb.sh
[[ "${1:-}" == "--quick" ]] && exit 0
run_suite asan

echo "== tsan: configure and build the threaded parts"
tsan_tests=(
  tests/daemon/net/test_net
  tests/daemon/audio/test_audio_io
  tests/daemon/pipeline/test_pipeline
  tests/daemon/pipeline/test_drift
  tests/daemon/service/test_service
)
cmake --preset tsan >/dev/null
cmake --build --preset tsan -j"${jobs}" --target "${tsan_tests[@]##*/}"
echo "== tsan: tests"
for test in "${tsan_tests[@]}"; do
  echo "-- ${test##*/}"
  TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" "build/tsan/${test}" --gtest_brief=1
done

tools/scripts/test-arm64.sh

echo "== fuzz: a short run of every target (defined in tests/fuzz/CMakeLists.txt)"
FUZZ_BUILD_JOBS="${jobs}" tools/scripts/fuzz.sh 15
