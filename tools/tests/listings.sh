#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# eBPF.md against the build: every listing in it -- `make disasm` output and tools/bpfdecode
# output for the lessons' objects -- is exactly what those print now. The bytecode depends on the
# compiler, so this compares them only with the clang the listings come from (14, Debian
# bookworm's); with another (trixie's 19) it says so, and checks what holds with any compiler.
# No root needed.
# arm/run: skip it needs clang and llvm-objdump, which the emulated ARM VMs do not have
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../../tests/lib.sh"

LISTINGS=$TOP/tools/listings

# The first 8 bytes of each instruction a listing shows, after its number: "5 18 01 ... 00".
insn_bytes() {
	sed -n 's/^ *\([0-9]*\): *\(\([0-9a-f]\{2\} \)\{7\}[0-9a-f]\{2\}\).*/\1 \2/p' |
		grep -v "^[0-9]* 00 00 00 00 00 00 00 00$"	# a wide load's second half
}

# With another clang the bytecode may differ, so the listings are not compared with the
# build; what holds with any compiler is checked instead: the source lines a listing quotes
# are the lesson's source as it is now, and a lesson's two listings show the same bytecode.
if ! why=$("$LISTINGS" pinned); then
	tap_diag "$why"
	"$LISTINGS" list >"$TMP/list"
	tap_ok "eBPF.md has listings" test -s "$TMP/list"
	while read -r kind lesson; do
		[ "$kind" = disasm ] || continue
		"$LISTINGS" doc disasm "$lesson" >"$TMP/doc"
		missing=$(sed -n 's/^; *//p' "$TMP/doc" | while IFS= read -r line; do
			grep -qF -- "$line" "$TOP/$lesson"/*.bpf.c || echo "$line"
		done)
		tap_is "$missing" "" "eBPF.md: disasm $lesson quotes only lines of $lesson's source"
		if grep -qx "decode $lesson" "$TMP/list"; then
			insn_bytes <"$TMP/doc" >"$TMP/disasm-bytes"
			"$LISTINGS" doc decode "$lesson" | insn_bytes >"$TMP/decode-bytes"
			tap_ok "eBPF.md: decode $lesson shows the bytecode of disasm $lesson" \
				eval '[ -s "$TMP/disasm-bytes" ] && cmp -s "$TMP/disasm-bytes" "$TMP/decode-bytes"'
		fi
	done <"$TMP/list"
	tap_done
	exit
fi

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
