# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# The demo's step for lesson 06 (sourced by lab/demo): a UDP echo server in user space, through
# an AF_XDP socket, answering a real client, while pings still go to the stack.
step "06-af-xdp: packets straight to a user-space program -- a UDP echo server on an AF_XDP socket"
say "The peer sends whole UDP checksums (veth has no offload to finish them; see the README):"
show "sudo lab/lab exec peer ethtool -K veth1 tx off"
in_peer ethtool -K "$PEER_IF" tx off >/dev/null
show "sudo lab/lab exec host ./06-af-xdp/xsk_echo -i veth0 -I 0.5"
loader_start "$TMP/xsk" "$(lesson_bin 06-af-xdp xsk_echo)" -i "$HOST_IF" -I 0.5
wait_for 5 grep -q '^xsk_echo: answering' "$TMP/xsk" || true
show "echo 'hello, echo' | sudo lab/lab exec peer socat -t 1 - UDP:$HOST_IP:7     # elsewhere"
echo "hello, echo" | in_peer socat -t 1 - "UDP:$HOST_IP:7" 2>&1 | indent || true
show "sudo lab/lab ping 3"
in_peer ping -n -c 3 -i 0.2 -W 1 "$HOST_IP" 2>&1 | tail -n 2 | indent || true
sleep 0.6
loader_stop INT || true
say "What xsk_echo printed: the datagram answered in user space, the pings passed to the stack:"
indent <"$TMP/xsk"
in_peer ethtool -K "$PEER_IF" tx on >/dev/null
