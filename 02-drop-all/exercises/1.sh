#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Exercise 1: abort instead of drop. Your drop_all in a lab of its own: the peer's pings get no
# reply, and the kernel reports each of them as an XDP exception with action ABORTED.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../../tests/lib.sh"

tracefs_ready "$@"
exercise_start "Exercise 1: abort instead of drop"
lab_start "t$$-ex"
xdp_exceptions_start
exercise_loader "$TMP/out" "$(lesson_bin 02-drop-all drop_all)" -i "$HOST_IF"
id=$(xdp_prog_id)
expect "replies to 3 pings from the peer" 0 "$(ping_replies 3)"
aborted=$(xdp_exceptions "$id" | grep -c '^ABORTED$')
expect "XDP exceptions the kernel reported with action ABORTED" 3 "$aborted"
loader_stop
xdp_exceptions_stop
exercise_done
