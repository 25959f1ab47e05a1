#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# kernel-config/check on configuration files: the four Raspberry Pi defconfigs expanded with
# Kconfig (tests/expand-defconfig), this machine's kernel, a kernel with BPF off and one too old.
# For each, the exact state and verdict of every row and the exit status. No root needed.
set -uo pipefail
# arm/run: skip it reads files, not the kernel: make test runs it, on the host and in trixie
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../../tests/lib.sh"

CHECK=$TOP/kernel-config/check
FIX=$TOP/kernel-config/tests/fixtures

# The row NAME of a report: "state/verdict".
row_of() {	# row_of NAME REPORT-FILE
	awk -v n="$1" '$1 == n { print $2 "/" $3; exit }' "$2"
}

# Check FIXTURE and compare every row with the expectations: NAME=state/verdict ...
expect() {	# expect FIXTURE EXIT-STATUS NAME=STATE/VERDICT...
	local fixture=$1 want_rc=$2 rc=0 pair name
	shift 2
	(cd "$FIX" && "$CHECK" "$fixture") >"$TMP/out" 2>"$TMP/err" || rc=$?
	tap_is "$rc" "$want_rc" "$fixture: exit status $want_rc"
	for pair in "$@"; do
		name=${pair%%=*}
		tap_is "$(row_of "$name" "$TMP/out")" "${pair#*=}" "$fixture: $name is ${pair#*=}"
	done
	tap_is "$(awk 'length > 80' "$TMP/out")" "" "$fixture: every line fits 80 columns"
}

# The floors of the features the lessons use, met by every 6.x kernel.
FLOORS_OK="ringbuf=>=5.8/ok xdp-link=>=5.9/ok devmap=>=4.14/ok veth-gro-napi=>=5.13/ok"
FLOORS_OK+=" test-run-ctx=>=5.15/ok live-frames=>=5.18/ok xdp-adjust-tail=>=4.18/ok"
FLOORS_OK+=" load-bytes=>=5.18/ok"

# The Pi 4's 32-bit kernel (bcm2711_defconfig for arm, rpi-6.1.y): built without the JIT and
# without AF_XDP (06 cannot run: exit 1);
# bpf_printk() works, since KGDB=y selects KPROBES and KPROBE_EVENTS, BPF_EVENTS follow.
# shellcheck disable=SC2086
expect rpi4-bcm2711-32.config 1 BPF_SYSCALL=y/ok BPF_JIT=off/warn BPF_JIT_DEFAULT_ON=off/off \
	NET_NS=y/ok VETH=m/ok BPF_EVENTS=y/ok DEBUG_INFO_BTF=off/off \
	XDP_SOCKETS=off/MISSING IKCONFIG_PROC=y/ok $FLOORS_OK

# The Pi 2/3/Zero 2 W 32-bit kernel (bcm2709_defconfig, rpi-6.1.y): the same as the Pi 4's
# 32-bit one, no JIT, no AF_XDP, and bpf_printk() through KGDB's kprobes.
# shellcheck disable=SC2086
expect rpi3-bcm2709.config 1 BPF_SYSCALL=y/ok BPF_JIT=off/warn BPF_JIT_DEFAULT_ON=off/off \
	NET_NS=y/ok VETH=m/ok BPF_EVENTS=y/ok DEBUG_INFO_BTF=off/off \
	XDP_SOCKETS=off/MISSING IKCONFIG_PROC=y/ok $FLOORS_OK

# The Pi 3/4/400 64-bit kernel (bcm2711_defconfig for arm64, rpi-6.1.y): the JIT, on from boot
# (arm64 wants it by default), bpf_printk() through KGDB's kprobes, and no AF_XDP (exit 1).
# shellcheck disable=SC2086
expect rpi4-bcm2711-64.config 1 BPF_SYSCALL=y/ok BPF_JIT=y/ok BPF_JIT_DEFAULT_ON=y/ok \
	NET_NS=y/ok VETH=m/ok BPF_EVENTS=y/ok DEBUG_INFO_BTF=off/off \
	XDP_SOCKETS=off/MISSING IKCONFIG_PROC=y/ok $FLOORS_OK

# The Pi 5's kernel (bcm2712_defconfig): the JIT, on from boot, and bpf_printk() the same way;
# no AF_XDP either (06 cannot run: exit 1).
# shellcheck disable=SC2086
expect rpi5-bcm2712.config 1 BPF_SYSCALL=y/ok BPF_JIT=y/ok BPF_JIT_DEFAULT_ON=y/ok \
	NET_NS=y/ok VETH=m/ok BPF_EVENTS=y/ok DEBUG_INFO_BTF=off/off \
	XDP_SOCKETS=off/MISSING IKCONFIG_PROC=y/ok $FLOORS_OK

# This machine: everything.
# shellcheck disable=SC2086
expect this-machine-x86-6.18.config 0 BPF_SYSCALL=y/ok BPF_JIT=y/ok BPF_JIT_DEFAULT_ON=y/ok \
	NET_NS=y/ok VETH=y/ok BPF_EVENTS=y/ok DEBUG_INFO_BTF=y/ok XDP_SOCKETS=y/ok \
	IKCONFIG_PROC=y/ok $FLOORS_OK

# BPF off: no lesson can run, and no lab either.
# shellcheck disable=SC2086
expect bpf-off-x86-6.1.config 1 BPF_SYSCALL=off/MISSING BPF_JIT=off/warn \
	BPF_JIT_DEFAULT_ON=off/off NET_NS=off/MISSING VETH=off/MISSING BPF_EVENTS=off/off \
	DEBUG_INFO_BTF=off/off XDP_SOCKETS=off/MISSING IKCONFIG_PROC=off/off $FLOORS_OK
