#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# End to end: the real tunnel loader in NAME-tep of a tunnel lab of its own, against the
# kernel's vxlan device in NAME-far, in native and in generic (skb) mode. Hosts a and b share
# 192.0.2.0/24 and nothing but the tunnel joins them. With the endpoint attached:
#   K pings each way, and K UDP datagrams each way, all arrive: exact counts at both hosts;
#   an inner packet of exactly 1450 bytes (the inner MTU) crosses, 1451 bytes does not (counted
#   too big); a 43-byte frame padded to 60 arrives at b as 43 bytes (adjust_tail, checked in
#   both modes: generic mode is where a Raspberry Pi kernel had trouble with it);
#   tcpdump on the wire decodes every frame as VXLAN, VNI 42, with no bad IPv4 checksum, and
#   ours from source ports in 49152-65535;
#   the kernel's vxlan0 counts exactly the frames we sent and no error or drop;
#   the loader's totals say what crossed, and Ctrl-C detaches it from both interfaces.
# Bad command lines and an unusable wire exit with one line and leave nothing attached.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../../tests/lib.sh"

tap_require_root
command -v tcpdump >/dev/null || tap_skip_all "tcpdump is missing: make deps"
tunnel_lab_start
TUNNEL=$(lesson_bin 08-tunnel tunnel)
XMIT=$TOP/lab/xmit
K=5
ARGS=(-i lan0 --to wire0 --remote "$FAR_IP" --net 192.0.2.0/24 --vni 42)
# a UDP datagram with 1 byte of data, 43 bytes from a to b, padded to 60 as a NIC would
PADDED=0200c00002020200c000020108004500001d000100004011f6cbc0000201c00002029c4000090009000078
PADDED=$PADDED$(printf '00%.0s' {1..17})

totals() { sed -n 's/^tunnel: total //p' "$1"; }
# A counter of /proc/net/snmp in one of the lab's namespaces: snmp a Icmp InDestUnreachs
# shellcheck disable=SC2016
snmp() {
	ip netns exec "$LAB_NAME-$1" awk -v p="$2:" -v f="$3" '
		$1 == p && !n { for (i = 2; i <= NF; i++) col[$i] = i; n = 1; next }
		$1 == p { print $col[f] }' /proc/net/snmp
}
snmp_is() { [ "$(snmp "$1" "$2" "$3")" = "$4" ]; }	# snmp_is a Icmp InDestUnreachs 5
vxlan_stat() { in_far cat "/sys/class/net/vxlan0/statistics/$1"; }

# --- command lines that cannot work: one line, the right status, nothing attached
in_tep "$TUNNEL" -i lan0 --to wire0 --remote "$FAR_IP" --net 192.0.2.0/24 >"$TMP/out" \
	2>"$TMP/err"
tap_is "$?" 2 "no --vni: exit status 2"
tap_is "$(cat "$TMP/err")" \
	"tunnel: name --to, --remote, --net and --vni (see tunnel --help)" "... and says so"
in_tep "$TUNNEL" "${ARGS[@]}" --net 192.0.2.0/33 >"$TMP/out" 2>"$TMP/err"
tap_is "$?" 2 "--net 192.0.2.0/33: exit status 2"
tap_is "$(wc -l <"$TMP/err")" 1 "... one line"
in_tep "$TUNNEL" "${ARGS[@]}" --vni 16777216 >"$TMP/out" 2>"$TMP/err"
tap_is "$?" 2 "--vni 16777216: exit status 2"
in_tep ip link add bare0 type veth peer name bare1
in_tep "$TUNNEL" -i lan0 --to bare0 --remote "$FAR_IP" --net 192.0.2.0/24 --vni 42 -d 2 \
	>"$TMP/out" 2>"$TMP/err"
tap_is "$?" 1 "--to bare0, without an IPv4 address: exit status 1"
# shellcheck disable=SC2016  # eval expands it
tap_ok "... one line: bare0 has no IPv4 address" eval \
	'[ "$(wc -l <"$TMP/err")" = 1 ] && grep -q "^tunnel: bare0 has no IPv4 address" "$TMP/err"'
in_tep "$TUNNEL" "${ARGS[@]}" --remote 203.0.113.9 -d 2 >"$TMP/out" 2>"$TMP/err"
tap_is "$?" 1 "--remote 203.0.113.9, not a neighbour: exit status 1"
tap_ok "... one line: no neighbour entry" grep -q "^tunnel: wire0 has no neighbour entry" \
	"$TMP/err"
tap_ok "... and nothing attached anywhere" tep_detached

tap_is "$(a_ping 2 "$B_IP")" 0 "no endpoint: 2 pings from a to b get no reply"
# Every UDP datagram to a closed port gets its port unreachable, for exact counts: no rate
# limit (by default a host sends about one a second to each other host, after a burst of 6)
in_a sysctl -qw net.ipv4.icmp_ratelimit=0
in_b sysctl -qw net.ipv4.icmp_ratelimit=0

