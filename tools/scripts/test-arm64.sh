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
arm64_json="${PWD}/build/arm64/test_codec.json"
run tests/codec test_codec --gtest_output="json:${arm64_json}"
run tests/daemon/net test_net --gtest_filter="-${qemu_skip}"

# The same records and samples on both CPUs: the digest of test_simd_path's material, natively
# (the release build that test.sh made before) and under qemu.
echo "== arm64: records and decoded samples the same as on this CPU"
native=build/release/tests/codec/test_codec
if [[ ! -x ${native} ]]; then
  echo "arm64: ${native} is missing: run the release build first (tools/scripts/test.sh does)" >&2
  exit 1
fi
native_json=$(mktemp)
"${native}" --gtest_filter='SimdPath.EveryPath*' --gtest_brief=1 --gtest_output="json:${native_json}" >/dev/null
digests() { grep -o '"output_digest": "[0-9a-f]*"' "$1" || true; }
x86=$(digests "${native_json}")
arm=$(digests "${arm64_json}")
rm -f "${native_json}"
echo "${x86//$'\n'/ } (this CPU)"
echo "${arm//$'\n'/ } (arm64)"
[[ -n ${x86} && ${x86} == "${arm}" ]] || { echo "arm64: records or samples differ" >&2; exit 1; }
