# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# The demo's step for lesson 04 (sourced by lab/demo): the live table while mixed traffic runs.
step "04-parse-ipv4: parse Ethernet, VLAN and IPv4 headers the verifier accepts; count by" \
	"protocol; drop a blocklist"
show "sudo lab/lab exec host ./04-parse-ipv4/parse_ipv4 -i veth0 --block $PEER_IP2 --interval 0.5"
say "For about three seconds the peer sends pings from $PEER_IP and from the blocked $PEER_IP2," \
	"UDP (some in two VLAN tags), TCP SYNs, a fragment, an ARP request, an IPv6 frame and" \
	"truncated frames. A row every half second counts what arrived in it:"
loader_start "$TMP/parse" "$(lesson_bin 04-parse-ipv4 parse_ipv4)" -i "$HOST_IF" \
	--block "$PEER_IP2" --interval 0.5
# Show the table as it grows; tail stops by itself once the loader has exited.
tail -s 0.1 -n +1 -f --pid="$LOADER_PID" "$TMP/parse" | indent &
demo_tail=$!
demo_send() { in_peer "$TOP/lab/xmit" -i "$PEER_IF" --dst-mac 02:00:c0:00:02:01 "$@" >/dev/null; }
in_peer ping -n -q -c 3 -i 0.2 "$HOST_IP" >/dev/null || true
demo_send -t udp -c 20 -s 200 --gap-us 20000
demo_send -t tcp-syn -c 5 --gap-us 50000
in_peer ping -n -q -c 3 -i 0.2 -W 1 -I "$PEER_IP2" "$HOST_IP" >/dev/null || true
demo_send -t udp -c 4 --vlan 100 --vlan 200 --gap-us 100000
demo_send -t udp --frag 1480
demo_send -t arp
demo_send -t udp6
demo_send -t tcp-syn -c 2 --truncate 40 --gap-us 200000
sleep 0.7
loader_stop INT || true
wait "$demo_tail" || true
say "Every frame under exactly one heading: the 3 pings from $PEER_IP2 are in 'blocked', and" \
	"they got no reply."
