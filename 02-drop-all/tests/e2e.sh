#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# End to end: the real drop_all in a lab of its own. While it is attached the peer's pings get
# no reply and the host's IP stack sees nothing; the moment it is gone, however it goes, they
# are answered again. It reports exactly the frames the peer sent. It refuses the interface of
# the default route and of the SSH session unless --force.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../../tests/lib.sh"

tap_require_root
lab_start
DROP=$(lesson_bin 02-drop-all drop_all)
K=25

one_line() { [ "$(wc -l <"$1")" = 1 ]; }
said() {	# said FILE PATTERN: FILE is one line, and it matches PATTERN
	one_line "$1" && grep -q -- "$2" "$1"
}

# IPv4 packets the lab host's stack received: InReceives, the 3rd counter of the Ip: lines in
# /proc/net/snmp of its namespace.
# shellcheck disable=SC2016  # $1 and $4 are awk's
ip_in_receives() { in_host awk '$1 == "Ip:" && ++n == 2 { print $4 }' /proc/net/snmp; }

send_udp() {	# send_udp COUNT: COUNT 200-byte UDP frames from the peer to the host
	in_peer "$TOP/lab/xmit" -i "$PEER_IF" --dst-mac 02:00:c0:00:02:01 -t udp -c "$1" -s 200 \
		>/dev/null
}

# The number in drop_all's summary line: "packets dropped on IFACE: N in S s ...".
dropped() { sed -n 's/^drop_all: packets dropped on [^:]*: \([0-9]*\) in .*/\1/p' "$1"; }

# --- the guard: the default route's interface
in_host ip route add default via "$PEER_IP" dev "$HOST_IF"
in_host "$DROP" -i "$HOST_IF" >"$TMP/out" 2>"$TMP/err"
tap_is "$?" 1 "default route on $HOST_IF: refused, exit status 1"
tap_ok "refused in one line that names the default route and --force" \
	said "$TMP/err" "refusing to attach to $HOST_IF: it carries the default route.*--force"
tap_ok "nothing attached after the refusal" detached

tap_ok "with --force it attaches all the same" \
	loader_start "$TMP/force" "$DROP" -i "$HOST_IF" --force --duration 30
tap_ok "and warns that it does, in one line" \
	grep -q "^drop_all: --force: attaching to $HOST_IF although it carries the default route" \
	"$TMP/force"
tap_is "$(ping_replies 2)" 0 "--force: 2 pings get 0 replies"
loader_stop INT
tap_is "$?" 0 "--force: Ctrl-C, exit status 0"
in_host ip route del default

# --- the guard: the SSH session's interface, where the route back to SSH_CONNECTION's client
# leaves (tests/test-guard.sh tries bridges, aliases, policy routing, multipath, ...)
for server in "$HOST_IP" "::ffff:$HOST_IP"; do
	in_host env SSH_CONNECTION="$PEER_IP 50022 $server 22" "$DROP" -i "$HOST_IF" -d 2 \
		>"$TMP/out" 2>"$TMP/err"
	tap_is "$?" 1 "SSH session from $PEER_IP to $server: refused, exit status 1"
	tap_ok "refused in one line that names the SSH session" \
		said "$TMP/err" "refusing to attach to $HOST_IF: it carries your SSH session (from $PEER_IP)"
done
tap_ok "an SSH session to an address elsewhere does not stop it" \
	loader_start "$TMP/ssh" env SSH_CONNECTION="$PEER_IP 50022 198.51.100.7 22" "$DROP" \
	-i "$HOST_IF"
loader_stop INT
tap_ok "detached" detached

# --- attached: nothing gets through, not even to the host's IP stack
tap_ok "drop_all attaches to $HOST_IF" loader_start "$TMP/drop" "$DROP" -i "$HOST_IF"
tap_ok "in native mode (veth has native XDP)" \
	grep -q "attached to $HOST_IF (program id [0-9]*) in native mode" "$TMP/drop"
before=$(ip_in_receives)
tap_is "$(ping_replies 3)" 0 "3 pings from the peer get 0 replies"
send_udp $K
tap_is "$(ip_in_receives)" "$before" \
	"the host's IP stack received none of them (Ip InReceives unchanged)"
tap_ok "a 'packets dropped: N in S s' line shows up while it runs" \
	wait_for 60 grep -q "^drop_all: packets dropped: [0-9]* in [0-9.]* s (" "$TMP/drop"
loader_stop INT
tap_is "$?" 0 "Ctrl-C (SIGINT): exit status 0"
tap_is "$(dropped "$TMP/drop")" $((3 + K)) \
	"the summary says $((3 + K)) packets dropped: 3 echo requests and $K UDP frames"
tap_ok "detached after Ctrl-C" detached
tap_is "$(ping_replies 3)" 3 "right after Ctrl-C, 3 pings get 3 replies"

# --- every other way out restores the interface at once
tap_ok "SIGTERM: attaches" loader_start "$TMP/term" "$DROP" -i "$HOST_IF"
tap_is "$(ping_replies 2)" 0 "SIGTERM: 2 pings get 0 replies while attached"
loader_stop TERM
tap_is "$?" 0 "SIGTERM: exit status 0"
tap_ok "SIGTERM: detached" detached
tap_is "$(ping_replies 3)" 3 "right after SIGTERM, 3 pings get 3 replies"

# --duration ends by itself. No traffic is timed against its window: beside a busy core, in
# an emulated CPU, two seconds may pass before a ping is sent (seen in armhf-jit); what is
# dropped while attached is checked above, under signals.
# (in the foreground: a poll for the attachment could miss the window on an emulated CPU)
in_host "$DROP" -i "$HOST_IF" --duration 2 >"$TMP/dur" 2>&1
tap_is "$?" 0 "--duration 2 ends by itself with exit status 0"
tap_ok "... it attached, then detached by itself" \
	eval 'grep -q ": attached to " "$TMP/dur" && grep -q ": detached from " "$TMP/dur"'
tap_ok "--duration: detached" detached
tap_is "$(ping_replies 3)" 3 "right after --duration, 3 pings get 3 replies"
tap_ok "--duration: it printed its summary" \
	grep -q "^drop_all: packets dropped on " "$TMP/dur"

tap_ok "kill -9: attaches" loader_start "$TMP/kill" "$DROP" -i "$HOST_IF"
tap_is "$(ping_replies 2)" 0 "kill -9: 2 pings get 0 replies while attached"
loader_stop KILL
tap_ok "kill -9: detached (the kernel closed the bpf_link with the process)" detached
tap_is "$(ping_replies 3)" 3 "right after kill -9, 3 pings get 3 replies"

# --- generic mode drops too, and the interface counts what it dropped the same way
tap_ok "drop_all -m skb attaches" loader_start "$TMP/skb" "$DROP" -i "$HOST_IF" -m skb
tap_ok "it says generic (skb) mode" grep -q "in generic (skb) mode: as asked" "$TMP/skb"
before=$(ip_in_receives)
tap_is "$(ping_replies 2)" 0 "generic mode: 2 pings get 0 replies"
send_udp $K
tap_is "$(ip_in_receives)" "$before" "generic mode: the IP stack received none of them"
loader_stop INT
tap_is "$(dropped "$TMP/skb")" $((2 + K)) "generic mode: the summary says $((2 + K)) dropped"
tap_is "$(ping_replies 3)" 3 "after generic mode, 3 pings get 3 replies"

tap_done
