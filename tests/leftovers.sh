#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Runs last in make test: nothing the tests made is left behind. Test labs are named
# t<pid>-<lesson>, demo labs xdpdemo<pid>-*, the kernel checker's namespace xdpcheck<pid>,
# make bench's labs xdpbench<pid>-*; one whose process is gone is a leak. (Other test
# runs going on at the same time keep theirs while they run.)
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

tap_require_root

leaked=""
for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
	pid=$(sed -nE 's/^(t|xdpdemo|xdpcheck|xdpbench)([0-9]+)(-.*)?$/\2/p' <<<"$ns")
	[ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null && leaked="$leaked $ns"
done
tap_is "${leaked# }" "" "no test or demo namespace outlives its test"

progs=$(cat "$TOP"/[0-9][0-9]-*/*.bpf.c | sed -n '/^SEC("xdp/{n;s/^int \([a-z_0-9]*\)(.*/\1/p}' |
	sort -u | tr '\n' '|')
attached=$(ip -details link show | sed -n 's/.*prog\/xdp id [0-9]* name \([^ ]*\).*/\1/p' |
	grep -xE "${progs%|}" || true)
tap_is "$attached" "" "none of the course's programs is attached in this namespace"

# pinned programs and maps are files; directories and links are iproute2's usual layout
pinned=$(find /sys/fs/bpf -mindepth 1 -maxdepth 3 -type f ! -name '*.debug' 2>/dev/null |
	grep -iE "xdp|lab|lesson|${progs%|}" || true)
tap_is "$pinned" "" "nothing of ours is pinned under /sys/fs/bpf"

tap_done
