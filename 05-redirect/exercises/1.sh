#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Exercise 1: don't forward what is for the router. Your redirect, with --both, in a router lab
# of its own. Pings from left to right still cross; pings from left to both of the router's
# addresses, and from right to its right0 address, are passed to the router's stack as they
# came, which answers them (its Ip InReceives and Icmp InEchos count them). The totals row
# counts the first as redirected and the others as passed.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../../tests/lib.sh"

# A counter of the router's stack, from /proc/net/snmp: snmp Icmp InEchos
# shellcheck disable=SC2016  # awk's $ fields
snmp() {
	in_router awk -v p="$1:" -v f="$2" '
		$1 == p && !n { for (i = 2; i <= NF; i++) c[$i] = i; n = 1; next }
		$1 == p { print $c[f] }' /proc/net/snmp
}
right_ping() {	# right_ping COUNT ADDRESS: how many were answered
	in_right ping -n -q -c "$1" -i 0.2 -W 1 "$2" 2>/dev/null |
		sed -n 's/.* \([0-9]*\) received.*/\1/p'
}
# shellcheck disable=SC2317  # called through wait_for
ready() { grep -q '^redirect: forwarding IPv4 in XDP' "$TMP/out"; }

exercise_start "Exercise 1: don't forward what is for the router"
router_lab_start "t$$-ex"
if ! router_loader_start "$TMP/out" "$ROUTER_IN" "$(lesson_bin 05-redirect redirect)" \
	-i "$ROUTER_IN" --to "$ROUTER_OUT" --both -I 0.2 || ! wait_for 10 ready; then
	expect "your redirect attaches and forwards" "attached" "not: $(tail -n 1 "$TMP/out")"
	exercise_done
fi
echos=$(snmp Icmp InEchos)
received=$(snmp Ip InReceives)
expect "replies to 3 pings from left to right ($RIGHT_IP), forwarded" 3 \
	"$(left_ping 3 "$RIGHT_IP")"
expect "replies to 3 pings from left to the router's left0 ($ROUTER_LEFT_IP)" 3 \
	"$(left_ping 3 "$ROUTER_LEFT_IP")"
expect "replies to 2 pings from left to the router's right0 ($ROUTER_RIGHT_IP)" 2 \
	"$(left_ping 2 "$ROUTER_RIGHT_IP")"
expect "replies to 2 pings from right to the router's right0 ($ROUTER_RIGHT_IP)" 2 \
	"$(right_ping 2 "$ROUTER_RIGHT_IP")"
# a frame passed after its MACs were rewritten reaches the stack, which drops it as another host's
expect "frames the router's IP stack received (Ip InReceives)" 7 \
	$(($(snmp Ip InReceives) - received))
expect "echo requests it answered (Icmp InEchos)" 7 $(($(snmp Icmp InEchos) - echos))
rc=0
loader_stop INT || rc=$?
expect "redirect stops on Ctrl-C with exit status" 0 "$rc"
# "total L>R-redirected passed errors R>L-redirected passed errors"
expect "its totals row: left0 -> right0 redirected, passed, errors; right0 -> left0 the same" \
	"3 5 0 3 2 0" "$(awk '$1 == "total" { $1 = ""; print substr($0, 2) }' "$TMP/out")"
exercise_done
