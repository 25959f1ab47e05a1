#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# End to end: the real hello loader in a lab of its own, real pings from the peer.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../../tests/lib.sh"

tap_require_root
lab_start
HELLO=$(lesson_bin 01-hello-xdp hello)
OBJ=$TOP/01-hello-xdp/${XDP_OUT:-.build}/hello.bpf.o
N=5

one_line() { [ "$(wc -l <"$1")" = 1 ]; }

# --- bad input: one line on stderr, the right exit status, nothing attached
in_host "$HELLO" -i nosuchif >"$TMP/out" 2>"$TMP/err"
tap_is "$?" 1 "unknown interface: exit status 1"
tap_ok "unknown interface: one line that names \`ip link\`" \
	eval 'one_line "$TMP/err" && grep -q "no interface named .nosuchif..*ip link" "$TMP/err"'

in_host setpriv --reuid=nobody --regid=nogroup --clear-groups "$HELLO" -i "$HOST_IF" \
	>"$TMP/out" 2>"$TMP/err"
tap_is "$?" 1 "not root: exit status 1"
tap_ok "not root: one line that says to use sudo" \
	eval 'one_line "$TMP/err" && grep -q "needs root.*sudo" "$TMP/err"'

in_host "$HELLO" >"$TMP/out" 2>"$TMP/err"
tap_is "$?" 2 "no -i: usage error, exit status 2"
in_host "$HELLO" -i "$HOST_IF" -m turbo >"$TMP/out" 2>"$TMP/err"
tap_is "$?" 2 "unknown mode: usage error, exit status 2"
tap_ok "nothing is attached after the failed starts" detached

# --- N pings, N replies, N hello lines for the echo requests
tap_ok "hello attaches to $HOST_IF" loader_start "$TMP/hello" "$HELLO" -i "$HOST_IF"
tap_ok "it says it attached in native mode (veth has native XDP)" \
	grep -q "attached to $HOST_IF (program id [0-9]*) in native mode" "$TMP/hello"
native="in native mode: the driver runs it before the stack"
native+=" (no sk_buff yet on a NIC; veth gets its peer's sk_buffs)"
tap_ok "... and says what that means on veth: before the stack, on the peer's sk_buffs" \
	grep -qF "$native" "$TMP/hello"
tap_is "$(ping_replies $N)" $N "$N pings from the peer get $N replies"
loader_stop INT
tap_is "$?" 0 "Ctrl-C (SIGINT): exit status 0"
tap_is "$(grep -c "^hello from XDP: 98-byte IPv4 packet on $HOST_IF$" "$TMP/hello")" $N \
	"exactly $N hello lines, one per 98-byte echo request"
tap_is "$(grep -c '^hello from XDP' "$TMP/hello")" $N "and no other hello lines"
tap_ok "the summary counts $N IPv4 packets of 98 bytes" \
	grep -q "saw $N packets ($((N * 98)) bytes): $N IPv4, 0 IPv6, 0 ARP, 0 other" "$TMP/hello"
tap_ok "detached after Ctrl-C" detached

# --- a program already attached: refused with its id, and it stays
loader_start "$TMP/holder" "$HELLO" -i "$HOST_IF"
id=$(xdp_prog_id)
# (-d 2: should it attach after all, the test must still end)
in_host "$HELLO" -i "$HOST_IF" -d 2 >"$TMP/out" 2>"$TMP/err"
tap_is "$?" 1 "second loader on the same interface: exit status 1"
tap_ok "its one-line error names the attached program's id ($id)" \
	eval 'one_line "$TMP/err" && grep -q "(id $id) is already attached" "$TMP/err"'
tap_is "$(xdp_prog_id)" "$id" "the program already attached stays attached"
loader_stop TERM
tap_is "$?" 0 "SIGTERM: exit status 0"
tap_ok "detached after SIGTERM" detached

# a program attached with ip(8) instead of a loader: the error says how to remove it
in_host ip link set dev "$HOST_IF" xdpgeneric obj "$OBJ" sec xdp
id=$(xdp_prog_id)
in_host "$HELLO" -i "$HOST_IF" -d 2 >"$TMP/out" 2>"$TMP/err"
tap_ok "program attached by ip: the error names id $id and \`xdpgeneric off\`" \
	eval 'one_line "$TMP/err" &&
	      grep -q "(id $id).*ip link set dev $HOST_IF xdpgeneric off" "$TMP/err"'
in_host ip link set dev "$HOST_IF" xdpgeneric off

# --- every way out detaches
loader_start "$TMP/hup" "$HELLO" -i "$HOST_IF"
loader_stop HUP
tap_is "$?" 0 "SIGHUP: exit status 0"
tap_ok "detached after SIGHUP" detached

loader_start "$TMP/kill" "$HELLO" -i "$HOST_IF"
loader_stop KILL
tap_ok "detached after kill -9 (the kernel closes the bpf_link)" wait_for 60 detached

# in the foreground: a poll for the attachment could miss a window this short on a slow machine
in_host "$HELLO" -i "$HOST_IF" --duration 1 >"$TMP/dur" 2>&1
tap_is "$?" 0 "--duration 1 ends by itself with exit status 0"
tap_ok "... it attached, then detached by itself" \
	eval 'grep -q ": attached to " "$TMP/dur" && grep -q ": detached from " "$TMP/dur"'
tap_ok "detached after --duration" detached

# --- generic mode, when asked for
tap_ok "hello -m skb attaches" loader_start "$TMP/skb" "$HELLO" -i "$HOST_IF" -m skb
tap_ok "it says generic (skb) mode" grep -q "in generic (skb) mode: as asked" "$TMP/skb"
tap_is "$(ping_replies 2)" 2 "pings still answered in generic mode"
loader_stop INT
tap_is "$(grep -c "^hello from XDP: 98-byte IPv4 packet" "$TMP/skb")" 2 \
	"generic mode sees the 2 echo requests too"

tap_done
