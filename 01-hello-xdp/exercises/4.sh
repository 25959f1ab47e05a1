#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Exercise 4: count instead of print. Your hello in a lab of its own prints no line per packet;
# once a second it prints "hello: N packets, B bytes in the last second". The peer sends 3 pings,
# and once a line has counted them, 2 pings of 1000-byte frames: added up, the lines must count
# exactly what was sent, no more (a running total counts the first pings again) and no less.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../../tests/lib.sh"

# The once-a-second lines, added up: "PACKETS BYTES LINES".
sums() {
	awk '/^hello: [0-9]+ packets, [0-9]+ bytes in the last second$/ {
		p += $2; b += $4; n++ } END { print p + 0, b + 0, n + 0 }' "$TMP/out"
}
# shellcheck disable=SC2317  # called through wait_for
counted() { [ "$(sums | cut -d ' ' -f 1)" -ge "$1" ]; }
pings() {	# pings COUNT SIZE: how many were answered
	in_peer ping -n -q -c "$1" -s "$2" -i 0.2 -W 1 "$HOST_IP" 2>/dev/null |
		sed -n 's/.* \([0-9]*\) received.*/\1/p'
}

exercise_start "Exercise 4: count instead of print"
lab_start "t$$-ex"
exercise_loader "$TMP/out" "$(lesson_bin 01-hello-xdp hello)" -i "$HOST_IF"

# 98-byte frames: 56 bytes of payload, 8 of ICMP, 20 of IPv4, 14 of Ethernet
expect "replies to 3 pings" 3 "$(pings 3 56)"
# no line that counts them in 10 s: the next wait would be as long, and as vain
if wait_for 10 counted 3; then
	expect "replies to 2 pings of 1000-byte frames" 2 "$(pings 2 958)"
	wait_for 10 counted 5
fi
loader_stop INT
read -r packets bytes lines < <(sums)
expect "lines \"hello from XDP: ...\", one per packet" 0 "$(grep -c '^hello from XDP' "$TMP/out")"
expect "once-a-second lines while it ran" "at least 1" "$([ "$lines" -ge 1 ] && echo "at least 1" ||
	echo "$lines")"
expect "packets, added up over those lines" 5 "$packets"
expect "bytes, added up over those lines" $((3 * 98 + 2 * 1000)) "$bytes"
[ "$packets" -le 5 ] ||
	echo "  (more than were sent: does each line count its own second only? start again from 0)"
exercise_done
