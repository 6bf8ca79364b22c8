#!/usr/bin/env bash
# Perceived quality under random packet loss with and without RFC 2198 redundancy (the table of
# docs/quality.md, "Loss and redundancy"): tools/bench/loss_mos.sh once per redundancy level,
# every run scored by `extrema eval` (MOS-LQO) against the clean run of the same settings.
#   tools/bench/redundancy_mos.sh [EXTREMA] [OUT_DIR] [LOSSES] [SEEDS] [LEVELS] [LOOPBACK_OPTIONS...]
# (defaults: build/release/tools/extrema/extrema, redundancy_mos, "0 2 5 10 20 30", "1 2 3",
#  "0 1 2"). OUT_DIR gets one loss_mos TSV per level; the script prints the mean MOS and the
#  mean repaired packets per loss rate and level.
set -euo pipefail
here=$(dirname "${BASH_SOURCE[0]}")
extrema=${1:-build/release/tools/extrema/extrema}
out=${2:-redundancy_mos}
losses=${3:-0 2 5 10 20 30}
seeds=${4:-1 2 3}
levels=${5:-0 1 2}
shift $(($# < 5 ? $# : 5))
mkdir -p "$out"
for level in $levels; do
  "$here/loss_mos.sh" "$extrema" "$out/redundancy_$level.tsv" "$losses" "$seeds" \
    --redundancy "$level" "$@" >/dev/null
done
printf 'loss_pct'
for level in $levels; do printf '\tmos_red%s\trepaired_red%s' "$level" "$level"; done
printf '\n'
for loss in $losses; do
  printf '%s' "$loss"
  for level in $levels; do
    awk -F'\t' -v l="$loss" 'NR > 1 && $2 == l { s += $5; r += $6; n++ }
      END { printf "\t%.3f\t%.1f", s / n, r / n }' "$out/redundancy_$level.tsv"
  done
  printf '\n'
done
