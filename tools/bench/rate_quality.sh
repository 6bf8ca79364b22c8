#!/usr/bin/env bash
# The rate-quality table of docs/quality.md in one run: the eight alsa-utils prompts and one
# espeak-ng passage in two voices, through extrema and the standard voice codecs.
#   tools/bench/rate_quality.sh [BUILD_DIR] [OUT_JSON] [MORE...]
# (defaults: build/release, rate_quality.json; MORE goes to extrema_rate_quality, e.g.
#  --extrema-settings "--kbps 32;--kbps 32 --lowpass 4000")
set -euo pipefail
build=${1:-build/release}
out=${2:-rate_quality.json}
shift $(($# < 2 ? $# : 2))
material=$(mktemp -d)
trap 'rm -rf "$material"' EXIT
for prompt in Front_Center Front_Left Front_Right Rear_Center Rear_Left Rear_Right Side_Left \
              Side_Right; do
  cp "/usr/share/sounds/alsa/$prompt.wav" "$material/"
done
# The IPA's standard passage, as in docs/quality.md's other sections.
text="The North Wind and the Sun were disputing which was the stronger, when a traveler came \
along wrapped in a warm cloak."
espeak-ng -v en-us -w "$material/espeak_en-us.wav" "$text"
espeak-ng -v en-gb+f3 -w "$material/espeak_en-gb-f3.wav" "$text"
"$build/tools/bench/extrema_rate_quality" "$material" --extrema "$build/tools/extrema/extrema" \
  --json "$out" "$@"
