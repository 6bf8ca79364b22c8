#!/usr/bin/env bash
# Builds the .deb from a built release tree and checks it as Debian would: lintian without
# errors, and the files where Debian expects them (binaries stripped, man pages, completions,
# units, conffiles, copyright and changelog).
# Usage: tools/scripts/check-deb.sh            configure and build the `package` preset (hardened)
#        tools/scripts/check-deb.sh BUILD_DIR  package a tree already built (no hardening check)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
if (($# == 0)); then
  build=build/package
  cmake --preset package >/dev/null
  cmake --build --preset package -j"$(nproc)"
else
  build=$1
fi

rm -f "${build}"/extrema_*.deb
(cd "${build}" && cpack -G DEB >/dev/null)
deb=$(ls "${build}"/extrema_*.deb)
echo "== ${deb}: $(du -h "${deb}" | cut -f1)"

listing=$(dpkg-deb -c "${deb}" | awk '{print $6}')
missing=0
for path in ./usr/bin/extrema ./usr/bin/extremad \
    ./usr/share/man/man1/extrema.1.gz ./usr/share/man/man8/extremad.8.gz \
    ./usr/share/man/man5/extremad.toml.5.gz \
    ./usr/share/bash-completion/completions/extrema ./usr/share/bash-completion/completions/extremad \
    ./usr/share/zsh/vendor-completions/_extrema ./usr/share/zsh/vendor-completions/_extremad \
    ./lib/systemd/system/extremad.service ./lib/systemd/system/extremad@.service \
    ./etc/extremad/extremad.toml ./etc/logrotate.d/extremad \
    ./usr/share/doc/extrema/copyright ./usr/share/doc/extrema/changelog.Debian.gz; do
  if ! grep -qx -- "${path}" <<<"${listing}"; then
    echo "check-deb: ${deb} lacks ${path}" >&2
    missing=1
  fi
done
dpkg-deb --ctrl-tarfile "${deb}" | tar -t | grep -qx './conffiles' ||
  { echo "check-deb: no conffiles" >&2; missing=1; }

# Stripped: no debug sections in the packaged binaries.
unpacked=$(mktemp -d)
trap 'rm -rf "${unpacked}"' EXIT
dpkg-deb -x "${deb}" "${unpacked}"
for binary in "${unpacked}"/usr/bin/*; do
  if readelf -S "${binary}" | grep -q '\.debug_'; then
    echo "check-deb: ${binary#"${unpacked}"} is not stripped" >&2
    missing=1
  fi
done
# Hardened (the `package` preset): read-only relocations, bound at start-up.
if (($# == 0)); then
  for binary in "${unpacked}"/usr/bin/*; do
    if ! readelf -d "${binary}" | grep -q 'BIND_NOW' || ! readelf -l "${binary}" | grep -q 'GNU_RELRO'; then
      echo "check-deb: ${binary#"${unpacked}"} lacks -z relro -z now" >&2
      missing=1
    fi
  done
fi
echo "== installed size: $(du -sh "${unpacked}" | cut -f1)"
((missing == 0)) || exit 1

echo "== lintian"
lintian --fail-on error --tag-display-limit 0 "${deb}"
