#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# End to end: the real capture in a lab of its own. The peer sends a known set of frames; the
# file capture writes must hold exactly those frames, byte for byte, in order, read back both by
# tcpdump -r and by libpcap (pcap_frames), and compared with what tcpdump saw leave the peer.
# Then: --sample N on a counted flood, lost samples under a flood, -w - into tcpdump, Ctrl-C,
# and bad input (one line, nothing attached).
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../../tests/lib.sh"

tap_require_root
command -v tcpdump >/dev/null || tap_skip_all "no tcpdump: install it (make deps)"
lab_start
CAPTURE=$(lesson_bin 07-capture capture)
FRAMES=$(lesson_bin 07-capture pcap_frames)
HOST_MAC=02:00:c0:00:02:01

xmit() { in_peer "$TOP/lab/xmit" -i "$PEER_IF" --dst-mac "$HOST_MAC" "$@" >/dev/null; }

# The known set: the packet builders' shapes, VLAN tags, IPv6, malformed frames. 14 frames.
send_known() {
	xmit -t udp -s 100
	xmit -t tcp-syn
	xmit -t icmp -s 98
	xmit -t arp
	xmit -t udp6 -s 200
	xmit -t udp --vlan 100 -s 300
	xmit -t udp --vlan 100 --vlan 200
	xmit -t ether -s 60
	xmit -t udp --ihl 15 -s 1514
	xmit -t udp --frag 8 --more-frags -s 500
	xmit -t udp --truncate 20
	xmit -t tcp-syn --truncate 40
	xmit --hex "$HOST_MAC 02:00:c0:00:02:02 08 00 46 00 00 14"
	xmit -t udp -s 1514 -c 1
}
KNOWN=14

# How many frames the file holds now (0 while it has no complete header).
frames_in() { "$FRAMES" "$1" 2>/dev/null | sed -n 's/^frames //p'; }
has_frames() { [ "$(frames_in "$1")" = "$2" ]; }

# The frames without their times, as tcpdump reads them: one header line and the hex.
tcpdump_text() { tcpdump -r "$1" -nn -e -t -xx 2>/dev/null; }

# The summary's numbers: "seen captured lost written"
summary() {
	sed -n 's/^capture: \([0-9]*\) frames seen,\( [0-9]* sampled (1 in [0-9]*),\)\? \([0-9]*\) captured, \([0-9]*\) lost .*, \([0-9]*\) written to .*/\1 \3 \4 \5/p' "$1"
}

# --- bad input: one line, the right exit status, nothing attached, no file
in_host "$CAPTURE" -i "$HOST_IF" >"$TMP/out" 2>"$TMP/err"
tap_is "$?" 2 "no -w: usage error, exit status 2"
tap_is "$(wc -l <"$TMP/err")" 1 "no -w: one line on stderr"
in_host "$CAPTURE" -i "$HOST_IF" -w "$TMP/x.pcap" -s 4097 >"$TMP/out" 2>"$TMP/err"
tap_is "$?" 2 "-s 4097: usage error, exit status 2"
in_host "$CAPTURE" -i "$HOST_IF" -w "$TMP/x.pcap" --sample 0 >"$TMP/out" 2>"$TMP/err"
tap_is "$?" 2 "--sample 0: usage error, exit status 2"
in_host "$CAPTURE" -i "$HOST_IF" -w "$TMP/x.pcap" --verdict redirect >"$TMP/out" 2>"$TMP/err"
tap_is "$?" 2 "--verdict redirect: usage error, exit status 2"
in_host "$CAPTURE" -i "$HOST_IF" -w "$TMP/no/such/dir.pcap" >"$TMP/out" 2>"$TMP/err"
tap_is "$?" 1 "an unwritable path: exit status 1"
tap_is "$(wc -l <"$TMP/err")" 1 "an unwritable path: one line on stderr"
tap_ok "which names the path and the reason" \
	grep -q "^capture: cannot write $TMP/no/such/dir.pcap: .*No such file or directory" \
	"$TMP/err"
