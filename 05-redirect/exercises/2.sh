#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Exercise 2: addresses that come later. Your pong on the router's left0, in a router lab of its
# own (generic mode: an XDP_TX there goes out through veth's normal transmit path, so the left
# host needs no XDP program of its own). A ping from left is answered by pong when the router's
# stack did not see it (its Icmp InEchos stays put), by the stack when it did. pong answers
# 198.51.100.1 from the start; an address added to left0 while it runs is answered by pong
# within a few intervals, and once removed, by no one.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../../tests/lib.sh"

NEW=198.51.100.9
WAIT=15		# seconds: pong reads the addresses again every interval (0.2 s here)

# shellcheck disable=SC2016  # awk's $ fields
in_echos() {
	in_router awk '$1 == "Icmp:" && !n { for (i = 2; i <= NF; i++) c[$i] = i; n = 1; next }
		       $1 == "Icmp:" { print $c["InEchos"] }' /proc/net/snmp
}
who() {	# who ADDRESS: who answered one ping from left: pong, the router's stack, or no one
	local echos replies
	echos=$(in_echos)
	replies=$(left_ping 1 "$1")
	if [ "$replies" != 1 ]; then
		echo "no one"
	elif [ "$(in_echos)" != "$echos" ]; then
		echo "the router's stack"
	else
		echo pong
	fi
}
who_within() {	# who_within SECONDS ADDRESS WANT: ping until WANT answers; the last answer
	local deadline=$((SECONDS + $1)) got
	while :; do
		got=$(who "$2")
		if [ "$got" = "$3" ] || [ "$SECONDS" -ge "$deadline" ]; then
			break
		fi
	done
	echo "$got"
}
answers() {	# answers COUNT ADDRESS: "R replies, S from the router's stack"
	local echos replies
	echos=$(in_echos)
	replies=$(left_ping "$1" "$2")
	echo "${replies:-0} replies, $(($(in_echos) - echos)) from the router's stack"
}

exercise_start "Exercise 2: addresses that come later"
router_lab_start "t$$-ex"
router_loader_start "$TMP/out" "$ROUTER_IN" "$(lesson_bin 05-redirect pong)" -i "$ROUTER_IN" \
	-m skb -I 0.2 ||
	{ expect "your pong attaches" "attached" "not: $(tail -n 1 "$TMP/out")"; exercise_done; }
expect "3 pings to $ROUTER_LEFT_IP, left0's address from the start" \
	"3 replies, 0 from the router's stack" "$(answers 3 "$ROUTER_LEFT_IP")"

in_router ip addr add "$NEW/24" dev "$ROUTER_IN"
expect "who answers a ping to $NEW, added to left0 (within $WAIT s)" pong \
	"$(who_within "$WAIT" "$NEW" pong)"
expect "3 more pings to $NEW" "3 replies, 0 from the router's stack" "$(answers 3 "$NEW")"

in_router ip addr del "$NEW/24" dev "$ROUTER_IN"
expect "who answers a ping to $NEW, removed from left0 (within $WAIT s)" "no one" \
	"$(who_within "$WAIT" "$NEW" "no one")"
expect "2 more pings to $NEW" "0 replies, 0 from the router's stack" "$(answers 2 "$NEW")"
expect "2 pings to $ROUTER_LEFT_IP, still there" "2 replies, 0 from the router's stack" \
	"$(answers 2 "$ROUTER_LEFT_IP")"
rc=0
loader_stop INT || rc=$?
expect "pong stops on Ctrl-C with exit status" 0 "$rc"
exercise_done
