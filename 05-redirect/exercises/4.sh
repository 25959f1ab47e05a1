#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Exercise 4: say what to do about a failed redirect. Your redirect, with --both, in a router lab
# of its own, three times: pings that cross (no error, so no advice); pings while right's veth0
# runs no NAPI (GRO off, no XDP program: since Linux 6.3 every redirect into right0 fails with
# -EOPNOTSUPP; before, veth drops them without an error, and the check says so); pings while
# right0 is down (-ENETDOWN, on every kernel). After Ctrl-C, below "the last redirect error",
# a line must name what to do about it, for right0: `ip link set right0 up`, or turning GRO on
# at its other end (`gro on`) or giving that end an XDP program.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../../tests/lib.sh"

# shellcheck disable=SC2317  # called through wait_for
ready() { grep -q '^redirect: forwarding IPv4 in XDP' "$TMP/out"; }
# The learner's redirect --both; COMMAND once it forwards (taking right0 down flushes the
# router's neighbour entries, which it reads when it starts); 3 pings from left; Ctrl-C.
# Its output in $TMP/out, the replies in $REPLIES.
run() {	# run [COMMAND...]
	if ! router_loader_start "$TMP/out" "$ROUTER_IN" "$(lesson_bin 05-redirect redirect)" \
		-i "$ROUTER_IN" --to "$ROUTER_OUT" --both -I 0.2 || ! wait_for 10 ready; then
		expect "your redirect attaches and forwards" "attached" \
			"not: $(tail -n 1 "$TMP/out")"
		exercise_done
	fi
	[ $# = 0 ] || "$@"
	REPLIES=$(left_ping 3)
	loader_stop INT
}
# Its totals' errors column for left0 -> right0.
errors() { awk '$1 == "total" { print $4 }' "$TMP/out"; }
# What it said after the totals row but the error itself, a line each.
after_totals() {
	sed -n '/^ *total /,$p' "$TMP/out" | grep -v '^ *total \|the last redirect error'
}
said() {	# what it said after the totals, on one line
	local all
	all=$(after_totals | tr '\n' ' ' | sed 's/ *$//')
	echo "${all:-nothing}"
}
advice() {	# advice PATTERN...: "yes" if a line after the totals holds every PATTERN
	local line p all
	while read -r line; do
		all=yes
		for p in "$@"; do
			grep -qiF -- "$p" <<<"$line" || all=
		done
		[ -z "$all" ] || { echo yes; return; }
	done < <(after_totals)
	echo "no; it said: $(said)"
}

exercise_start "Exercise 4: say what to do about a failed redirect"
router_lab_start "t$$-ex"

run
expect "replies to 3 pings, nothing wrong" 3 "$REPLIES"
expect "what it says after the totals when no redirect failed" "nothing" "$(said)"

in_right ethtool -K veth0 gro off
run
in_right ethtool -K veth0 gro on
expect "replies to 3 pings, right's veth0 without NAPI" 0 "$REPLIES"
if [ "$(errors)" = 0 ]; then
	echo "  this kernel cannot show it: it reports no error for frames redirected into a veth" \
		"whose other end has no NAPI (before Linux 6.3 veth drops them later, silently);" \
		"that advice is not checked here"
else
	expect "errors towards right0, without NAPI at its other end" 3 "$(errors)"
	expect "advice for right0 about NAPI at its other end: GRO on, or an XDP program" yes \
		"$(advice right0 "gro on" "xdp program")"
fi

run in_router ip link set "$ROUTER_OUT" down
in_router ip link set "$ROUTER_OUT" up
expect "replies to 3 pings, right0 down" 0 "$REPLIES"
expect "errors towards right0, while it was down" 3 "$(errors)"
expect "advice to run \`ip link set right0 up\`" yes \
	"$(advice "ip link set right0 up")"
exercise_done
