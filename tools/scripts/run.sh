#!/usr/bin/env bash
# Installs what the project needs, builds, and runs the main job: a real voice link on this
# machine. Two extremad daemons start from the config files in config/examples/: a receiver on
# 127.0.0.1:5006 writing what it plays to a file, and a sender on 127.0.0.1:5004 capturing a real
# speech sample (there is no sound card to assume) in real time. Their stats lines show as they
# run; then the received audio is measured against the input with `extrema eval`.
#
# To talk through the microphone and speakers instead, give the daemons devices rather than
# files (the one-line change, in the config or as flags):
#   sender:   input = "device"     (or --input device)
#   receiver: output = "device"    (or --output device)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

tools/scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j"$(nproc)"

extremad=build/release/daemon/extremad/extremad
extrema=build/release/tools/extrema/extrema
input=${1:-/usr/share/sounds/alsa/Front_Center.wav}
out=$(mktemp -d)
receiver_pid=""
cleanup() {
  [[ -n "${receiver_pid}" ]] && kill "${receiver_pid}" 2>/dev/null || true
  rm -rf "${out}"
}
trap cleanup EXIT

echo "== receiver: config/examples/loopback-receiver.toml"
"${extremad}" --config config/examples/loopback-receiver.toml \
  --output-file "${out}/received.wav" --stats-interval-s 1 &
receiver_pid=$!
sleep 0.5
echo "== sender: config/examples/loopback-sender.toml, input ${input}"
"${extremad}" --config config/examples/loopback-sender.toml \
  --input-file "${input}" --stats-interval-s 1
sleep 0.5  # the jitter buffer plays out its last 20 ms
kill -TERM "${receiver_pid}"
wait "${receiver_pid}"
receiver_pid=""

echo "== received audio against the input"
# The receiver records from its start to its stop, so the speech sits between stretches of
# digital silence (no sender yet, then the sender gone); the score compares the speech.
sox -V1 "${out}/received.wav" "${out}/speech.wav" silence 1 0.001 -90d reverse silence 1 0.001 -90d reverse
"${extrema}" eval "${input}" "${out}/speech.wav"
