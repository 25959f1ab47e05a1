#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# End to end: the real count_packets in a lab of its own. The peer sends a known set of frames;
# the loader's total must be exactly that many packets and bytes, and must agree with veth0's
# own receive counters over the same time. Its interval lines must add up to the total, with
# rates that are the counts divided by the time they print.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../../tests/lib.sh"

tap_require_root
lab_start
COUNT=$(lesson_bin 03-count-packets count_packets)

# The traffic, TYPE:COUNT:SIZE (SIZE 0: headers only), and the packets and bytes it makes.
TRAFFIC="udp:10:200 udp:7:1514 arp:5:0 ether:4:0 icmp:3:98 udp:6:61"
declare -A HEADERS=([udp]=42 [arp]=42 [ether]=14 [icmp]=42)
WANT_PACKETS=0
WANT_BYTES=0
for t in $TRAFFIC; do
	IFS=: read -r type n size <<<"$t"
	[ "$size" = 0 ] && size=${HEADERS[$type]}
	WANT_PACKETS=$((WANT_PACKETS + n))
	WANT_BYTES=$((WANT_BYTES + n * size))
done

send_traffic() {
	local t type n size args
	for t in $TRAFFIC; do
		IFS=: read -r type n size <<<"$t"
		args=(-t "$type" -c "$n")
		[ "$size" = 0 ] || args+=(-s "$size")
		in_peer "$TOP/lab/xmit" -i "$PEER_IF" --dst-mac 02:00:c0:00:02:01 "${args[@]}" \
			>/dev/null
	done
}

# From the summary, "count_packets: total P packets, B bytes in S s: ...": "P B".
total() {
	sed -n 's/^count_packets: total \([0-9]*\) packets\?, \([0-9]*\) bytes\? in .*/\1 \2/p' \
		"$1"
}

# The interval lines added up: "P B".
# shellcheck disable=SC2016  # awk's $ fields
intervals_sum() {
	awk '/^count_packets: [0-9]+ packets?, / { p += $2; b += $4 } END { print p + 0, b + 0 }' \
		"$1"
}

# Every line with rates: is the packets/s it prints P / S, to the 3 digits it shows?
# shellcheck disable=SC2016
rates_honest() {
	awk '
	function si(v, unit) {
		if (unit ~ /^k/) return v * 1e3
		if (unit ~ /^M/) return v * 1e6
		if (unit ~ /^G/) return v * 1e9
		return v
	}
	/^count_packets: .* packets?, .* bytes? in .* s: / {
		sub(/^count_packets: (total )?/, "")
		# P packets, B bytes in S s: R Upackets/s, T Ubit/s
		split($0, w, /[ ,:]+/)
		p = w[1]; b = w[3]; s = w[6]; r = si(w[8], w[9]); bits = si(w[10], w[11])
		n++
		if (s <= 0) { bad++; next }
		# the rate comes from the exact time, S is rounded to the millisecond: on top of
		# the 3 digits of the rate (0.5%), it may differ from P / S by 0.0005 / (S - 0.0005),
		# which counts where intervals are uneven (a slow or emulated machine, arm/run)
		e = s > 0.0005 ? 0.005 + 0.0005 / (s - 0.0005) : 1
		if (r - p / s > p / s * e + 0.005 || p / s - r > p / s * e + 0.005) bad++
		if (bits - b * 8 / s > b * 8 / s * e + 0.005 ||
		    b * 8 / s - bits > b * 8 / s * e + 0.005) bad++
	}
	END { exit !(n > 0 && bad == 0) }' "$1"
}

# --- bad input
in_host "$COUNT" -i "$HOST_IF" --interval 0 >"$TMP/out" 2>"$TMP/err"
tap_is "$?" 2 "--interval 0: usage error, exit status 2"
in_host "$COUNT" -i "$HOST_IF" -I soon >"$TMP/out" 2>"$TMP/err"
tap_is "$?" 2 "-I soon: usage error, exit status 2"
tap_ok "nothing is attached after the failed starts" detached