tap_ok "nothing attached after the failed starts" detached
tap_ok "and no file was made" test ! -e "$TMP/x.pcap"

# --- the known set, into a file: compared with what left the peer
# not through in_peer: $! must be tcpdump itself (ip netns exec execs it)
ip netns exec "$LAB_NAME-peer" tcpdump -i "$PEER_IF" -Q out -nn -U -w "$TMP/peer.pcap" \
	2>"$TMP/peer.err" &
PEER_DUMP=$!
wait_for 60 grep -q "listening on" "$TMP/peer.err" || tap_diag "$(cat "$TMP/peer.err")"
tap_ok "capture -w FILE attaches" loader_start "$TMP/out" "$CAPTURE" -i "$HOST_IF" -w \
	"$TMP/all.pcap"
send_known
tap_ok "the $KNOWN frames are in the file" wait_for 60 has_frames "$TMP/all.pcap" $KNOWN
loader_stop INT
tap_is "$?" 0 "Ctrl-C: exit status 0"
tap_ok "detached after Ctrl-C" detached
wait_for 60 has_frames "$TMP/peer.pcap" $KNOWN
kill -TERM "$PEER_DUMP" 2>/dev/null	# a background job ignores SIGINT
wait "$PEER_DUMP" 2>/dev/null
tap_is "$(frames_in "$TMP/peer.pcap")" $KNOWN "tcpdump saw the $KNOWN frames leave the peer"
tap_is "$(summary "$TMP/out")" "$KNOWN $KNOWN 0 $KNOWN" \
	"the summary: $KNOWN seen, $KNOWN captured, 0 lost, $KNOWN written"
"$FRAMES" "$TMP/all.pcap" >"$TMP/all.frames"
tap_is "$?" 0 "libpcap reads the whole file"
"$FRAMES" "$TMP/peer.pcap" >"$TMP/peer.frames"
tap_ok "libpcap: the same frames, byte for byte, in order, and nothing else" \
	cmp -s "$TMP/all.frames" "$TMP/peer.frames"
# shellcheck disable=SC2016  # awk's $ fields
tap_ok "libpcap: every frame is whole (length = captured length)" \
	awk '!/^frames/ && $1 != $2 { exit 1 }' "$TMP/all.frames"
tcpdump_text "$TMP/all.pcap" >"$TMP/all.txt"
tap_ok "tcpdump -r reads it" test -s "$TMP/all.txt"
tap_ok "tcpdump -r: the same frames as tcpdump saw leave the peer" \
	cmp -s "$TMP/all.txt" <(tcpdump_text "$TMP/peer.pcap")
tap_is "$(tcpdump -r "$TMP/all.pcap" -nn 2>/dev/null | grep -c '^[0-9][0-9]:[0-9][0-9]:')" \
	$KNOWN "tcpdump -r: $KNOWN frames"
tap_is "$(grep -c 'vlan 100' "$TMP/all.txt")" 2 "tcpdump -r: two frames tagged VLAN 100"
tap_is "$(grep -c '2001:db8::2' "$TMP/all.txt")" 1 "tcpdump -r: one IPv6 frame"
tap_ok "tcpdump -r: nanosecond timestamps from today" \
	test "$(tcpdump -r "$TMP/all.pcap" -nn --nano -tttt 2>/dev/null | head -n 1 |
		cut -d' ' -f1)" = "$(date +%Y-%m-%d)"

# --- -s 64: every frame cut to 64 bytes, with its real length kept
tap_ok "capture -s 64 attaches" loader_start "$TMP/out" "$CAPTURE" -i "$HOST_IF" -s 64 -w \
	"$TMP/snap.pcap"
send_known
tap_ok "-s 64: the $KNOWN frames are in the file" wait_for 60 has_frames "$TMP/snap.pcap" $KNOWN
loader_stop INT
"$FRAMES" "$TMP/snap.pcap" >"$TMP/snap.frames"
# shellcheck disable=SC2016  # awk's $ fields
tap_ok "-s 64: each frame is its first min(length, 64) bytes, with its real length" \
	awk 'NR == FNR { if (!/^frames/) want[FNR] = $1 " " ($1 < 64 ? $1 : 64) " " \
		substr($3, 1, 2 * ($1 < 64 ? $1 : 64)); next }
	     !/^frames/ { if ($0 != want[FNR]) exit 1; n++ } END { exit n != '$KNOWN' }' \
	"$TMP/peer.frames" "$TMP/snap.frames"

