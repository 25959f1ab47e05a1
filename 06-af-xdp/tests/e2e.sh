#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# End to end: the real xsk_echo on the lab host's veth0, in a lab of its own, answered by a real
# UDP client (socat) on the peer. N datagrams to port 7 get exactly N identical answers, from
# xsk_echo and not the host's stack (its UDP counters do not move); a datagram to another port
# and pings still reach the stack. Native and generic mode. On a veth with 2 receive queues whose
# peer sends on one, a socket bound to the other queue receives nothing, and xsk_echo says where
# the frames went. --zero-copy on veth, a queue the interface lacks, --copy with --zero-copy:
# one line each, and nothing left attached. Ctrl-C, SIGTERM, --duration and kill -9 leave no
# program, no XSKMAP (so no socket in one) behind.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../../tests/lib.sh"

tap_require_root
lab_start
ECHO=$(lesson_bin 06-af-xdp xsk_echo)
BPFTOOL=$(command -v bpftool || echo /usr/sbin/bpftool)
N=10

# The peer's stack leaves UDP checksums to an offload that veth never does (README.md): it must
# send them whole, as a NIC's peer does, or xsk_echo rightly refuses them.
in_peer ethtool -K "$PEER_IF" tx off >/dev/null

# A counter of /proc/net/snmp in the host or the peer: snmp host Udp InDatagrams
# shellcheck disable=SC2016
snmp() {
	ip netns exec "$LAB_NAME-$1" awk -v p="$2:" -v f="$3" '
		$1 == p && !n { for (i = 2; i <= NF; i++) col[$i] = i; n = 1; next }
		$1 == p { print $col[f] }' /proc/net/snmp
}

# N datagrams from a socat on the peer, one at a time, each sent once the last one's answer
# came back (or 10 s passed): the answers, one a line, in $1.
echo_client() {	# echo_client OUT ADDRESS COUNT
	local out=$1 addr=$2 count=$3 i
	rm -f "$TMP/fifo"
	mkfifo "$TMP/fifo"
	: >"$out"
	in_peer socat -t 2 - "UDP:$addr:7" <"$TMP/fifo" >"$out" 2>"$TMP/socat.err" &
	local pid=$!
	exec 3>"$TMP/fifo"
	for ((i = 1; i <= count; i++)); do
		printf 'datagram %d of %d, for the echo server\n' "$i" "$count" >&3
		wait_for 60 grep -q "^datagram $i of" "$out" || break
	done
	exec 3>&-
	wait "$pid"
}

want_echoes() {	# want_echoes COUNT: what echo_client COUNT sent
	local i
	for ((i = 1; i <= $1; i++)); do
		printf 'datagram %d of %d, for the echo server\n' "$i" "$1"
	done
}

totals() { sed -n 's/^xsk_echo: total //p' "$1"; }

prog_id() { xdp_prog_id; }
# The id of the XSKMAP of program $1
xskmap_id() {
	local id
	for id in $("$BPFTOOL" -j prog show id "$1" |
		sed -n 's/.*"map_ids":\[\([0-9,]*\)\].*/\1/p' | tr ',' ' '); do
		# not piped into grep -q: under pipefail, bpftool's SIGPIPE would fail the match
		case $("$BPFTOOL" map show id "$id") in "$id: xskmap "*) echo "$id" ;; esac
	done
}
gone() {	# gone PROG-ID MAP-ID: neither is in the kernel any more
	! "$BPFTOOL" prog show id "$1" >/dev/null 2>&1 &&
		! "$BPFTOOL" map show id "$2" >/dev/null 2>&1
}
# The kernel frees a program and a map once their last user has gone, in the background (RCU):
# wait for that.
left_nothing() {	# left_nothing PROG-ID MAP-ID
	detached && wait_for 60 gone "$1" "$2"
}

# --- native mode (veth's default): N answers, identical, and the stack sees none of them
udp_in=$(snmp host Udp InDatagrams)
udp_noports=$(snmp host Udp NoPorts)
tap_ok "xsk_echo -i veth0 attaches" loader_start "$TMP/echo" "$ECHO" -i "$HOST_IF" -I 0.2
tap_ok "... in native mode, copy mode, on queue 0" \
	grep -q '^xsk_echo: answering UDP port 7 on veth0 queue 0, copy mode' "$TMP/echo"
