#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# eBPF.md against the build: every listing in it -- `make disasm` output and tools/bpfdecode
# output for the lessons' objects -- is exactly what those print now. The bytecode depends on the
# compiler, so this runs only with the clang the listings come from (14, Debian bookworm's); with
# another it says so and how to refresh them, and under CI=true that is a failure. No root needed.
# arm/run: skip it needs clang and llvm-objdump, which the emulated ARM VMs do not have
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../../tests/lib.sh"

LISTINGS=$TOP/tools/listings

why=$("$LISTINGS" pinned) || tap_skip_all "$why"

"$LISTINGS" list >"$TMP/list"
for want in "disasm 02-drop-all" "decode 02-drop-all" "disasm 03-count-packets" \
	"decode 03-count-packets"; do
	tap_ok "eBPF.md has the $want listing" grep -qx "$want" "$TMP/list"
done

while read -r kind lesson; do
	"$LISTINGS" doc "$kind" "$lesson" >"$TMP/doc"
	if ! "$LISTINGS" show "$kind" "$lesson" >"$TMP/build" 2>"$TMP/err"; then
		tap_ok "eBPF.md: $kind $lesson: the build can show it" false
		tap_diag "$(cat "$TMP/err")"
		continue
	fi
	same=false
	[ -s "$TMP/doc" ] && cmp -s "$TMP/doc" "$TMP/build" && same=true
	tap_ok "eBPF.md: $kind $lesson is what the build prints ($(wc -l <"$TMP/doc") lines)" \
		"$same"
	if ! "$same"; then
		tap_diag "$(diff -u --label eBPF.md --label 'the build' "$TMP/doc" "$TMP/build" |
			head -n 30)"
		tap_diag "The listings come from the build. If the lesson's program changed on" \
			"purpose, make disasm-refresh rewrites them; then make the text agree."
	fi
done <"$TMP/list"

tap_done
