#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# End to end: the real parse_ipv4 in a lab of its own. A known mix of frames from the peer --
# pings, UDP, TCP SYNs, VLAN-tagged, fragments, IPv6, ARP, malformed -- gives exactly the
# expected count under every heading, and the table's rows add up to its totals. With --block
# naming the peer's address its traffic is dropped before the host's IP stack sees it, and
# counted, while the peer's second address still gets through. Bad --block addresses are a
# one-line usage error.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../../tests/lib.sh"

tap_require_root
lab_start
PARSE=$(lesson_bin 04-parse-ipv4 parse_ipv4)
HOST_MAC=02:00:c0:00:02:01

one_line() { [ "$(wc -l <"$1")" = 1 ]; }
said() {	# said FILE PATTERN: FILE is one line, and it matches PATTERN
	one_line "$1" && grep -q -- "$2" "$1"
}

xmit() {	# xmit ARGS...: frames from the peer to the host (lab/xmit --help)
	in_peer "$TOP/lab/xmit" -i "$PEER_IF" --dst-mac "$HOST_MAC" "$@" >/dev/null
}

# The loader's table as "tcp=N udp=N ...": the row named "total", or the interval rows (whose
# first column is a number of seconds) added up.
# shellcheck disable=SC2016  # awk's $ fields
TABLE_AWK='
	$1 == "seconds" { for (i = 2; i <= NF; i++) name[i] = $i; n = NF; next }
	n && (which == "total" ? $1 == "total" : $1 ~ /^[0-9]+\.[0-9]$/) {
		for (i = 2; i <= n; i++) sum[i] += $i
	}
	END {
		for (i = 2; i <= n; i++) printf "%s%s=%d", (i > 2 ? " " : ""), name[i], sum[i]
		print ""
	}'
totals() { awk -v which=total "$TABLE_AWK" "$1"; }
rows_sum() { awk -v which=rows "$TABLE_AWK" "$1"; }
rows() { grep -cE '^ +[0-9]+\.[0-9] ' "$1"; }

# IPv4 packets the lab host's stack received: InReceives, the 3rd counter of the Ip: lines in
# /proc/net/snmp of its namespace.
# shellcheck disable=SC2016  # $1 and $4 are awk's
ip_in_receives() { in_host awk '$1 == "Ip:" && ++n == 2 { print $4 }' /proc/net/snmp; }

# --- bad command lines: one line on stderr, exit status 2, nothing attached
for bad in 192.0.2.300 2001:db8::1 192.0.2 lab-peer 192.0.2.2/32 ""; do
	in_host "$PARSE" -i "$HOST_IF" --block "$bad" >"$TMP/out" 2>"$TMP/err"
	tap_is "$?" 2 "--block '$bad': usage error, exit status 2"
	tap_ok "--block '$bad': one line that says what --block wants" \
		said "$TMP/err" "^parse_ipv4: --block wants an IPv4 address .*, not '$bad'"
done
in_host "$PARSE" -i "$HOST_IF" --block >"$TMP/out" 2>"$TMP/err"
tap_is "$?" 2 "--block without an address: exit status 2"
tap_ok "... in one line" said "$TMP/err" "option '--block' needs an argument"
in_host "$PARSE" -i "$HOST_IF" --block 192.0.2.3 --interval 0 >"$TMP/out" 2>"$TMP/err"
tap_is "$?" 2 "--interval 0: exit status 2"
tap_ok "... in one line" said "$TMP/err" "^parse_ipv4: --interval wants a number of seconds > 0"
tap_ok "nothing is attached after the refused command lines" detached

# --- a known mix of traffic, exactly counted
tap_ok "parse_ipv4 attaches to $HOST_IF" \
	loader_start "$TMP/mix" "$PARSE" -i "$HOST_IF" --interval 0.2
tap_is "$(ping_replies 5)" 5 "5 pings from the peer get 5 replies"
xmit -t udp -c 7 -s 100
xmit -t tcp-syn -c 3
xmit -t tcp-syn -c 2 --src "$PEER_IP2"
xmit -t udp -c 2 --vlan 10 --vlan 20
xmit -t icmp -c 2 --ihl 8
xmit -t udp -c 2 --frag 1480
xmit -t udp6
xmit -t arp
xmit -t ether -s 60
xmit -t udp --truncate 30
xmit -t udp --ihl 4
sleep 0.5	# a row or two while nothing happens
loader_stop INT
tap_is "$?" 0 "Ctrl-C: exit status 0"
tap_ok "detached after Ctrl-C" detached
tap_is "$(totals "$TMP/mix")" \
	"tcp=5 udp=9 icmp=7 ip-other=0 fragment=2 ipv6=1 arp=1 other=1 malformed=2 blocked=0" \
	"the totals: every counter exactly as sent"
