#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# tools/bpfdecode against llvm-objdump: for every instruction of every BPF object the lessons
# build (their programs and their broken_* variants), and of tools/tests/isa.s, which has every
# instruction form both know, the decoder's bytes, assembly, jump labels and relocations are
# exactly llvm-objdump's. The assembly is written from the decoded fields alone, so a field split
# wrongly -- class, size, mode, source, operation, a register, the offset, the immediate, the wide
# load's halves -- shows up as a difference. No root needed.
# arm/run: skip it needs clang and llvm-objdump, which the emulated ARM VMs do not have
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../../tests/lib.sh"

OUT=${XDP_OUT:-.build}
DECODE=$(lesson_bin tools bpfdecode)
OBJDUMP=${LLVM_OBJDUMP:-llvm-objdump}

command -v "$OBJDUMP" >/dev/null || tap_skip_all "no $OBJDUMP: make deps installs it (package llvm)"
[ -x "$DECODE" ] || tap_skip_all "no $DECODE: run make test-progs first (make test does)"

# llvm-objdump's lines for instructions ("      12:<TAB>bytes<TAB>text") and for relocations
# ("<TAB><TAB>offset:  R_BPF_...<TAB>symbol"): the lines bpfdecode -l prints.
objdump_lines() {	# objdump_lines OBJECT
	"$OBJDUMP" -d -r "$1" | grep -E $'^ +[0-9]+:\t|^\t\t[0-9a-f]{16}:  R_'
}

# llvm-objdump 17 and later print numbers in hexadecimal (r0 = 0x1), earlier ones in decimal
# (r0 = 1): ask this one, with the first instruction of isa.s (r0 = 1), and have bpfdecode
# write them the same way (-x).
HEX=()
if clang -target bpf -c "$TOP/tools/tests/isa.s" -o "$TMP/isa.o" 2>"$TMP/isa-err" &&
   [ -s "$TMP/isa.o" ] && objdump_lines "$TMP/isa.o" >"$TMP/isa-llvm" &&
   head -n 1 "$TMP/isa-llvm" | grep -q $'\tr0 = 0x1$'; then
	HEX=(-x)
fi
tap_diag "llvm-objdump writes numbers in $([ ${#HEX[@]} = 0 ] && echo decimal || echo hexadecimal)"

# One check per object: every line the same. The difference, if any, goes to the TAP output.
compare() {	# compare OBJECT NAME
	local n
	objdump_lines "$1" >"$TMP/llvm"
	"$DECODE" -l "${HEX[@]}" "$1" >"$TMP/ours" 2>"$TMP/err"
	n=$(grep -c $'^ *[0-9]*:\t' "$TMP/llvm")
	same=false
	cmp -s "$TMP/llvm" "$TMP/ours" && same=true
	tap_ok "$2: all $n instructions decoded as llvm-objdump does" "$same"
	"$same" || tap_diag "$(diff "$TMP/llvm" "$TMP/ours" | head -n 20; cat "$TMP/err")"
	tap_is "$(grep -c '<unknown>' "$TMP/llvm")" 0 \
		"$2: no instruction llvm-objdump does not know"
	total=$((total + n))
}

total=0
for lesson in "$TOP"/[0-9][0-9]-*/; do
	lesson=$(basename "$lesson")
	[ -f "$TOP/$lesson/Makefile" ] || continue
	objects=$(compgen -G "$TOP/$lesson/$OUT/*.bpf.o" | sort)
	tap_ok "$lesson: its BPF objects are built ($OUT/*.bpf.o)" test -n "$objects"
	for obj in $objects; do
		compare "$obj" "$lesson/$(basename "$obj")"
	done
done

# The instruction forms the lessons do not use.
if [ -s "$TMP/isa.o" ]; then
	compare "$TMP/isa.o" "tools/tests/isa.s"
else
	tap_ok "tools/tests/isa.s assembles" false
	tap_diag "$(cat "$TMP/isa-err")"
fi
tap_diag "$total instructions compared"

# The learner's view: one explained instruction for each that llvm-objdump lists, each with the
# line that takes its opcode apart.
obj=$TOP/03-count-packets/$OUT/count_packets.bpf.o
"$DECODE" "$obj" >"$TMP/view"
tap_is "$(grep -cE '^ +[0-9]+: ([0-9a-f]{2} ){8} ' "$TMP/view")" 22 \
	"count_packets.bpf.o: the view lists all 22 instruction slots"
tap_is "$(grep -cE '^ {7}[0-9a-f]{2} = [A-Z0-9]+ 0[0-7] \| ' "$TMP/view")" 21 \
	"... and takes each of its 21 opcodes apart (the wide load fills two slots)"
tap_ok "... the helper call is named: call 1 (bpf_map_lookup_elem)" \
	grep -q 'call 1  (bpf_map_lookup_elem)$' "$TMP/view"
tap_ok "... the wide load's relocation names the map: stats" \
	grep -q '^ *relocation R_BPF_64_64 stats: ' "$TMP/view"

# Wrong use: a usage error is status 2, a file that is no BPF object status 1, in one line.
rc=0
"$DECODE" >/dev/null 2>"$TMP/err" || rc=$?
tap_is "$rc" 2 "no object named: exit status 2"
refused() {	# refused FILE WORDS: bpfdecode FILE fails with status 1 and one line with WORDS
	local rc=0
	"$DECODE" "$1" >/dev/null 2>"$TMP/err" || rc=$?
	[ "$rc" = 1 ] && [ "$(wc -l <"$TMP/err")" = 1 ] && grep -q "$2" "$TMP/err"
}
tap_ok "README.md: exit status 1, one line: 'is not an ELF object file'" \
	refused "$TOP/README.md" "is not an ELF object file"
tap_ok "the decoder itself: exit status 1, one line: 'is not a BPF object'" \
	refused "$DECODE" "is not a BPF object"

tap_done