# --- --sample 10 on a counted flood from one CPU: each CPU keeps the first of every 10 of its
# own frames, so a sender that stays on one CPU gets exactly 1 in 10
tap_ok "capture --sample 10 attaches" loader_start "$TMP/out" "$CAPTURE" -i "$HOST_IF" \
	--sample 10 -w "$TMP/sample.pcap"
in_peer taskset -c 0 "$TOP/lab/xmit" -i "$PEER_IF" --dst-mac "$HOST_MAC" -c 1000 -s 200 \
	>/dev/null
tap_ok "--sample 10: 100 frames in the file" wait_for 60 has_frames "$TMP/sample.pcap" 100
loader_stop INT
tap_is "$(summary "$TMP/out")" "1000 100 0 100" \
	"--sample 10: 1000 frames seen, 100 captured, 0 lost, 100 written"
tap_ok "--sample 10: the summary says 1 in 10" grep -q "100 sampled (1 in 10)" "$TMP/out"

# --- a flood into a one-page ring: samples are lost, counted, and add up
SENT=20000
tap_ok "capture -B 4 attaches" loader_start "$TMP/out" "$CAPTURE" -i "$HOST_IF" -B 4 \
	-w "$TMP/flood.pcap"
rx=$(host_counter rx_packets)
xmit -c "$SENT" -s 1514
wait_for 30 host_counted rx_packets "$rx" "$SENT"
loader_stop INT
tap_is "$?" 0 "after the flood, Ctrl-C: exit status 0"
read -r seen captured lost written <<<"$(summary "$TMP/out")"
tap_diag "$SENT sent: ${captured:-?} captured, ${lost:-?} lost"
tap_is "${seen:-none}" "$SENT" "the flood: $SENT frames seen"
tap_is "$((captured + lost))" "$SENT" "captured + lost = sent"
tap_ok "samples were lost (a one-page ring, a flood)" test "${lost:-0}" -gt 0
tap_is "$(frames_in "$TMP/flood.pcap")" "$captured" "the file holds the $captured captured"
tap_is "$written" "$captured" "the summary says as many written"
tap_ok "the loss is said in a line of its own" \
	grep -q "^capture: $lost samples lost: the ring buffer was full" "$TMP/out"

# --- -w - into tcpdump -r -, which writes what it read to a file of its own
mkfifo "$TMP/pipe"
tcpdump -r - -w "$TMP/piped.pcap" <"$TMP/pipe" 2>"$TMP/piped.err" &
READER=$!
ip netns exec "$LAB_NAME-host" "$CAPTURE" -i "$HOST_IF" -w - >"$TMP/pipe" 2>"$TMP/out" &
# shellcheck disable=SC2034  # loader_stop and cleanup use it
LOADER_PID=$!
# as loader_start waits: the program on veth0, and the loader has said so
tap_ok "capture -w - attaches" loader_ready ': attached to ' "$TMP/out" attached
rx=$(host_counter rx_packets)
send_known
wait_for 60 host_counted rx_packets "$rx" $KNOWN
loader_stop INT
tap_is "$?" 0 "-w -: Ctrl-C, exit status 0"
wait "$READER"
tap_is "$?" 0 "tcpdump -r - ends cleanly when the pipe closes"
"$FRAMES" "$TMP/piped.pcap" >"$TMP/piped.frames"
tap_ok "tcpdump -r - read the same $KNOWN frames, byte for byte" \
	cmp -s "$TMP/piped.frames" "$TMP/peer.frames" || tap_diag "$(cat "$TMP/out")"
tap_ok "-w -: the loader's own lines went to stderr" grep -q "written to standard output" \
	"$TMP/out"
tap_ok "detached at the end" detached

tap_done
