#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The frame builders (common/packets.c) judged by the kernel's own stack: frames that lab/xmit
# sends from the peer must pass every check the host's IPv4, UDP, TCP and ICMP code makes —
# checksums included — and a frame damaged on purpose must fail the one it was damaged for.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

tap_require_root
lab_start
XMIT=$TOP/lab/xmit

# snmp PROTO FIELD: a counter from the host namespace's /proc/net/snmp
snmp() {
	in_host awk -v p="$1:" -v f="$2" '
		$1 == p && !names { for (i = 2; i <= NF; i++) col[$i] = i; names = 1; next }
		$1 == p && names { print $col[f]; exit }' /proc/net/snmp
}

send() { in_peer "$XMIT" -i "$PEER_IF" --dst-mac 02:00:c0:00:02:01 "$@" >/dev/null; }

# delta PROTO FIELD COMMAND...: how much the counter moved while COMMAND ran
delta() {
	local before after
	before=$(snmp "$1" "$2")
	"${@:3}"
	sleep 0.1
	after=$(snmp "$1" "$2")
	echo $((after - before))
}

csum_errors() {
	echo $(($(snmp Udp InCsumErrors) + $(snmp Tcp InCsumErrors) + $(snmp Icmp InCsumErrors)))
}
errors_before=$(csum_errors)
hdr_before=$(snmp Ip InHdrErrors)

tap_is "$(delta Udp NoPorts send -t udp -c 5 -s 200)" 5 \
	"5 UDP datagrams to port 9 reach UDP (no listener: NoPorts 5)"
tap_is "$(delta Udp NoPorts send -t udp -c 3 -s 1514)" 3 "3 full-MTU UDP datagrams too"
tap_is "$(delta Udp NoPorts send -t udp -c 1 -s 64 --ihl 8)" 1 \
	"a UDP datagram behind 12 bytes of IPv4 options too"
tap_is "$(delta Tcp OutRsts send -t tcp-syn -c 3)" 3 "3 TCP SYNs to a closed port get 3 RSTs"
tap_is "$(delta Icmp OutEchoReps send -t icmp -c 4 -s 98)" 4 "4 ICMP echo requests get 4 replies"
tap_is "$(csum_errors)" "$errors_before" "no UDP, TCP or ICMP checksum errors"
tap_is "$(snmp Ip InHdrErrors)" "$hdr_before" "no IPv4 header errors"
tap_is "$(delta Ip InHdrErrors send -t udp -c 1 --ihl 4)" 1 \
	"a header with IHL 4 (too short) is an IPv4 header error"
tap_is "$(delta Icmp OutEchoReps send -t icmp -c 2 --src "$PEER_IP2")" 2 \
	"echo requests from the second peer address are answered"

tap_done
