#!/usr/bin/env bash
# Installs every Debian 12 package Extrema needs to build, test and run.
# Idempotent: packages already present are skipped; quiet unless something fails.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git clang libclang-rt-14-dev clang-format clang-tidy
  # libraries the code links
  libsndfile1-dev portaudio19-dev libboost-dev libspdlog-dev libfmt-dev libtomlplusplus-dev
  libcli11-dev libsrtp2-dev libssl-dev libsystemd-dev libsamplerate0-dev libeigen3-dev libkissfft-dev
  libopus-dev libgtest-dev libgmock-dev libbenchmark-dev nlohmann-json3-dev libpng-dev
  # real audio without a sound card: JACK with the dummy driver
  jackd2 libjack-jackd2-dev sndfile-tools
  # test material and checks
  alsa-utils espeak-ng sox systemd chromium iproute2 procps
  # the standard voice codecs the quality tests and the rate-quality bench compare with
  ffmpeg
  # the .deb and its checks; the man pages rendered by the tests
  dpkg-dev lintian man-db groff-base
  # the arm64 cross build (cmake/toolchain-aarch64.cmake) and its tests under emulation
  crossbuild-essential-arm64 qemu-user
)
# The same libraries built for arm64 (Debian multiarch), beside the host's. libsrtp2-dev cannot be
# installed for two architectures at once (it is not Multi-Arch: same), so only its runtime is:
# cmake/aarch64/libsrtp2.pc points the cross build at it, with the host package's headers.
arm64_packages=(
  libgtest-dev libgmock-dev libbenchmark-dev libboost-dev libspdlog-dev libfmt-dev
  libtomlplusplus-dev libsndfile1-dev portaudio19-dev libsrtp2-1 libssl-dev libsystemd-dev
  libsamplerate0-dev libjack-jackd2-dev libkissfft-dev libopus-dev libpng-dev
)
packages+=("${arm64_packages[@]/%/:arm64}")

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  $sudo dpkg --add-architecture arm64  # apt-get update below then fetches its package lists
fi
export DEBIAN_FRONTEND=noninteractive
echo "install-deps: installing ${#missing[@]} packages: ${missing[*]}" >&2
# jackd2 asks whether to enable real-time priority; answer for it.
echo "jackd2 jackd/tweak_rt_limits boolean false" | $sudo debconf-set-selections
log=$(mktemp)
if ! { $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "install-deps: apt-get failed (see above)" >&2
  exit 1
fi
rm -f "$log"
