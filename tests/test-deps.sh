#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# common/deps.sh check, which make runs first: with every package here it passes; a libbpf
# older than the code needs (a libbpf_version.h of our own stands in for it) is one line and
# exit status 1, whatever else is installed. No root needed.
# arm/run: skip the emulated ARM VMs have no compiler, whose absence deps.sh reports
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

DEPS=$TOP/common/deps.sh
tap_ok "this machine has what the course needs" "$DEPS" check

version_h() {	# version_h MAJOR MINOR: a libbpf_version.h saying so
	printf '#define LIBBPF_MAJOR_VERSION %s\n#define LIBBPF_MINOR_VERSION %s\n' "$1" "$2" \
		>"$TMP/libbpf_version.h"
}

for v in 0.3 0.7; do
	version_h "${v%.*}" "${v#*.}"
	LIBBPF_VERSION_H=$TMP/libbpf_version.h "$DEPS" check >"$TMP/out" 2>"$TMP/err"
	rc=$?
	tap_ok "libbpf $v: exit status 1 and one line naming it and the floor, 0.8 ($rc)" \
		eval '[ $rc = 1 ] && [ "$(wc -l <"$TMP/err")" = 1 ] &&
		      grep -q "libbpf $v is older than 0.8" "$TMP/err"'
done
for v in 0.8 1.1 1.5 2.0; do
	version_h "${v%.*}" "${v#*.}"
	tap_ok "libbpf $v: accepted" env LIBBPF_VERSION_H="$TMP/libbpf_version.h" "$DEPS" check
done
LIBBPF_VERSION_H=$TMP/none "$DEPS" check >"$TMP/out" 2>"$TMP/err"
rc=$?
tap_ok "no libbpf_version.h (libbpf before 0.6): exit status 1, one line ($rc)" \
	eval '[ $rc = 1 ] && [ "$(wc -l <"$TMP/err")" = 1 ] && grep -q "older than 0.8" "$TMP/err"'

tap_done
