#!/usr/bin/env bash
# Perceived quality under random packet loss (the concealment table of docs/loopback.md): the
# rate-quality bench's ten files (the eight alsa-utils prompts, one espeak-ng passage in two
# voices), each through `extrema loopback` at every loss rate and seed, scored by
# `extrema eval` (MOS-LQO) against the same binary's clean run of that prompt.
#   tools/bench/loss_mos.sh [EXTREMA] [OUT_TSV] [LOSSES] [SEEDS] [LOOPBACK_OPTIONS...]
# (defaults: build/release/tools/extrema/extrema, loss_mos.tsv, "1 3 5 10", "1 2 3 4 5"; the
#  options go to every `extrema loopback`, e.g. --jitter-target-ms 300 so that a loaded machine
#  makes no packet late and only the injected loss is concealed, or --burst L for bursty loss)
# Prints the mean MOS per loss rate; OUT_TSV holds every run (file, loss, seed, concealed
# samples, MOS, packets repaired from redundancy, the wire rate with IPv4/UDP headers).
set -euo pipefail
extrema=${1:-build/release/tools/extrema/extrema}
out=${2:-loss_mos.tsv}
losses=${3:-1 3 5 10}
seeds=${4:-1 2 3 4 5}
shift $(($# < 4 ? $# : 4))
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
json_field() { sed -n "s/.*\"$1\": *\([0-9.]*\).*/\1/p"; }
# The IPA's standard passage, as in tools/bench/rate_quality.sh.
text="The North Wind and the Sun were disputing which was the stronger, when a traveler came \
along wrapped in a warm cloak."
espeak-ng -v en-us -w "$work/espeak_en-us.wav" "$text"
espeak-ng -v en-gb+f3 -w "$work/espeak_en-gb-f3.wav" "$text"
files=()
for prompt in Front_Center Front_Left Front_Right Rear_Center Rear_Left Rear_Right Side_Left \
              Side_Right; do
  files+=("/usr/share/sounds/alsa/$prompt.wav")
done
files+=("$work/espeak_en-us.wav" "$work/espeak_en-gb-f3.wav")
printf 'file\tloss_pct\tseed\tconcealed_samples\tmos\trepaired_packets\tip_kbps\n' >"$out"
for in in "${files[@]}"; do
  name=$(basename "$in" .wav)
  # --speed 5: the proxy makes the same decisions for a seed at any pace.
  "$extrema" loopback "$in" "$work/clean.wav" --speed 5 "$@" >/dev/null
  for loss in $losses; do
    for seed in $seeds; do
      report=$("$extrema" loopback "$in" "$work/lossy.wav" --speed 5 --loss "$loss" \
        --seed "$seed" --json "$@")
      concealed=$(json_field concealed_samples <<<"$report")
      repaired=$(json_field repaired_packets <<<"$report")
      ip_kbps=$(json_field ip_kbps <<<"$report")
      mos=$("$extrema" eval "$work/clean.wav" "$work/lossy.wav" --json | json_field mos)
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$loss" "$seed" "$concealed" "$mos" \
        "$repaired" "$ip_kbps" >>"$out"
    done
  done
done
awk -F'\t' 'NR > 1 { sum[$2] += $5; n[$2]++ }
  END { for (l in sum) printf "loss %s %%: mean MOS %.3f over %d runs\n", l, sum[l] / n[l], n[l] }' \
  "$out" | sort -t' ' -k2 -n
