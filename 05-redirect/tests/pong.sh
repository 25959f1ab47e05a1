#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# End to end: the real pong (XDP_TX) on the router's left0, in a router lab of its own. K pings
# from the left host get K replies, each checked at the left host (type 0, both checksums valid,
# MACs and addresses swapped, TTL 64), while the router's IP stack sees none of the requests. A
# ping with TTL 1 gets its reply at TTL 64. What pong leaves to the stack: pings to an address
# that is not left0's (right's: forwarding is off, no reply), pings with IP options (record
# route: the stack answers), pings too big for one frame (fragments: the stack answers), a
# request from 0.0.0.0 (nobody answers). After Ctrl-C the stack answers again.
#
# veth sends an XDP_TX frame to the other end's queue, but wakes that end up only if it has an XDP
# program of its own (GRO is not enough, unlike for a redirect): without one, the replies never
# arrive. A second pong on the left host's veth0 is that program: it passes the replies.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../../tests/lib.sh"

tap_require_root
router_lab_start
PONG=$(lesson_bin 05-redirect pong)
XMIT=$TOP/lab/xmit
K=7

# A counter of /proc/net/snmp in one of the lab's namespaces: snmp router Icmp InEchos
# shellcheck disable=SC2016
snmp() {
	ip netns exec "$LAB_NAME-$1" awk -v p="$2:" -v f="$3" '
		$1 == p && !n { for (i = 2; i <= NF; i++) col[$i] = i; n = 1; next }
		$1 == p { print $col[f] }' /proc/net/snmp
}
totals() { sed -n 's/^pong: total //p' "$1"; }

# an interface without an IPv4 address: nothing to answer for, so a one-line error and nothing
# attached (-d 2, should it attach after all)
in_router ip link add bare0 type veth peer name bare1
in_router "$PONG" -i bare0 -d 2 >"$TMP/out" 2>"$TMP/err"
tap_is "$?" 1 "pong -i bare0, an interface without an IPv4 address: exit status 1"
# shellcheck disable=SC2016  # eval expands it
tap_ok "... one line: bare0 has no IPv4 address to answer pings for" eval \
	'[ "$(wc -l <"$TMP/err")" = 1 ] && grep -q "^pong: bare0 has no IPv4 address" "$TMP/err"'
tap_is "$(router_prog_id bare0)" "" "... and nothing attached to it"

# the far end's program, stopped however this test ends (after lib.sh's cleanup is set)
FAR_PID=
stop_far() {
	local rc=$?
	[ -z "$FAR_PID" ] || kill -9 "$FAR_PID" 2>/dev/null
	(exit "$rc")
	cleanup
}
trap stop_far EXIT
far_attached() { ip -n "$LAB_NAME-left" link show veth0 | grep -q 'prog/xdp'; }
ip netns exec "$LAB_NAME-left" "$PONG" -i veth0 -d 120 >"$TMP/far" 2>&1 &
FAR_PID=$!
tap_ok "a second pong on left's veth0, the far end" wait_for 60 far_attached

tap_is "$(left_ping 2 "$ROUTER_LEFT_IP")" 2 "no XDP on left0: the router's stack answers 2 pings"
tap_ok "pong -i left0 attaches" router_loader_start "$TMP/pong" "$ROUTER_IN" "$PONG" \
	-i "$ROUTER_IN" -I 0.2
echos=$(snmp router Icmp InEchos)
csum_errors=$(snmp left Icmp InCsumErrors)
in_left "$XMIT" -i veth0 --listen $K --timeout 60 >"$TMP/left" &
listener=$!
wait_for 60 grep -qs '^xmit: listening' "$TMP/left"
tap_is "$(left_ping $K "$ROUTER_LEFT_IP")" $K "$K pings to the router get $K replies"
wait "$listener"
reply="$ROUTER_LEFT_MAC > $LEFT_MAC ipv4 $ROUTER_LEFT_IP > $LEFT_IP ttl 64 proto 1 ip-csum ok"
tap_is "$(grep -c "^xmit: $reply icmp type 0 csum ok len 98$" "$TMP/left")" \
	$K "left received $K echo replies: MACs and addresses swapped, TTL kept, checksums valid"
