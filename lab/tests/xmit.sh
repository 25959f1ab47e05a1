#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# lab/xmit: a wrong command line is one line and exit status 2; every way of naming the type
# sends that type; numbers are decimal; --listen reports the frames of its interface only.
set -uo pipefail
# arm/run: skip on arm64,armhf-bookworm*: checked 64-bit in arm64-bookworm, 32-bit in armhf
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../../tests/lib.sh"

tap_require_root
lab_start
XMIT=$TOP/lab/xmit
HOST_MAC=02:00:c0:00:02:01

one_line() { [ "$(wc -l <"$1")" = 1 ]; }

# --- bad input
bad() {	# bad WHAT ARGS...: one line on stderr naming WHAT, exit status 2, nothing sent
	local what=$1 rc
	shift
	in_peer "$XMIT" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	tap_ok "xmit $*: exit status 2 ($rc), one line: $what" \
		eval '[ $rc = 2 ] && one_line "$TMP/err" && grep -qF -- "$what" "$TMP/err" &&
		      [ ! -s "$TMP/out" ]'
}
bad "unknown type 'bogus'" -i "$PEER_IF" -t bogus
bad "unknown type 'bogus'" -i "$PEER_IF" --type=bogus
bad "unknown type 'bogus'" -i "$PEER_IF" -tbogus
bad "--vlan wants a number from 0 to 4095, not '0x10'" -i "$PEER_IF" --vlan 0x10
bad "--truncate wants a number from 14" -i "$PEER_IF" --truncate 13
bad "--truncate wants a number from 14" -i "$PEER_IF" --truncate 1
bad "--frag wants a multiple of 8, not '1481'" -i "$PEER_IF" --frag 1481
bad "--frag wants a multiple of 8, not '4'" -i "$PEER_IF" --frag 4
for mac in 0x1:2:3:4:5:6 -0:1:2:3:4:5 +1:2:3:4:5:6 " 1:2:3:4:5:6" 1:2:3:4:5:666 \
	1:2:3:4:5:6x "1:2:3:4:5:6 " 1:2:3:4:5 1::3:4:5:6; do
	bad "'$mac' is not a MAC address" -i "$PEER_IF" --dst-mac "$mac"
done
bad "unknown option '--foo'" -i "$PEER_IF" --foo
bad "unknown option '-z'" -i "$PEER_IF" -z
bad "option '--count' needs an argument" -i "$PEER_IF" --count
bad "unexpected argument 'extra'" -i "$PEER_IF" extra
bad "which interface?" -t udp

# --- what is sent: watched from the host with xmit --listen
# sent_as WHAT ARGS...: the host's view of one frame the peer sends with ARGS
sent_as() {
	in_host "$XMIT" -i "$HOST_IF" --listen 1 --timeout 10 >"$TMP/listen" 2>&1 &
	local pid=$!
	wait_for 60 grep -qs '^xmit: listening' "$TMP/listen"
	in_peer "$XMIT" -i "$PEER_IF" "$@" >/dev/null
	wait "$pid"
	sed -n 2p "$TMP/listen"
}
for t in "-t icmp" "-ticmp" "--type icmp" "--type=icmp"; do
	# shellcheck disable=SC2086  # two words, or one
	tap_ok "xmit $t sends an ICMP echo request" \
		eval 'sent_as --dst-mac "$HOST_MAC" $t | grep -q " proto 1 ip-csum ok icmp type 8 csum ok "'
done
tap_ok "xmit --type=tcp-syn sends TCP" \
	eval 'sent_as --dst-mac "$HOST_MAC" --type=tcp-syn | grep -q " proto 6 "'
tap_is "$(sent_as --dst-mac "$HOST_MAC" --vlan 010 --vlan 020 | sed 's/.* > [0-9a-f:]* //')" \
	"vlan 10 vlan 20 ethertype 0x0800 len 46" \
	"xmit --vlan 010 --vlan 020: VLAN 10 in VLAN 20 (decimal, not octal)"
tap_ok "xmit --dst-mac 2:0:c0:0:2:1 (one-digit fields) reaches the host's MAC" \
	eval 'sent_as --dst-mac 2:0:c0:0:2:1 | grep -q " > $HOST_MAC ipv4 "'
tap_ok "xmit --truncate 14 sends the Ethernet header alone" \
	eval 'sent_as --dst-mac "$HOST_MAC" --truncate 14 | grep -q " ethertype 0x0800 len 14$"'

# --- --listen hears its own interface only, even while another one is busy: lo, here, flooded
# with pings, while the peer sends a frame a millisecond to the host. A socket opened for
# every protocol hears every interface until bind() narrows it: a few of 200 listens of the
# old xmit reported a frame of lo first.
# (ip netns exec, not in_host: $! must be timeout itself, which passes a SIGTERM on; killed
# after the listens, the timeout only a backstop: in an emulated CPU the listens take minutes)
ip netns exec "$LAB_NAME-host" timeout 900 ping -f -q 127.0.0.1 >/dev/null 2>&1 &
flood=$!
ip netns exec "$LAB_NAME-peer" timeout 900 "$XMIT" -i "$PEER_IF" --dst-mac "$HOST_MAC" \
	-c 1000000 --gap-us 1000 >/dev/null 2>&1 &
trickle=$!
trap 'rc=$?; kill "$flood" "$trickle" 2>/dev/null; (exit $rc); cleanup' EXIT
wait_for 60 eval '[ "$(in_host cat /sys/class/net/lo/statistics/rx_packets)" -gt 1000 ]'
heard=0 other=0
listens=200
[ -z "${ARM_RUN:-}" ] || listens=40	# an emulated CPU: each listen is a process, slowly made
for _ in $(seq "$listens"); do
	in_host "$XMIT" -i "$HOST_IF" --listen 1 --timeout 5 >"$TMP/listen" 2>&1
	if grep -q '^xmit: 00:00:00:00:00:00 > 00:00:00:00:00:00 ' "$TMP/listen"; then
		heard=$((heard + 1))
	elif ! grep -q "^xmit: [0-9a-f:]* > $HOST_MAC ipv4 $PEER_IP > $HOST_IP " "$TMP/listen"; then
		other=$((other + 1))
	fi
done
kill "$flood" "$trickle" 2>/dev/null
wait "$flood" "$trickle" 2>/dev/null
tap_is "$heard" 0 "$listens listens on $HOST_IF while lo is flooded: no frame of lo reported"
tap_is "$other" 0 "... each one reported the peer's frame"

tap_done