tap_ok "... it said native mode" grep -q 'in native mode' "$TMP/echo"
PROG=$(prog_id)
MAP=$(xskmap_id "$PROG")
tap_ok "its program (id $PROG) has an XSKMAP (id $MAP)" test -n "$MAP"
echo_client "$TMP/answers" "$HOST_IP" $N
tap_is "$(cat "$TMP/answers")" "$(want_echoes $N)" \
	"$N datagrams from socat to port 7: $N answers, each identical to its datagram"
tap_is "$(($(snmp host Udp InDatagrams) - udp_in)) $(($(snmp host Udp NoPorts) - udp_noports))" \
	"0 0" "the host's UDP stack saw none of them"
# another port: the stack's, and a listener there gets the datagram
# not through in_host: $! must be socat itself (ip netns exec execs it)
ip netns exec "$LAB_NAME-host" socat -u UDP-RECV:9 "OPEN:$TMP/port9,creat" &
listener=$!
port9_open() { in_host ss -uln | grep -q ':9 '; }
wait_for 60 port9_open
echo "for the discard port" | in_peer socat -u - "UDP-SENDTO:$HOST_IP:9"
tap_ok "a datagram to port 9 reaches the host's own socket" \
	wait_for 60 grep -qx "for the discard port" "$TMP/port9"
kill "$listener" 2>/dev/null
wait "$listener" 2>/dev/null
tap_is "$(ping_replies 3)" 3 "3 pings: 3 replies, from the stack"
loader_stop INT
tap_is "$?" 0 "Ctrl-C: exit status 0"
tap_is "$(totals "$TMP/echo")" "$N received, $N answered, 0 bad checksum, 0 refused; 4 passed \
to the stack; dropped: 0 fill ring empty, 0 rx ring full, 0 tx ring full" \
	"totals: $N received and answered; 4 passed (1 to port 9, 3 pings)"
tap_ok "detached after Ctrl-C" detached
tap_ok "... its program and XSKMAP are gone from the kernel" left_nothing "$PROG" "$MAP"
tap_is "$(ping_replies 2)" 2 "after Ctrl-C, pings still get replies"

# --- generic mode
tap_ok "xsk_echo -m skb attaches" loader_start "$TMP/echo" "$ECHO" -i "$HOST_IF" -m skb
tap_ok "... in generic mode" grep -q 'in generic (skb) mode' "$TMP/echo"
PROG=$(prog_id)
MAP=$(xskmap_id "$PROG")
echo_client "$TMP/answers" "$HOST_IP" 3
tap_is "$(cat "$TMP/answers")" "$(want_echoes 3)" "generic mode: 3 datagrams, 3 identical answers"
loader_stop TERM
tap_is "$?" 0 "SIGTERM: exit status 0"
tap_ok "... detached, its program and XSKMAP gone" left_nothing "$PROG" "$MAP"

# --- checksums left to offloading: refused, and xsk_echo says why
in_peer ethtool -K "$PEER_IF" tx on >/dev/null
tap_ok "xsk_echo attaches again" loader_start "$TMP/echo" "$ECHO" -i "$HOST_IF"
PROG=$(prog_id)
MAP=$(xskmap_id "$PROG")
echo "half a checksum" | in_peer socat -u - "UDP-SENDTO:$HOST_IP:7"
tap_ok "a datagram whose checksum the peer left to offloading: refused, with the fix" \
	wait_for 60 grep -q \
	"^xsk_echo: a datagram from port [0-9]* with a bad UDP checksum.*ethtool -K" "$TMP/echo"
in_peer ethtool -K "$PEER_IF" tx off >/dev/null
loader_stop KILL
tap_ok "kill -9: detached, its program and XSKMAP gone" left_nothing "$PROG" "$MAP"

