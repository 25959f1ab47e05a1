#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Exercise 2: count the answers by the client's port, in user space. Your xsk_echo, in a lab of
# its own: socat on the peer sends 3 datagrams from port 40001, 2 from port 40002, 1 from port
# 40003, and 1 from port 7, which xsk_echo refuses (another echo server). After Ctrl-C, below its
# totals, xsk_echo prints one line for each port it answered, "xsk_echo: from port P: N
# answered", and only those three.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../../tests/lib.sh"

# shellcheck disable=SC2317  # called through wait_for
received() {	# received N: the interval lines add up to N frames received
	[ "$(sed -n 's/^xsk_echo: \([0-9]*\) received,.*/\1/p' "$TMP/out" |
		awk '{ s += $1 } END { print s + 0 }')" -ge "$1" ]
}
from_port() { sed -n "s/^xsk_echo: from port $1: \([0-9]*\) answered$/\1/p" "$TMP/out"; }

exercise_start "Exercise 2: count the answers by the client's port, in user space"
lab_start "t$$-ex"
in_peer ethtool -K "$PEER_IF" tx off >/dev/null	# whole checksums (README.md, "Checksums")
if ! loader_start "$TMP/out" "$(lesson_bin 06-af-xdp xsk_echo)" -i "$HOST_IF" -I 0.2; then
	expect "your xsk_echo attaches" "attached" "not: $(tail -n 1 "$TMP/out")"
	exercise_done
fi
for port in 40001 40001 40001 40002 40002 40003 7; do
	echo "from $port" | in_peer socat -u - "UDP-SENDTO:$HOST_IP:7,sourceport=$port"
done
wait_for 10 received 7 || true
rc=0
loader_stop INT || rc=$?
expect "xsk_echo stops on Ctrl-C with exit status" 0 "$rc"
expect "its totals: datagrams received and answered" "7 received, 6 answered" \
	"$(sed -n 's/^xsk_echo: total \([0-9]* received, [0-9]* answered\),.*/\1/p' "$TMP/out")"
expect "answered from port 40001 (the line \"xsk_echo: from port 40001: N answered\")" 3 \
	"$(from_port 40001)"
expect "answered from port 40002" 2 "$(from_port 40002)"
expect "answered from port 40003" 1 "$(from_port 40003)"
expect "lines for port 7 (refused: another echo server)" 0 \
	"$(grep -c '^xsk_echo: from port 7:' "$TMP/out")"
expect "lines \"xsk_echo: from port P: N answered\" in all" 3 \
	"$(grep -c '^xsk_echo: from port [0-9]*: [0-9]* answered$' "$TMP/out")"
exercise_done
