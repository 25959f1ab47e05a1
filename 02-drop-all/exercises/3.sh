#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Exercise 3: a verdict that does not exist. Your drop_all returns 7, which is no XDP action:
# the program loads and attaches (the verifier does not judge return values of XDP programs),
# the driver treats the frame as aborted, so the pings get no reply, and the kernel reports an
# XDP exception for each, with the action it did not know: 0x7.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../../tests/lib.sh"

tracefs_ready "$@"
exercise_start "Exercise 3: return 7, an action that does not exist"
lab_start "t$$-ex"
xdp_exceptions_start
exercise_loader "$TMP/out" "$(lesson_bin 02-drop-all drop_all)" -i "$HOST_IF"
id=$(xdp_prog_id)
expect "replies to 3 pings from the peer" 0 "$(ping_replies 3)"
expect "XDP exceptions the kernel reported, with the action it saw" "3 x 0x7" \
	"$(xdp_exceptions "$id" | sort | uniq -c | awk '{ printf "%s%s x %s", s, $1, $2; s = ", " }')"
loader_stop
xdp_exceptions_stop
exercise_done
