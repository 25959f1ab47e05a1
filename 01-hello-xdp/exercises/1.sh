#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Exercise 1: show the source MAC. Your hello in a lab of its own: each hello line ends with
# "from" and the sender's MAC address, written as ip(8) writes one (02:00:c0:00:02:02). Pings
# come from the peer's veth1, with the MAC the lab gives it; then veth1 gets a MAC made up for
# this run and pings again, so that only a program that reads the frame can name it.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../../tests/lib.sh"

PEER_MAC=02:00:c0:00:02:02
HOST_MAC=02:00:c0:00:02:01
# locally administered, unicast, and different from run to run
OTHER_MAC=$(printf '02:00:5e:%02x:%02x:%02x' $((RANDOM % 256)) $((RANDOM % 256)) $(($$ % 256)))

# shellcheck disable=SC2317  # called through wait_for
hello_lines() { grep -c '^hello from XDP' "$TMP/out"; }
# shellcheck disable=SC2317
at_least() { [ "$(hello_lines)" -ge "$1" ]; }

# The MAC at the end of hello lines FROM to TO, as "3 x 02:00:c0:00:02:02": six groups of one or
# two hex digits, so that a MAC printed without leading zeros shows as it was printed.
macs() {	# macs FROM TO
	grep '^hello from XDP' "$TMP/out" | sed -n "$1,$2p" |
		sed -n 's/.*[^0-9a-fA-F:]\(\([0-9a-fA-F]\{1,2\}:\)\{5\}[0-9a-fA-F]\{1,2\}\)$/\1/p' |
		tr 'A-F' 'a-f' | uniq -c | awk '{ printf "%s%s x %s", s, $1, $2; s = ", " }'
}

# A word on what differs, when a line is wrong.
hint() {	# hint GOT
	case $1 in
	*"$HOST_MAC"*) echo "  ($HOST_MAC is veth0's own MAC: the frame's destination, not its source)" ;;
	"") echo "  (no hello line ends with a MAC address: print it last, as 02:00:c0:00:02:02)" ;;
	*) [[ $1 =~ (^|[ :])[0-9a-f](:|$) ]] &&
		echo "  (each byte is two hex digits, leading zero included: %02x)" ;;
	esac
	return 0
}

exercise_start "Exercise 1: show the source MAC"
lab_start "t$$-ex"
exercise_loader "$TMP/out" "$(lesson_bin 01-hello-xdp hello)" -i "$HOST_IF"

expect "replies to 3 pings from the peer" 3 "$(ping_replies 3)"
wait_for 10 at_least 3
got=$(macs 1 3)
expect "source MACs in the hello lines of the 3 pings" "3 x $PEER_MAC" "$got"
[ "$got" = "3 x $PEER_MAC" ] || hint "$got"

# our lab's peer only: its new MAC, and the host's static neighbour entry for it; the new
# address flushes the peer's own static entries, so the peer's is pinned again (no ARP)
in_peer ip link set dev "$PEER_IF" address "$OTHER_MAC"
in_peer ip neigh replace "$HOST_IP" lladdr "$HOST_MAC" dev "$PEER_IF" nud permanent
in_host ip neigh replace "$PEER_IP" lladdr "$OTHER_MAC" dev "$HOST_IF" nud permanent
expect "replies to 2 pings from the peer, now $OTHER_MAC" 2 "$(ping_replies 2)"
wait_for 10 at_least 5
got=$(macs 4 5)
expect "source MACs in the hello lines of those 2 pings" "2 x $OTHER_MAC" "$got"
[ "$got" = "2 x $OTHER_MAC" ] || hint "$got"
loader_stop INT
exercise_done
