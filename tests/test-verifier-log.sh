#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# What a learner sees when their edit breaks a program: the loader of lesson 01, built in a
# copy of the tree with hello.bpf.c swapped for broken_no_bounds_check.bpf.c, must fail to
# load with the tail of the verifier's log, and show all of it with -v (common/loader.c,
# through libbpf's kernel_log_buf).
# arm/run: skip it builds a loader, and the emulated ARM VMs have no compiler
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

tap_require_root
tree=$TMP/tree
mkdir -p "$tree"
(cd "$TOP" && git ls-files -co --exclude-standard -z -- common arm 01-hello-xdp) |
	(cd "$TOP" && xargs -0 cp --parents -t "$tree")
sed 's/broken_no_bounds_check/hello/g' "$TOP/01-hello-xdp/broken_no_bounds_check.bpf.c" \
	>"$tree/01-hello-xdp/hello.bpf.c"
tap_ok "lesson 01 builds with the broken program in place of hello.bpf.c" \
	eval 'env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u SANITIZE make -C "$tree/01-hello-xdp" \
		>"$TMP/build" 2>&1'
lab_start

in_host "$tree/01-hello-xdp/hello" -i "$HOST_IF" -d 2 >"$TMP/out" 2>"$TMP/err"
tap_is "$?" 1 "the loader fails: exit status 1"
tap_is "$(head -n 2 "$TMP/err")" "hello: loading the XDP program failed: Permission denied
hello: the verifier's last words (all of them with -v):" "it says so, then gives the verifier's last words"
tap_is "$(grep -c '^  | ' "$TMP/err")" 8 "... 8 lines of them"
tap_is "$(wc -l <"$TMP/err")" 10 "... and nothing more"
tap_ok "... the verdict among them: invalid access to packet, off=12" \
	grep -q '^  | invalid access to packet, off=12 size=1' "$TMP/err"
tap_ok "... ending with the count of instructions processed" \
	eval 'tail -n 1 "$TMP/err" | grep -q "^  | processed [0-9]* insns"'
tap_ok "nothing is attached" detached

in_host "$tree/01-hello-xdp/hello" -i "$HOST_IF" -d 2 -v >"$TMP/out" 2>"$TMP/err"
tap_is "$?" 1 "with -v: exit status 1"
tap_ok "with -v: the whole log, from instruction 0 to the verdict" \
	eval 'sed -n "/^hello: the verifier.s log:$/,\$p" "$TMP/err" >"$TMP/log" &&
	      grep -q "^0: " "$TMP/log" && grep -q "^invalid access to packet" "$TMP/log" &&
	      grep -q "^processed [0-9]* insns" "$TMP/log"'
tap_ok "nothing is attached" detached

tap_done
