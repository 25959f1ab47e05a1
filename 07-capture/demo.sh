# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# The demo's step for lesson 07 (sourced by lab/demo): the program captures every frame into a
# file and then drops it. tcpdump on veth0 would see none of them; tcpdump -r sees them all.
step "07-capture: what XDP sees -- even what it drops -- as a capture file for tcpdump"
show "sudo lab/lab exec host ./07-capture/capture -i veth0 -w /tmp/in.pcap --verdict drop"
loader_start "$TMP/capture" "$(lesson_bin 07-capture capture)" -i "$HOST_IF" \
	-w "$TMP/in.pcap" --verdict drop
say "Each frame is copied into the capture, then dropped: the pings get no answer."
show "sudo lab/lab ping 2"
in_peer ping -n -c 2 -i 0.2 -W 1 "$HOST_IP" 2>&1 | grep transmitted | indent || true
show "sudo lab/lab send -t udp --vlan 100 -s 300; sudo lab/lab send -t udp --truncate 20"
in_peer "$TOP/lab/xmit" -i "$PEER_IF" --dst-mac 02:00:c0:00:02:01 -t udp --vlan 100 -s 300 \
	>/dev/null
in_peer "$TOP/lab/xmit" -i "$PEER_IF" --dst-mac 02:00:c0:00:02:01 -t udp --truncate 20 \
	>/dev/null
sleep 0.3
loader_stop INT || true
say "What capture printed, Ctrl-C included:"
indent <"$TMP/capture"
show "tcpdump -r /tmp/in.pcap -nn -e"
tcpdump -r "$TMP/in.pcap" -nn -e 2>&1 | indent
