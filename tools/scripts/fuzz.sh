#!/usr/bin/env bash
# Builds the libFuzzer targets (preset `fuzz`: clang, ASan + UBSan) and runs each for a while
# through ctest: the targets, their flags and corpora are defined once, in tests/fuzz/CMakeLists.txt.
# Usage: tools/scripts/fuzz.sh [seconds per target, default 60] [target...]   (default: all)
# New inputs are kept in build/fuzz/tests/fuzz/corpus/<target>/ (the checked-in seeds in
# tests/fuzz/corpus/ are only read); a crashing input lands in build/fuzz/tests/fuzz/artifacts/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

seconds=${1:-60}
shift || true
jobs=${FUZZ_BUILD_JOBS:-2}

cmake --preset fuzz -DEXTREMA_FUZZ_SECONDS="${seconds}" >/dev/null
targets=("$@")
if ((${#targets[@]} == 0)); then
  mapfile -t targets < <(ctest --test-dir build/fuzz -N -L fuzz | sed -n 's/^ *Test *#[0-9]*: //p')
fi
cmake --build build/fuzz -j"${jobs}" --target "${targets[@]}"
filter="^($(IFS='|'; echo "${targets[*]}"))\$"
ctest --test-dir build/fuzz -L fuzz -R "${filter}" --output-on-failure --timeout $((seconds + 120))
