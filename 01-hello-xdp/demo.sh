# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# The demo's step for lesson 01 (sourced by lab/demo).
step "01-hello-xdp: pass every packet, and say hello for each one"
show "sudo lab/lab exec host ./01-hello-xdp/hello -i veth0"
loader_start "$TMP/hello" "$(lesson_bin 01-hello-xdp hello)" -i "$HOST_IF"
show "sudo lab/lab ping 3     # in another terminal"
in_peer ping -n -c 3 -i 0.2 "$HOST_IP" | indent
loader_stop INT || true
say "What hello printed (Ctrl-C detaches the program):"
indent <"$TMP/hello"
