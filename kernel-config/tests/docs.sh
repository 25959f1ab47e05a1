#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# setup.md says what the tests and CI do: the same commands (make deps, make check,
# kernel-config/check), the fragments that exist with the defconfigs they name, and a report
# with the rows the check really prints.
set -uo pipefail
# arm/run: skip it reads files, not the kernel: make test runs it, on the host and in trixie
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../../tests/lib.sh"

SETUP=$TOP/setup.md
KC=$TOP/kernel-config

tap_ok "setup.md installs the dependencies with make deps, as make test and CI do" \
	grep -qE '^make deps +#' "$SETUP"
tap_ok "make deps is common/deps.sh install" \
	grep -qx $'\t@common/deps.sh install' "$TOP/Makefile"
tap_ok "setup.md runs the check with make check" grep -qE '^make check +#' "$SETUP"
tap_ok "make check runs kernel-config/check" \
	grep -qE $'^\t@\\$\\(AS_ROOT\\) .*kernel-config/check$' "$TOP/Makefile"

# The build table: | kernel | ARCH | defconfig | fragment | target | image | name |
while IFS='|' read -r _ _ arch defconfig fragment _; do
	arch=${arch// /} defconfig=${defconfig// /} fragment=${fragment// /}
	tap_ok "setup.md: kernel-config/$fragment exists" test -f "$KC/$fragment"
	tap_ok "setup.md: $fragment is for ARCH=$arch $defconfig, as its header says" \
		grep -q "make ARCH=$arch $defconfig" "$KC/$fragment"
done < <(grep -E '^\| Pi .* \| (arm|arm64) \| bcm27' "$SETUP")

# The pasted report: the same rows, in the same order, as the check prints today.
documented=$(sed -n '/^\$ make check$/,/^```$/p' "$SETUP" | awk '/^  [A-Za-z]/ { print $1 }' |
	tr '\n' ' ')
"$KC/check" >"$TMP/out" 2>&1
printed=$(awk '/^  [A-Za-z]/ { print $1 }' "$TMP/out" | tr '\n' ' ')
tap_is "$documented" "$printed" "setup.md shows the rows the check prints, in its order"

tap_done