tap_is "$(($(snmp left Icmp InCsumErrors) - csum_errors))" 0 "left's stack saw no checksum error"
tap_is "$(($(snmp router Icmp InEchos) - echos))" 0 "the router's stack saw none of the requests"

# a request with TTL 1: its reply is a new packet, with a fresh TTL
in_left "$XMIT" -i veth0 --listen 1 --timeout 60 >"$TMP/ttl" &
listener=$!
wait_for 60 grep -qs '^xmit: listening' "$TMP/ttl"
tap_is "$(left_ping 1 "$ROUTER_LEFT_IP" -t 1)" 1 "a ping with TTL 1 gets its reply"
wait "$listener"
tap_is "$(grep -c "^xmit: $reply icmp type 0 csum ok len 98$" "$TMP/ttl")" 1 \
	"... at TTL 64, checksums valid"
tap_is "$(($(snmp router Icmp InEchos) - echos))" 0 "... from pong, not the router's stack"

# pong answers only for left0's own addresses: pings to right are the router's to forward,
# and forwarding is off
tap_is "$(left_ping 2 "$RIGHT_IP")" 0 \
	"2 pings to right, through a router that does not forward: no reply"
# IP options want answers of their own, which the stack gives (record route: ping -R)
tap_is "$(left_ping 1 "$ROUTER_LEFT_IP" -R)" 1 "a ping with the record-route option: 1 reply"
tap_is "$(($(snmp router Icmp InEchos) - echos))" 1 "... from the router's stack"
# too big for one frame: fragments, which only the stack can reassemble (and it answers)
tap_is "$(left_ping 1 "$ROUTER_LEFT_IP" -s 2000)" 1 "a 2000-byte ping in 2 fragments: 1 reply"
tap_is "$(($(snmp router Icmp InEchos) - echos))" 2 "... from the router's stack"
# a request from 0.0.0.0 (the stack drops such a source as a martian) and 3 UDP frames
in_left "$XMIT" -i veth0 --dst-mac "$ROUTER_LEFT_MAC" --src 0.0.0.0 --dst "$ROUTER_LEFT_IP" \
	-t icmp >/dev/null
in_left "$XMIT" -i veth0 --dst-mac "$ROUTER_LEFT_MAC" --src "$LEFT_IP" --dst "$ROUTER_LEFT_IP" \
	-t udp -c 3 >/dev/null
sleep 0.5
loader_stop INT
tap_is "$?" 0 "Ctrl-C: exit status 0"
tap_ok "detached after Ctrl-C" router_detached
tap_is "$(totals "$TMP/pong")" \
	"$((K + 1)) echo requests answered, 9 other frames passed" \
	"totals: $((K + 1)) answered; passed: 2 to right, 1 with options, 2 fragments, 1 from \
0.0.0.0, 3 UDP"
tap_is "$(sed -n 's/^pong: \([0-9]*\) echo requests\{0,1\} answered.*/\1/p' "$TMP/pong" |
	awk '{ s += $1 } END { print s }')" $((K + 1)) "the interval lines add up to the total"

echos=$(snmp router Icmp InEchos)
tap_is "$(left_ping 3 "$ROUTER_LEFT_IP")" 3 "after Ctrl-C, 3 pings to the router: 3 replies"
tap_is "$(($(snmp router Icmp InEchos) - echos))" 3 "... from the router's stack again"
tap_is "$(left_ping 2 "$RIGHT_IP")" 0 "and pings to right get no reply: forwarding is off"

kill -INT "$FAR_PID"
wait "$FAR_PID"
tap_is "$?" 0 "the far end's pong exits with status 0"
FAR_PID=
far=$(sed -n 's/^pong: total \([0-9]*\) echo requests* answered, \([0-9]*\) other.*/\1 \2/p' \
	"$TMP/far")
tap_is "${far% *}" 0 "the far end answered no echo request"
# the replies counted above; the router's ICMP errors (rate-limited) come on top
tap_ok "... and passed at least the $((K + 6)) reply frames (got ${far#* })" \
	test "${far#* }" -ge $((K + 6))

tap_done