# --- native mode: exact counts, and veth0's own counters for the same time
tap_ok "count_packets attaches to $HOST_IF, a line every 0.3 s" \
	loader_start "$TMP/native" "$COUNT" -i "$HOST_IF" --interval 0.3
tap_ok "in native mode" grep -q "in native mode" "$TMP/native"
rx_packets=$(host_counter rx_packets)
rx_bytes=$(host_counter rx_bytes)
send_traffic
tap_is "$(ping_replies 3)" 3 "packets pass: 3 pings get 3 replies"
sleep 0.4	# at least one interval line with traffic in it
loader_stop INT
tap_is "$?" 0 "Ctrl-C: exit status 0"
tap_ok "detached after Ctrl-C" detached
WANT_PACKETS=$((WANT_PACKETS + 3))	# and the 3 echo requests, 98 bytes each
WANT_BYTES=$((WANT_BYTES + 3 * 98))
read -r got_packets got_bytes <<<"$(total "$TMP/native")"
tap_is "${got_packets:-none}" $WANT_PACKETS "the total is exactly $WANT_PACKETS packets"
tap_is "${got_bytes:-none}" $WANT_BYTES "and exactly $WANT_BYTES bytes"
d_packets=$(($(host_counter rx_packets) - rx_packets))
d_bytes=$(($(host_counter rx_bytes) - rx_bytes))
tap_is "$d_packets" "$got_packets" "veth0's rx_packets went up by the same $got_packets"
# veth with a native XDP program counts rx_bytes after taking off the Ethernet header (it adds
# skb->len after eth_type_trans), so its count is 14 bytes a packet short of what XDP sees.
tap_is "$((d_bytes + 14 * d_packets))" "$got_bytes" \
	"veth0's rx_bytes went up by $d_bytes: the same bytes less 14 (Ethernet header) a packet"
tap_is "$(intervals_sum "$TMP/native")" "$got_packets $got_bytes" \
	"the interval lines add up to the total"
tap_ok "every rate printed is the count over the time printed" rates_honest "$TMP/native"
tap_ok "there were at least 3 interval lines" \
	test "$(grep -c "^count_packets: [0-9]* packets\?," "$TMP/native")" -ge 3

# --- generic mode: the same traffic, and here veth counts whole frames
tap_ok "count_packets -m skb attaches" loader_start "$TMP/skb" "$COUNT" -i "$HOST_IF" -m skb
tap_ok "in generic mode" grep -q "in generic (skb) mode" "$TMP/skb"
rx_packets=$(host_counter rx_packets)
rx_bytes=$(host_counter rx_bytes)
send_traffic
tap_is "$(ping_replies 3)" 3 "generic mode: 3 pings get 3 replies"
loader_stop TERM
tap_is "$?" 0 "SIGTERM: exit status 0"
read -r got_packets got_bytes <<<"$(total "$TMP/skb")"
tap_is "${got_packets:-none} ${got_bytes:-none}" "$WANT_PACKETS $WANT_BYTES" \
	"generic mode: exactly $WANT_PACKETS packets and $WANT_BYTES bytes"
tap_is "$(($(host_counter rx_packets) - rx_packets)) $(($(host_counter rx_bytes) - rx_bytes))" \
	"$got_packets $got_bytes" "generic mode: veth0's rx_packets and rx_bytes went up as much"

# --- --duration: stops by itself, with the total. No traffic is timed against its window: an
# emulated CPU beside a busy core may not send a ping within it (seen in armhf-jit); the lab
# is quiet (static neighbours, no IPv6), so the total is 0.
# (in the foreground: a poll for the attachment could miss the window on an emulated CPU)
in_host "$COUNT" -i "$HOST_IF" --duration 2 >"$TMP/dur" 2>&1
tap_is "$?" 0 "--duration 2 ends by itself with exit status 0"
tap_ok "... it attached, then detached by itself" \
	eval 'grep -q ": attached to " "$TMP/dur" && grep -q ": detached from " "$TMP/dur"'
tap_is "$(total "$TMP/dur")" "0 0" "its total: nothing was sent"
tap_ok "detached after --duration" detached

tap_done
