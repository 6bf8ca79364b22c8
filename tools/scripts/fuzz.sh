#!/usr/bin/env bash
# Builds the libFuzzer targets (preset `fuzz`: clang, ASan + UBSan) and runs each for a while,
# for runs longer than the short ones `ctest -L fuzz` does.
# Usage: tools/scripts/fuzz.sh [seconds per target, default 60] [target...]   (default: all)
# New inputs are kept in build/fuzz/tests/fuzz/corpus/<target>/ (the checked-in seeds in
# tests/fuzz/corpus/ are only read); a crashing input lands in build/fuzz/tests/fuzz/artifacts/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

seconds=${1:-60}
shift || true
targets=("$@")
if ((${#targets[@]} == 0)); then
  targets=(fuzz_packet_validator fuzz_xtr_parser fuzz_srtp_key fuzz_record_stream)
fi
jobs=${FUZZ_BUILD_JOBS:-2}

cmake --preset fuzz >/dev/null
cmake --build build/fuzz -j"${jobs}" --target "${targets[@]}"

dir=build/fuzz/tests/fuzz
status=0
for target in "${targets[@]}"; do
  mkdir -p "${dir}/corpus/${target}" "${dir}/artifacts"
  echo "== ${target}: ${seconds} s"
  if ! "${dir}/${target}" -max_total_time="${seconds}" -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="${dir}/artifacts/${target}-" \
      "${dir}/corpus/${target}" "tests/fuzz/corpus/${target}" 2>"${dir}/${target}.log"; then
    echo "${target}: FAILED, see ${dir}/${target}.log and ${dir}/artifacts/" >&2
    status=1
  fi
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "${dir}/${target}.log" || true
done
exit "${status}"
