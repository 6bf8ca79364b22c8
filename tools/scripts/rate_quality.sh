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

mos() {
  local m
  m=$("$extrema" eval "$1" "$2" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["mos"])')
  echo "$(basename "$1") $name: MOS $m" >&2
  echo "$m"
}
seconds() { soxi -D "$1"; }

# system name, then per file "mos kbps" lines, averaged at the end
declare -A mos_sum kbps_sum
count=0
for f in "${files[@]}"; do
  count=$((count + 1))
  dur=$(seconds "$f")
  for k in "${rates[@]}"; do
    # shellcheck disable=SC2086 # EXTREMA_ARGS is a list of options
    "$extrema" encode "$f" "$work/x.xtr" --kbps "$k" --max-segment-ms 5 ${EXTREMA_ARGS:-} >/dev/null
    "$extrema" decode "$work/x.xtr" "$work/x.wav" >/dev/null
    bytes=$(($(stat -c %s "$work/x.xtr")))
    name="extrema $k${EXTREMA_ARGS:+ $EXTREMA_ARGS}"
    mos_sum[$name]=$(python3 -c "print(${mos_sum[$name]:-0} + $(mos "$f" "$work/x.wav"))")
    # .xtr size less its header is 5 bytes a record; the header is small next to a second of audio
    kbps_sum[$name]=$(python3 -c "print(${kbps_sum[$name]:-0} + $bytes * 8 / $dur / 1000)")
  done
  [[ ${PEERS:-1} == 0 ]] && continue
  for k in 16 24 32 40; do
    ffmpeg -loglevel error -y -i "$f" -ar 8000 -c:a g726 -b:a "${k}k" -f g726 "$work/x.g726"
    ffmpeg -loglevel error -y -f g726 -code_size $((k / 8)) -ar 8000 -i "$work/x.g726" \
      -ar 48000 -ac 1 -c:a pcm_s16le "$work/g.wav"
    name="G.726 $k"
    mos_sum[$name]=$(python3 -c "print(${mos_sum[$name]:-0} + $(mos "$f" "$work/g.wav"))")
    kbps_sum[$name]=$(python3 -c "print(${kbps_sum[$name]:-0} + $(stat -c %s "$work/x.g726") * 8 / $dur / 1000)")
  done
  for k in 16 24 32; do
    ffmpeg -loglevel error -y -i "$f" -c:a libopus -application voip -b:a "${k}k" "$work/x.ogg"
    ffmpeg -loglevel error -y -i "$work/x.ogg" -ar 48000 -ac 1 -c:a pcm_s16le "$work/o.wav"
    payload=$(ffprobe -v error -select_streams a -show_entries packet=size -of csv=p=0 "$work/x.ogg" |
      awk '{s += $1} END {print s}')
    name="Opus $k"
    mos_sum[$name]=$(python3 -c "print(${mos_sum[$name]:-0} + $(mos "$f" "$work/o.wav"))")
    kbps_sum[$name]=$(python3 -c "print(${kbps_sum[$name]:-0} + $payload * 8 / $dur / 1000)")
  done
  echo "done: $f" >&2
done

printf '| system | payload kbps (mean) | MOS-LQO (mean of %d files) |\n|---|---|---|\n' "$count"
for name in "${!mos_sum[@]}"; do
  python3 -c "print('| $name | %.1f | %.2f |' % (${kbps_sum[$name]} / $count, ${mos_sum[$name]} / $count))"
done | sort -t'|' -k2,2 -V
