#!/usr/bin/env bash
# Installs what the project needs, builds, and runs every test: the release build's suite, then
# the same suite under AddressSanitizer + UndefinedBehaviorSanitizer.
# Usage: tools/scripts/test.sh [--quick]   (--quick: release build only)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

tools/scripts/install-deps.sh
jobs=$(nproc)

run_suite() {
  local preset=$1
  echo "== ${preset}: configure and build"
  cmake --preset "${preset}" >/dev/null
  cmake --build --preset "${preset}" -j"${jobs}"
  echo "== ${preset}: tests"
  ctest --preset "${preset}" -j"${jobs}"
}

run_suite release
if [[ "${1:-}" != "--quick" ]]; then
  run_suite asan
fi