tap_is "$(rows_sum "$TMP/mix")" "$(totals "$TMP/mix")" "the interval rows add up to the totals"
tap_ok "one row per 0.2 s interval: at least 5 rows (got $(rows "$TMP/mix"))" \
	test "$(rows "$TMP/mix")" -ge 5
HEADER="^seconds +tcp +udp +icmp +ip-other +fragment +ipv6 +arp +other +malformed +blocked$"
tap_ok "the table is headed by the counter names" grep -qE "$HEADER" "$TMP/mix"

# --- the blocklist: the peer's first address is dropped, its second passes
before=$(ip_in_receives)
tap_ok "parse_ipv4 --block $PEER_IP attaches" \
	loader_start "$TMP/block" "$PARSE" -i "$HOST_IF" -I 0.2 --block "$PEER_IP"
tap_ok "it says it drops $PEER_IP" grep -qx "parse_ipv4: dropping IPv4 packets from $PEER_IP" \
	"$TMP/block"
tap_is "$(ping_replies 4)" 0 "4 pings from $PEER_IP get no reply"
tap_is "$(in_peer ping -n -q -c 4 -i 0.2 -W 1 -I "$PEER_IP2" "$HOST_IP" 2>/dev/null |
	sed -n 's/.* \([0-9]*\) received.*/\1/p')" 4 "4 pings from $PEER_IP2 get 4 replies"
xmit -t udp -c 6
xmit -t udp -c 3 --src "$PEER_IP2"
xmit -t udp -c 2 --src "$PEER_IP2" --vlan 7
loader_stop TERM
tap_is "$?" 0 "SIGTERM: exit status 0"
tap_is "$(totals "$TMP/block")" \
	"tcp=0 udp=5 icmp=4 ip-other=0 fragment=0 ipv6=0 arp=0 other=0 malformed=0 blocked=10" \
	"blocked: 4 pings, 6 UDP from $PEER_IP; passed: 4 pings, 5 UDP (2 tagged) from $PEER_IP2"
tap_is "$(rows_sum "$TMP/block")" "$(totals "$TMP/block")" "the rows add up to the totals"
tap_is "$(($(ip_in_receives) - before))" 7 \
	"the host's IP stack received only the 7 untagged IPv4 packets that passed"

# two addresses blocked: neither gets a reply
tap_ok "parse_ipv4 --block $PEER_IP --block $PEER_IP2 attaches" \
	loader_start "$TMP/both" "$PARSE" -i "$HOST_IF" -b "$PEER_IP" -b "$PEER_IP2" -d 30
tap_is "$(grep -c '^parse_ipv4: dropping IPv4 packets from ' "$TMP/both")" 2 \
	"it says it drops both"
xmit -t tcp-syn -c 3
xmit -t tcp-syn -c 2 --src "$PEER_IP2"
xmit -t tcp-syn -c 1 --src 192.0.2.4
loader_stop INT
tap_is "$(totals "$TMP/both")" \
	"tcp=1 udp=0 icmp=0 ip-other=0 fragment=0 ipv6=0 arp=0 other=0 malformed=0 blocked=5" \
	"both blocked: 5 SYNs dropped, the one from 192.0.2.4 passed"

# --- generic mode: the same parser, the same counts; then --duration, which ends by itself
# (no traffic is timed against its window: an emulated CPU beside a busy core may not send a
# frame within it, seen in armhf-jit)
tap_ok "parse_ipv4 -m skb attaches" \
	loader_start "$TMP/skb" "$PARSE" -i "$HOST_IF" -m skb -I 0.5
tap_ok "in generic mode, as asked" grep -q "in generic (skb) mode: as asked" "$TMP/skb"
xmit -t udp -c 4 --vlan 5
xmit -t icmp -c 1 --frag 8 --more-frags
xmit -t tcp-syn --truncate 40
loader_stop INT
# (in the foreground: a poll for the attachment could miss the window on an emulated CPU)
in_host "$PARSE" -i "$HOST_IF" -d 2 >"$TMP/dur" 2>&1
tap_is "$?" 0 "--duration 2 ends by itself with exit status 0"
tap_ok "... it attached, then detached by itself" \
	eval 'grep -q ": attached to " "$TMP/dur" && grep -q ": detached from " "$TMP/dur"'
tap_ok "detached after --duration" detached
tap_is "$(totals "$TMP/skb")" \
	"tcp=0 udp=4 icmp=0 ip-other=0 fragment=1 ipv6=0 arp=0 other=0 malformed=1 blocked=0" \
	"generic mode: 4 tagged UDP, 1 fragment, 1 truncated SYN"

tap_done
