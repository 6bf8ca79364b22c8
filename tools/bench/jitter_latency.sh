#!/usr/bin/env bash
# Latency and late packets under network jitter (the jitter table of docs/loopback.md): the eight
# alsa-utils prompts, one after another, through `extrema loopback` in real time with the
# receiver's defaults (the adaptive target, never told the jitter) and the proxy's uniform jitter
# of 0..J ms, one run per seed.
#   tools/bench/jitter_latency.sh [EXTREMA] [OUT_TSV] [JITTERS] [SEEDS] [LOOPBACK_OPTIONS...]
# (defaults: build/release/tools/extrema/extrema, jitter_latency.tsv, "0 20 60", "1 2 3"; the
#  options go to every run, e.g. --speed 5)
# OUT_TSV holds every run: jitter, seed, packets, late, lost, concealed samples, the packets and
# late ones after the first 2 s, the end-to-end latency's 1-s averages (first, last, min, max, ms)
# and MOS against the clean run.
set -euo pipefail
extrema=${1:-build/release/tools/extrema/extrema}
out=${2:-jitter_latency.tsv}
jitters=${3:-0 20 60}
seeds=${4:-1 2 3}
shift $(($# < 4 ? $# : 4))
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work/prompts.wav" <<'PY'
import glob, sys, wave
names = ["Front_Center", "Front_Left", "Front_Right", "Rear_Center", "Rear_Left", "Rear_Right",
         "Side_Left", "Side_Right"]
ins = [wave.open(f"/usr/share/sounds/alsa/{n}.wav") for n in names]
out = wave.open(sys.argv[1], "wb")
out.setparams(ins[0].getparams())
for w in ins:
    out.writeframes(w.readframes(w.getnframes()))
PY
field() { python3 -c "import json,sys; r=json.load(sys.stdin); print($1)"; }
"$extrema" loopback "$work/prompts.wav" "$work/clean.wav" "$@" >/dev/null
printf 'jitter_ms\tseed\tpackets\tlate\tlost\tconcealed_samples\tsettled_packets\tsettled_late\tfirst_ms\tlast_ms\tmin_ms\tmax_ms\tmos\n' \
  >"$out"
for jitter in $jitters; do
  for seed in $seeds; do
    report=$("$extrema" loopback "$work/prompts.wav" "$work/out.wav" \
      --jitter-ms "$jitter" --seed "$seed" --json "$@")
    row=$(field '"\t".join(str(x) for x in [r["links"]["receiver"]["rx"]["packets"],
      r["links"]["receiver"]["rx"]["late"], r["links"]["receiver"]["rx"]["lost"],
      r["concealed_while_streaming"], r["settled"]["packets"], r["settled"]["late"],
      r["latency_ms"]["first"], r["latency_ms"]["last"],
      r["latency_ms"]["min"], r["latency_ms"]["max"]])' <<<"$report")
    mos=$("$extrema" eval "$work/clean.wav" "$work/out.wav" --json | field 'r["mos"]')
    printf '%s\t%s\t%s\t%s\n' "$jitter" "$seed" "$row" "$mos" >>"$out"
  done
done
cat "$out"