# The far end's frames on the wire, decoded by tcpdump: one line of outer headers, one of UDP
# and VXLAN, one of the inner packet.
capture_start() {
	# not through in_far: $! must be tcpdump itself, to stop it (ip netns exec execs it)
	# -Z root: Debian's tcpdump drops to a user "tcpdump", which a minimal system (the ARM
	# VMs of make test-arm) may not have
	ip netns exec "$LAB_NAME-far" tcpdump -Z root -i wire0 -n -v -l udp port 4789 >"$TMP/wire" \
		2>"$TMP/tcpdump" &
	CAPTURE_PID=$!
	wait_for 60 grep -q 'listening on' "$TMP/tcpdump"
}
captured() { grep -c ': VXLAN, flags \[I\] (0x08), vni 42$' "$TMP/wire"; }
have_captured() { [ "$(captured)" -ge "$1" ]; }
capture_stop() {	# capture_stop COUNT: once COUNT frames are in, or after 20 s
	wait_for 60 have_captured "$1"
	# TERM: a background job of a script ignores INT
	kill -TERM "$CAPTURE_PID" 2>/dev/null
	wait "$CAPTURE_PID"
	CAPTURE_PID=
}
CAPTURE_PID=
stop_capture() {
	local rc=$?
	[ -z "$CAPTURE_PID" ] || kill -9 "$CAPTURE_PID" 2>/dev/null
	(exit "$rc")
	cleanup
}
trap stop_capture EXIT

