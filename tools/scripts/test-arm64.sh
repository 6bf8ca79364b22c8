#!/usr/bin/env bash
# Cross-builds for 64-bit ARM (preset arm64, cmake/toolchain-aarch64.cmake) only what has to be
# proven there, the codec and the network layer with their test binaries, and runs those tests
# under qemu-user: each binary once (one emulated process per binary, where ctest would start one
# per test case and rebuild the codec's tables in each).
# Usage: tools/scripts/test-arm64.sh   (ctest --preset arm64 runs the same tests through ctest)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

tools/scripts/install-deps.sh
export CMAKE_C_COMPILER_LAUNCHER=ccache CMAKE_CXX_COMPILER_LAUNCHER=ccache
export CCACHE_BASEDIR="${PWD}" CCACHE_NOHASHDIR=1

echo "== arm64: configure and cross-build test_codec and test_net"
cmake --preset arm64 >/dev/null
cmake --build --preset arm64 -j"$(nproc)"

# The ImpairmentProxy tests hang inside Debian 12's qemu-user (7.2) when their io thread starts;
# they run natively in every other suite.
qemu_skip="ImpairmentProxy.*"
run() {
  local dir=$1
  shift
  echo "-- ${dir##*/}/$1 (qemu-aarch64)"
  (cd "build/arm64/${dir}" && qemu-aarch64 -L /usr/aarch64-linux-gnu "./$@" --gtest_brief=1)
}
echo "== arm64: tests under qemu-user"
run tests/codec test_codec
run tests/daemon/net test_net --gtest_filter="-${qemu_skip}"
