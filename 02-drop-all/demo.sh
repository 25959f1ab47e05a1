# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# The demo's step for lesson 02 (sourced by lab/demo).
step "02-drop-all: drop every packet before the kernel's network stack sees it"
show "sudo lab/lab exec host ./02-drop-all/drop_all -i veth0 --duration 3"
loader_start "$TMP/drop" "$(lesson_bin 02-drop-all drop_all)" -i "$HOST_IF" --duration 3
show "sudo lab/lab ping 3     # in another terminal, while it runs"
in_peer ping -n -c 3 -i 0.2 -W 1 "$HOST_IP" | indent || true
loader_wait || true
say "What drop_all printed (--duration 3 detached it by itself):"
indent <"$TMP/drop"
show "sudo lab/lab ping 3     # once it is gone"
in_peer ping -n -c 3 -i 0.2 -W 1 "$HOST_IP" | indent || true
