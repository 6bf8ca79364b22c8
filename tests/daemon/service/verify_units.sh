#!/bin/sh
# Runs `systemd-analyze verify` on systemd unit files and fails on any complaint about them.
# verify exits 0 even for unknown keys or bad values (it only warns), so its output counts too:
# any line naming one of our units fails the test. Lines about the host's own units (pulled in by
# After=/Wants=) are shown but do not count.
# Usage: verify_units.sh SYSTEMD_ANALYZE UNIT_FILE...   Exit 77 (skipped) if verify cannot run.
set -u
analyze=$1
shift

scratch=$(mktemp -d) || exit 1
trap 'rm -rf "$scratch"' EXIT

# A unit that must verify cleanly anywhere: if it does not, the host (a container without the
# pieces verify needs) is the problem, not our units.
cat >"$scratch/extrema-probe.service" <<UNIT
[Service]
ExecStart=/bin/sh -c true
UNIT
if ! "$analyze" verify "$scratch/extrema-probe.service" >"$scratch/probe.log" 2>&1; then
    echo "systemd-analyze verify does not work here; skipping:"
    cat "$scratch/probe.log"
    exit 77
fi

status=0
for unit in "$@"; do
    name=$(basename "$unit")
    # A template (name@.service) is verified as instance "i"; messages name either.
    instance=$(echo "$name" | sed 's/@\./@i./')
    "$analyze" verify "$unit" >"$scratch/verify.log" 2>&1
    rc=$?
    cat "$scratch/verify.log"
    if [ "$rc" -ne 0 ]; then
        echo "FAIL: systemd-analyze verify $unit exited $rc"
        status=1
    elif grep -F -e "$name" -e "$instance" "$scratch/verify.log" >/dev/null; then
        echo "FAIL: systemd-analyze verify complained about $name"
        status=1
    else
        echo "ok: $name"
    fi
done
exit "$status"