run_mode() {	# run_mode native|skb
	local mode=$1 rx tx out=$TMP/tunnel-$1 enc dec
	rx=$(vxlan_stat rx_packets)
	tx=$(vxlan_stat tx_packets)
	tap_ok "$mode: tunnel attaches to lan0 and wire0" tunnel_loader_start "$out" \
		"$TUNNEL" "${ARGS[@]}" -m "$mode" -I 0.2
	tap_ok "$mode: ... in $mode mode" grep -q "attached to lan0 .* in ${mode/skb/generic (skb)} \
mode" "$out"
	capture_start

	tap_is "$(a_ping $K "$B_IP")" $K "$mode: $K pings from a to b: $K replies"
	tap_is "$(b_ping $K "$A_IP")" $K "$mode: $K pings from b to a: $K replies"

	# UDP to a port where nothing listens: the host answers each datagram with an ICMP port
	# unreachable, which comes back through the tunnel
	unreach_a=$(snmp a Icmp InDestUnreachs)
	unreach_b=$(snmp b Icmp InDestUnreachs)
	in_b "$XMIT" -i veth0 --listen $K --timeout 30 >"$TMP/at-b" &
	wait_for 60 grep -qs '^xmit: listening' "$TMP/at-b"
	in_a "$XMIT" -i veth0 --dst-mac "$B_MAC" --src "$A_IP" --dst "$B_IP" -c $K -s 200 \
		>/dev/null
	wait $!
	tap_is "$(grep -c "^xmit: $A_MAC > $B_MAC ipv4 $A_IP > $B_IP ttl 64 proto 17 ip-csum ok \
len 200$" "$TMP/at-b")" $K "$mode: $K UDP datagrams from a arrive at b, as they were sent" ||
		tap_diag "$(cat "$TMP/at-b")"
	tap_ok "$mode: ... and b's $K port unreachables arrive at a" \
		wait_for 60 snmp_is a Icmp InDestUnreachs $((unreach_a + K))
	in_a "$XMIT" -i veth0 --listen $K --timeout 30 >"$TMP/at-a" &
	wait_for 60 grep -qs '^xmit: listening' "$TMP/at-a"
	in_b "$XMIT" -i veth0 --dst-mac "$A_MAC" --src "$B_IP" --dst "$A_IP" -c $K -s 300 \
		>/dev/null
	wait $!
	tap_is "$(grep -c "^xmit: $B_MAC > $A_MAC ipv4 $B_IP > $A_IP ttl 64 proto 17 ip-csum ok \
len 300$" "$TMP/at-a")" $K "$mode: $K UDP datagrams from b arrive at a, as they were sent" ||
		tap_diag "$(cat "$TMP/at-a")"
	tap_ok "$mode: ... and a's $K port unreachables arrive at b" \
		wait_for 60 snmp_is b Icmp InDestUnreachs $((unreach_b + K))

	# the padding: 60 bytes leave a, 43 arrive at b (and b's port unreachable comes back)
	in_b "$XMIT" -i veth0 --listen 1 --timeout 30 >"$TMP/at-b" &
	wait_for 60 grep -qs '^xmit: listening' "$TMP/at-b"
	in_a "$XMIT" -i veth0 --hex "$PADDED" >/dev/null
	wait $!
	tap_is "$(grep -c "^xmit: $A_MAC > $B_MAC ipv4 $A_IP > $B_IP .* len 43$" "$TMP/at-b")" 1 \
		"$mode: a 43-byte frame padded to 60 arrives at b as 43 bytes (adjust_tail trimmed it)"
	grep -q "len 43$" "$TMP/at-b" || tap_diag "$(cat "$TMP/at-b")"
	wait_for 60 snmp_is a Icmp InDestUnreachs $((unreach_a + K + 1))

	# the MTU: a's own is 1450, as the tunnel needs; at 1500 a sends what cannot fit
	tap_is "$(a_ping 1 "$B_IP" -s 1422 -M "do")" 1 \
		"$mode: a 1450-byte ping (the inner MTU) crosses"
	in_a ip link set veth0 mtu 1500
	tap_is "$(a_ping 2 "$B_IP" -s 1423 -M "do")" 0 \
		"$mode: with a's MTU at 1500, 2 pings of 1451 bytes get no reply"
	in_a ip link set veth0 mtu 1450

	# each way: K echo requests, K replies, K UDP datagrams, K port unreachables; and the
	# 1450-byte ping and its reply, the padded frame and its port unreachable
	enc=$((4 * K + 2))
	dec=$((4 * K + 2))
	capture_stop $((enc + dec))
	# Exact counts come from the hosts and from vxlan0 below. tcpdump is the independent
	# decoder: every frame it caught must be VXLAN. (Under heavy load, in generic mode, it
	# has missed 2 of 44 frames that vxlan0 then counted, with none "dropped by kernel":
	# not understood yet, so its count is not held to be exact.)
	frames=$(grep -cE '^[0-9]{2}:[0-9]{2}:[0-9]{2}\.' "$TMP/wire")
	tap_is "$(captured)" "$frames" "$mode: tcpdump on the wire decodes every frame it caught \
($frames of $((enc + dec))) as VXLAN, flags [I], VNI 42"
	[ "$frames" = $((enc + dec)) ] || tap_diag "$(tail -n 3 "$TMP/tcpdump")
$(sed -n 's/.*\(192\.0\.2\.[12] > 192\.0\.2\.[12]: [A-Za-z ]*\).*/\1/p' "$TMP/wire" |
	sort | uniq -c)"
	tap_ok "$mode: ... among them ours to $FAR_IP port 4789, and the far end's to us" eval \
		'grep -q "203.0.113.1.[0-9]* > 203.0.113.2.4789: VXLAN" "$TMP/wire" &&
		 grep -q "203.0.113.2.[0-9]* > 203.0.113.1.4789: VXLAN" "$TMP/wire"'
	tap_is "$(grep -c 'bad cksum' "$TMP/wire")" 0 "$mode: ... none with a bad IPv4 checksum"
	tap_is "$(sed -n 's/.*203\.0\.113\.1\.\([0-9]*\) > 203\.0\.113\.2\.4789: VXLAN.*/\1/p' \
		"$TMP/wire" | awk '$1 < 49152 || $1 > 65535' | wc -l)" 0 \
		"$mode: ... all of ours from source ports in 49152-65535"
	tap_ok "$mode: ... with a's echo requests to b inside" \
		grep -q '192.0.2.1 > 192.0.2.2: ICMP echo request' "$TMP/wire"

	tap_is "$(($(vxlan_stat rx_packets) - rx))" $enc \
		"$mode: the kernel's vxlan0 received the $enc frames we sent"
	tap_is "$(($(vxlan_stat tx_packets) - tx))" $dec "$mode: ... and sent $dec"
	tap_is "$(vxlan_stat rx_errors) $(vxlan_stat rx_dropped) $(vxlan_stat tx_errors) \
$(vxlan_stat tx_dropped)" "0 0 0 0" "$mode: ... with no error and no drop, either way"

	loader_stop INT
	tap_is "$?" 0 "$mode: Ctrl-C: exit status 0"
	tap_ok "$mode: detached from lan0 and wire0" tep_detached
	tap_is "$(totals "$out")" "$enc encapsulated, $dec decapsulated, 2 too big, 0 passed" \
		"$mode: totals: $enc encapsulated, $dec decapsulated, the 2 big pings too big"
	tap_is "$(sed -n 's/^tunnel: \([0-9]*\) encapsulated.*/\1/p' "$out" |
		awk '{ s += $1 } END { print s }')" $enc "$mode: the interval lines add up"
	tap_is "$(a_ping 2 "$B_IP")" 0 "$mode: detached, 2 pings from a to b get no reply"
}

run_mode native
run_mode skb
tap_done
