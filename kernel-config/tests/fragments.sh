#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The config fragments: every option explained, the same course options in each, and each
# merged onto its defconfig's .config (with merge_config.sh's rules, tests/merge-config) gives
# a configuration kernel-config/check accepts, bpf_printk() included. No root needed.
set -uo pipefail
# arm/run: skip it reads files, not the kernel: make test runs it, on the host and in trixie
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../../tests/lib.sh"

KC=$TOP/kernel-config
CHECK=$KC/check
MERGE=$KC/tests/merge-config
FIX=$KC/tests/fixtures
PIS="rpi3-bcm2709 rpi4-bcm2711-32 rpi4-bcm2711-64 rpi5-bcm2712"
# The Pi defconfigs with a fixture expanded by Kconfig (tests/expand-defconfig).
EXPANDED="rpi3-bcm2709 rpi4-bcm2711-32 rpi4-bcm2711-64 rpi5-bcm2712"

# Option lines whose line above is not a comment.
unexplained() {	# unexplained FRAGMENT
	awk '/^CONFIG_|^# CONFIG_.* is not set$/ && prev !~ /^#/ { print } { prev = $0 }' "$1"
}

# The value a fragment, or a .config, gives NAME: the line, or nothing.
line_for() {	# line_for FILE NAME
	grep -E "^CONFIG_$2=|^# CONFIG_$2 is not set$" "$1" | tail -n 1
}

row_of() {	# row_of NAME REPORT-FILE: "state/verdict"
	awk -v n="$1" '$1 == n { print $2 "/" $3; exit }' "$2"
}

for frag in generic $PIS; do
	f=$KC/$frag.config
	tap_is "$(unexplained "$f")" "" "$frag.config: a comment above every option"
	for want in BPF_SYSCALL=y BPF_JIT=y NAMESPACES=y NET_NS=y FTRACE=y PERF_EVENTS=y \
		    UPROBE_EVENTS=y KPROBES=y KPROBE_EVENTS=y IKCONFIG_PROC=y XDP_SOCKETS=y; do
		tap_is "$(line_for "$f" "${want%=*}")" "CONFIG_$want" "$frag.config sets $want"
	done
	tap_ok "$frag.config has veth, built in or as a module" \
		grep -qxE 'CONFIG_VETH=(y|m)' "$f"
	# The optional one is offered, but only as a comment: merging must not change it.
	tap_is "$(line_for "$f" DEBUG_INFO_BTF)" "" \
		"$frag.config leaves DEBUG_INFO_BTF as the kernel has it"
	tap_ok "$frag.config offers DEBUG_INFO_BTF as a line to uncomment" \
		grep -qx "#CONFIG_DEBUG_INFO_BTF=y" "$f"
done

for pi in $EXPANDED; do
	stock=$(sed -n 's/^CONFIG_LOCALVERSION="\(.*\)"$/\1/p' "$FIX/$pi.config")
	tap_is "$(line_for "$KC/$pi.config" LOCALVERSION)" "CONFIG_LOCALVERSION=\"$stock-xdp\"" \
		"$pi.config names its kernel apart from the stock $stock"
done
for pi in rpi3-bcm2709 rpi4-bcm2711-32; do
	tap_is "$(line_for "$KC/$pi.config" BPF_JIT_ALWAYS_ON)" \
		"# CONFIG_BPF_JIT_ALWAYS_ON is not set" \
		"$pi.config keeps the 32-bit interpreter as the JIT's fallback"
done

