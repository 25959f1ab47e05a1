# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# The demo's step for lesson 08 (sourced by lab/demo): two hosts joined by VXLAN, our XDP
# endpoint at one end and the kernel's vxlan device at the other; the wire seen by tcpdump.
step "08-tunnel: a VXLAN tunnel endpoint in XDP, against the kernel's own"
say "A third lab: a (192.0.2.1) -- tep, our endpoint -- wire 203.0.113.0/24 -- far, the" \
	"kernel's vxlan device -- b (192.0.2.2). Only the tunnel joins a and b."
show "sudo lab/lab up tunnel"
"$LAB" -n "$LAB_NAME" up tunnel | indent
show "sudo lab/lab exec a ping -c 2 $B_IP"
in_a ping -n -c 2 -i 0.2 -W 1 "$B_IP" 2>&1 | tail -n 2 | indent || true
show "sudo lab/lab exec tep ./08-tunnel/tunnel -i lan0 --to wire0 --remote $FAR_IP" \
	"--net 192.0.2.0/24 --vni 42 -I 0.5"
tunnel_loader_start "$TMP/tunnel" "$(lesson_bin 08-tunnel tunnel)" -i lan0 --to wire0 \
	--remote "$FAR_IP" --net 192.0.2.0/24 --vni 42 -I 0.5 || true
show "sudo lab/lab exec far tcpdump -n -c 2 -i wire0 udp port 4789     # in another terminal"
ip netns exec "$LAB_NAME-far" timeout 10 tcpdump -Z root -n -l -c 2 -i wire0 udp port 4789 \
	>"$TMP/wire" 2>"$TMP/tcpdump" &
wait_for 10 grep -q 'listening on' "$TMP/tcpdump" || true
show "sudo lab/lab exec a ping -c 3 $B_IP     # and in a third"
in_a ping -n -c 3 -i 0.2 -W 1 "$B_IP" 2>&1 | indent || true
wait $! || true
say "What tcpdump saw on the wire: the request in our VXLAN, the reply in the kernel's:"
indent <"$TMP/wire"
sleep 0.6
loader_stop INT || true
say "What tunnel printed (a line every half second, then Ctrl-C):"
indent <"$TMP/tunnel"
