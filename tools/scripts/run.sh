#!/usr/bin/env bash
# Installs what the project needs, builds, and runs the main job: real speech through the
# extrema codec, with the bitrate and the quality it reaches.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

tools/scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j"$(nproc)"

extrema=build/release/tools/extrema/extrema
input=${1:-/usr/share/sounds/alsa/Front_Center.wav}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$extrema" encode "$input" "$out/speech.xtr"
"$extrema" decode "$out/speech.xtr" "$out/decoded.wav"
"$extrema" info "$out/speech.xtr"
"$extrema" eval "$input" "$out/decoded.wav" --xtr "$out/speech.xtr"
