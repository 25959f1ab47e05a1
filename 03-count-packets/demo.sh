# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# The demo's step for lesson 03 (sourced by lab/demo).
step "03-count-packets: count every packet and byte in a per-CPU map, and pass them all"
show "sudo lab/lab exec host ./03-count-packets/count_packets -i veth0"
loader_start "$TMP/count" "$(lesson_bin 03-count-packets count_packets)" -i "$HOST_IF"
rx_before="$(host_counter rx_packets) $(host_counter rx_bytes)"
show "sudo lab/lab send -t udp -c 5000 -s 200 --gap-us 200     # in another terminal"
in_peer "$TOP/lab/xmit" -i "$PEER_IF" --dst-mac 02:00:c0:00:02:01 -t udp -c 5000 -s 200 \
	--gap-us 200 | indent
show "sudo lab/lab ping 3"
in_peer ping -n -q -c 3 -i 0.2 -W 1 "$HOST_IP" | indent || true
sleep 1
loader_stop INT || true
say "What count_packets printed (a line a second, then Ctrl-C):"
indent <"$TMP/count"
read -r p0 b0 <<<"$rx_before"
p1=$(host_counter rx_packets)
b1=$(host_counter rx_bytes)
say "veth0's own counters over the same time: rx_packets +$((p1 - p0)), rx_bytes +$((b1 - b0))" \
	"(veth leaves the 14-byte Ethernet header out of rx_bytes when XDP runs natively:" \
	"$((b1 - b0)) + 14 x $((p1 - p0)) = $((b1 - b0 + 14 * (p1 - p0))))."