# --- --duration, and kill -9 leaves nothing behind either
loader_start "$TMP/echo" "$ECHO" -i "$HOST_IF" -d 2 >/dev/null
PROG=$(prog_id)
MAP=$(xskmap_id "$PROG")
loader_wait
rc=$?
tap_is "$rc" 0 "--duration 2: exit status 0"
[ "$rc" = 0 ] || tap_diag "$(cat "$TMP/echo")"
tap_ok "... detached, its program and XSKMAP gone" left_nothing "$PROG" "$MAP"
loader_start "$TMP/echo" "$ECHO" -i "$HOST_IF"
PROG=$(prog_id)
MAP=$(xskmap_id "$PROG")
loader_stop KILL
tap_ok "kill -9: detached, its program and XSKMAP gone" left_nothing "$PROG" "$MAP"

# --- what cannot be: one line each, exit status 1 (2 for the command line), nothing attached
in_host "$ECHO" -i "$HOST_IF" --zero-copy -d 5 >"$TMP/out" 2>"$TMP/err"
tap_is "$?" 1 "--zero-copy on veth: exit status 1"
tap_is "$(cat "$TMP/err")" "xsk_echo: veth0 cannot do zero-copy (its driver has none for AF_XDP; \
veth and generic mode never have): leave out --zero-copy" "... one line that says why"
tap_ok "... nothing attached" detached
in_host "$ECHO" -i "$HOST_IF" -q 1 -d 5 >"$TMP/out" 2>"$TMP/err"
tap_is "$?" 1 "--queue 1 on a veth with one queue: exit status 1"
tap_is "$(cat "$TMP/err")" "xsk_echo: cannot bind to queue 1 of veth0: it has no such receive \
queue (\`ethtool -l veth0\` shows how many it has)" "... one line that says why"
tap_ok "... nothing attached" detached
in_host "$ECHO" -i "$HOST_IF" --copy --zero-copy >"$TMP/out" 2>"$TMP/err"
tap_is "$?" 2 "--copy --zero-copy: usage error, exit status 2"
tap_is "$(wc -l <"$TMP/err")" 1 "... one line"
in_host "$ECHO" -i "$HOST_IF" -p 0 >"$TMP/out" 2>"$TMP/err"
tap_is "$?" 2 "--port 0: usage error, exit status 2"

# --- several queues: mq0 (host, 2 receive queues) and mq1 (peer, 1 transmit queue). veth puts
# a frame on the receive queue numbered like the transmit queue it left by: always 0 here.
in_host ip link add mq0 numrxqueues 2 numtxqueues 2 type veth peer name mq1 numtxqueues 1 \
	numrxqueues 1 netns "$LAB_NAME-peer"
in_host ip addr add 198.51.100.1/24 dev mq0
in_peer ip addr add 198.51.100.2/24 dev mq1
in_host ip link set mq0 up
in_peer ip link set mq1 up
in_peer ethtool -K mq1 tx off >/dev/null
ip netns exec "$LAB_NAME-host" "$ECHO" -i mq0 -q 1 -I 0.2 >"$TMP/mq" 2>&1 &
# shellcheck disable=SC2034  # lib.sh's, for loader_stop and the cleanup
LOADER_PID=$!
wait_for 60 grep -qs '^xsk_echo: answering' "$TMP/mq"
tap_ok "xsk_echo -i mq0 -q 1: bound to queue 1 of a veth with 2 receive queues" \
	grep -q '^xsk_echo: answering UDP port 7 on mq0 queue 1' "$TMP/mq"
NOPORTS=$(snmp host Udp NoPorts)
for i in 1 2 3; do
	echo "to queue 0 $i" | in_peer socat -u - "UDP-SENDTO:198.51.100.1:7"
done
stack_got_3() { [ $(($(snmp host Udp NoPorts) - NOPORTS)) -ge 3 ]; }
tap_ok "3 datagrams to port 7 arrive on queue 0: the stack gets them (no one listens: NoPorts)" \
	wait_for 60 stack_got_3
loader_stop INT
tap_is "$(totals "$TMP/mq" | cut -d';' -f1)" "0 received, 0 answered, 0 bad checksum, 0 refused" \
	"the socket on queue 1 received nothing"
tap_ok "xsk_echo says where they went" grep -qx "xsk_echo: 3 frames for port 7 arrived on queue \
0, which has no socket (ours is on queue 1): the stack got them" "$TMP/mq"

tap_done