# Each Pi fragment onto its own defconfig's .config: the check accepts the result, with the
# JIT and bpf_printk(); on 32-bit ARM the JIT still waits for the sysctl at boot.
for pi in $EXPANDED; do
	"$MERGE" "$FIX/$pi.config" "$KC/$pi.config" >"$TMP/$pi.merged" 2>"$TMP/merge.err"
	tap_is "$(grep '^Value requested' "$TMP/merge.err")" "" \
		"$pi.config onto its .config: every value it asks for is in the result"
	"$CHECK" "$TMP/$pi.merged" >"$TMP/out" 2>&1
	tap_is "$?" 0 "$pi.config onto its .config: the check accepts it (exit 0)"
	case $pi in
	*-32|rpi3-*) jit_at_boot=off/warn ;;
	*) jit_at_boot=y/ok ;;
	esac
	for pair in BPF_SYSCALL=y/ok BPF_JIT=y/ok BPF_JIT_DEFAULT_ON=$jit_at_boot NET_NS=y/ok \
		    VETH=m/ok BPF_EVENTS=y/ok DEBUG_INFO_BTF=off/off XDP_SOCKETS=y/ok \
		    IKCONFIG_PROC=y/ok; do
		tap_is "$(row_of "${pair%%=*}" "$TMP/out")" "${pair#*=}" \
			"$pi.config onto its .config: ${pair%%=*} is ${pair#*=}"
	done
done

# The generic fragment turns a kernel with BPF off into one every lesson runs on.
"$MERGE" "$FIX/bpf-off-x86-6.1.config" "$KC/generic.config" >"$TMP/off.merged" 2>/dev/null
"$CHECK" -q "$TMP/off.merged" >"$TMP/out" 2>&1
tap_is "$? $(cat "$TMP/out")" "0 " \
	"generic.config onto the BPF-off kernel: the check accepts it, no problem to report"
"$CHECK" "$TMP/off.merged" >"$TMP/out" 2>&1
tap_is "$(row_of BPF_EVENTS "$TMP/out") $(row_of VETH "$TMP/out")" "y/ok y/ok" \
	"... with bpf_printk() and a built-in veth"
"$MERGE" "$FIX/this-machine-x86-6.18.config" "$KC/generic.config" >"$TMP/here.merged" 2>/dev/null
"$CHECK" -q "$TMP/here.merged" >/dev/null 2>&1
tap_is "$?" 0 "generic.config onto this machine's kernel: still accepted"

# merge-config follows merge_config.sh: fragment lines replace the base's, later fragments
# win, an unchanged value is no news, "#CONFIG_..." is a comment, and a value Kconfig
# computes cannot be forced.
printf 'CONFIG_A=y\n# CONFIG_B is not set\nCONFIG_C=m\n' >"$TMP/base"
printf '# one\nCONFIG_A=y\nCONFIG_B=y\n#CONFIG_C=y\n' >"$TMP/frag1"
printf '# two\n# CONFIG_A is not set\n' >"$TMP/frag2"
"$MERGE" "$TMP/base" "$TMP/frag1" "$TMP/frag2" >"$TMP/merged" 2>"$TMP/merge.err"
tap_is "$(line_for "$TMP/merged" A) | $(line_for "$TMP/merged" B) | $(line_for "$TMP/merged" C)" \
	"# CONFIG_A is not set | CONFIG_B=y | CONFIG_C=m" \
	"merge-config: later fragments win, \"#CONFIG_\" lines are comments"
tap_is "$(grep -c '^Value of' "$TMP/merge.err")" 2 \
	"merge-config: it reports the two changed values, not the unchanged one"
tap_ok "merge-config: it names the fragment that changed a value" \
	grep -qx "Value of CONFIG_A is redefined by fragment $TMP/frag2:" "$TMP/merge.err"
printf 'CONFIG_BPF_EVENTS=y\n' >"$TMP/frag3"
"$MERGE" "$FIX/bpf-off-x86-6.1.config" "$TMP/frag3" >"$TMP/merged" 2>"$TMP/merge.err"
tap_is "$(line_for "$TMP/merged" BPF_EVENTS)" "" \
	"merge-config: BPF_EVENTS has no prompt; without its dependencies it stays off"
tap_ok "merge-config: ... and it says so, as merge_config.sh does" \
	grep -qx "Value requested for CONFIG_BPF_EVENTS not in final .config" "$TMP/merge.err"

tap_done