tap_ok "bpf-off-x86-6.1.config: the summary names what is missing" \
	grep -qx "  BPF_SYSCALL NET_NS VETH XDP_SOCKETS." "$TMP/out"

# Linux 5.4: every option, but too old for the ring buffer and XDP links. Its JIT is on
# through BPF_JIT_ALWAYS_ON: the BPF_JIT_DEFAULT_ON option came later.
expect old-x86-5.4.config 1 BPF_SYSCALL=y/ok BPF_JIT=y/ok BPF_JIT_DEFAULT_ON=implied/ok \
	NET_NS=y/ok VETH=m/ok BPF_EVENTS=y/ok DEBUG_INFO_BTF=y/ok XDP_SOCKETS=y/ok \
	IKCONFIG_PROC=y/ok "ringbuf=>=5.8/MISSING" "xdp-link=>=5.9/MISSING" "devmap=>=4.14/ok" \
	"veth-gro-napi=>=5.13/MISSING" "test-run-ctx=>=5.15/MISSING" "live-frames=>=5.18/warn" \
	"load-bytes=>=5.18/MISSING"

# Debian 11's Linux 5.10: every lesson's own features, but not the lab of 05 (veth NAPI through
# GRO, 5.13) nor make test (XDP test runs with ctx_in, 5.15); the check names both.
sed 's|^# Linux/x86 6.18.44 Kernel|# Linux/x86 5.10.0 Kernel|' "$FIX/this-machine-x86-6.18.config" \
	>"$TMP/debian11-5.10.config"
"$CHECK" "$TMP/debian11-5.10.config" >"$TMP/out" 2>&1
tap_is "$? $(row_of ringbuf "$TMP/out") $(row_of xdp-link "$TMP/out")" "1 >=5.8/ok >=5.9/ok" \
	"Linux 5.10: the ring buffer and XDP links are there, and the check exits 1"
tap_is "$(row_of veth-gro-napi "$TMP/out") $(row_of test-run-ctx "$TMP/out")" \
	">=5.13/MISSING >=5.15/MISSING" "Linux 5.10: too old for 05's lab (5.13) and make test (5.15)"
tap_is "$(row_of load-bytes "$TMP/out")" ">=5.18/MISSING" \
	"Linux 5.10: too old for 07's bpf_xdp_load_bytes (5.18)"
"$CHECK" -q "$TMP/debian11-5.10.config" >"$TMP/out" 2>&1
tap_ok "Linux 5.10, --quiet: one line says make test needs Linux 5.15" \
	grep -qx "test-run-ctx MISSING: needs Linux 5.15 or later: upgrade the kernel (setup.md)" \
	"$TMP/out"

# A defconfig is not a .config: it leaves out what is at its default (NET_NS here) and has no
# version line. The check says so rather than guess.
expect bcm2712_defconfig 1 BPF_SYSCALL=y/ok BPF_JIT=y/ok NET_NS=off/MISSING \
	"ringbuf=>=5.8/unknown" "xdp-link=>=5.9/unknown"
tap_ok "a defconfig: the check says to check the .config that make olddefconfig writes" \
	grep -q 'make olddefconfig' "$TMP/err"

# --quiet: only the problems, one line each. A kernel without AF_XDP (the stock Pi ones): one.
XSK_MISSING="XDP_SOCKETS MISSING: CONFIG_XDP_SOCKETS=y: AF_XDP (the Pi fragments set it)"
(cd "$FIX" && "$CHECK" --quiet rpi4-bcm2711-32.config) >"$TMP/out" 2>&1
tap_is "$(cat "$TMP/out")" \
	"BPF_JIT warn: CONFIG_BPF_JIT=y, else the interpreter runs them
$XSK_MISSING" "--quiet on the Pi 4 32-bit kernel prints its warning and that 06 cannot run"
(cd "$FIX" && "$CHECK" -q rpi3-bcm2709.config) >"$TMP/out" 2>&1
rc=$?
tap_is "$rc $(cat "$TMP/out")" "1 BPF_JIT warn: CONFIG_BPF_JIT=y, else the interpreter runs them
$XSK_MISSING" "--quiet on the Pi 3 32-bit kernel: exit 1, the JIT's warning and 06's AF_XDP"
for pi in rpi4-bcm2711-64 rpi5-bcm2712; do
	(cd "$FIX" && "$CHECK" -q "$pi.config") >"$TMP/out" 2>&1
	rc=$?
	tap_is "$rc $(cat "$TMP/out")" "1 $XSK_MISSING" \
		"--quiet on the $pi kernel: exit 1, and one line says 06 needs AF_XDP sockets"
done
(cd "$FIX" && "$CHECK" -q bpf-off-x86-6.1.config) >"$TMP/out" 2>&1
rc=$?
tap_is "$rc $(cut -d: -f1 "$TMP/out" | tr '\n' ' ')" \
	"1 BPF_SYSCALL MISSING BPF_JIT warn NET_NS MISSING VETH MISSING XDP_SOCKETS MISSING " \
	"--quiet with BPF off: exit 1 and a line for each problem"

# The command line.
"$CHECK" -h >"$TMP/out" 2>&1
rc=$?
tap_is "$rc $(head -c 26 "$TMP/out")" "0 Usage: kernel-config/check" "-h prints the usage, exit 0"
for args in "--frobnicate" "a.config b.config" "$TMP/no-such.config"; do
	# shellcheck disable=SC2086
	"$CHECK" $args >"$TMP/out" 2>&1
	rc=$?
	tap_is "$rc" 2 "check $args: usage error, exit 2"
done

tap_done
