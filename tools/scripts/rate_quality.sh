#!/usr/bin/env bash
# Rate-quality table: extrema at target payload rates (encode --kbps, the link's 5 ms segment cap)
# against G.726 ADPCM (ffmpeg) and Opus (ffmpeg/libopus, voip) on the same files, one run.
# Material: the eight ALSA voice prompts and espeak-ng speech (three voices), all at 48 kHz.
# Quality: MOS-LQO from `extrema eval` (ViSQOL v3 speech), averaged over the files; rate: payload
# kbps (extrema: the records; G.726: its fixed rate; Opus: the packets' bytes, ffprobe).
# Usage: tools/scripts/rate_quality.sh BUILD_DIR [extrema kbps...]
# Environment: EXTREMA_ARGS, more `extrema encode` options (e.g. "--lowpass 4000");
# PEERS=0 leaves out G.726 and Opus (extrema variants only).
set -euo pipefail
build=${1:?build dir, e.g. build/release}
shift
rates=("${@:-16 24 32 48 64}")
read -r -a rates <<<"${rates[*]}"
extrema="$build/tools/extrema/extrema"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

files=()
for p in Front_Center Front_Left Front_Right Rear_Center Rear_Left Rear_Right Side_Left Side_Right; do
  files+=("/usr/share/sounds/alsa/$p.wav")
done
text="The quick brown fox jumps over the lazy dog. A low bandwidth voice link must keep its rate."
for voice in en en+f3 de; do
  espeak-ng -v "$voice" -s 160 -w "$work/raw_$voice.wav" "$text"
  sox "$work/raw_$voice.wav" -r 48000 "$work/espeak_$voice.wav"
  files+=("$work/espeak_$voice.wav")
done

mos() { "$extrema" eval "$1" "$2" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["mos"])'; }
seconds() { soxi -D "$1"; }
results="$work/results.tsv"
# One line per file and system: file, system, payload kbps, MOS-LQO (also to stderr: progress).
record() { # file system payload_bytes decoded.wav
  local kbps m
  kbps=$(python3 -c "print($3 * 8 / $(seconds "$1") / 1000)")
  m=$(mos "$1" "$4")
  printf '%s\t%s\t%s\t%s\n' "$(basename "$1")" "$2" "$kbps" "$m" | tee -a "$results" >&2
}

for f in "${files[@]}"; do
  for k in "${rates[@]}"; do
    # shellcheck disable=SC2086 # EXTREMA_ARGS is a list of options
    "$extrema" encode "$f" "$work/x.xtr" --kbps "$k" --max-segment-ms 5 ${EXTREMA_ARGS:-} >/dev/null
    "$extrema" decode "$work/x.xtr" "$work/x.wav" >/dev/null
    # the .xtr header is a few bytes next to a second of records
    record "$f" "extrema $k${EXTREMA_ARGS:+ $EXTREMA_ARGS}" "$(stat -c %s "$work/x.xtr")" "$work/x.wav"
  done
  [[ ${PEERS:-1} == 0 ]] && continue
  for k in 16 24 32 40; do
    ffmpeg -nostdin -loglevel error -y -i "$f" -ar 8000 -c:a g726 -b:a "${k}k" -f g726 "$work/x.g726"
    ffmpeg -nostdin -loglevel error -y -f g726 -code_size $((k / 8)) -ar 8000 -i "$work/x.g726" \
      -ar 48000 -ac 1 -c:a pcm_s16le "$work/g.wav"
    record "$f" "G.726 $k" "$(stat -c %s "$work/x.g726")" "$work/g.wav"
  done
  for k in 16 24 32; do
    ffmpeg -nostdin -loglevel error -y -i "$f" -c:a libopus -application voip -b:a "${k}k" "$work/x.ogg"
    ffmpeg -nostdin -loglevel error -y -i "$work/x.ogg" -ar 48000 -ac 1 -c:a pcm_s16le "$work/o.wav"
    payload=$(ffprobe -v error -select_streams a -show_entries packet=size -of csv=p=0 "$work/x.ogg" |
      awk '{s += $1} END {print s}')
    record "$f" "Opus $k" "$payload" "$work/o.wav"
  done
done

python3 - "$results" <<'PY'
import collections, sys
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    _, system, kbps, mos = line.rstrip("\n").split("\t")
    rows[system].append((float(kbps), float(mos)))
files = max(len(v) for v in rows.values())
print(f"| system | payload kbps (mean) | MOS-LQO (mean of {files} files) | lowest file |")
print("|---|---|---|---|")
for system, v in sorted(rows.items(), key=lambda kv: (kv[0].split()[0], float(kv[0].split()[1]))):
    print(f"| {system} | {sum(k for k, _ in v) / len(v):.1f} | {sum(m for _, m in v) / len(v):.2f} | "
          f"{min(m for _, m in v):.2f} |")
PY
