#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# common/loader.c, shared by every loader: --interval's bounds, a stop signal that ends the
# wait at once, and the privilege check, which must ask for what each program really needs.
# arm/run: skip it compiles its LD_PRELOAD library, and the emulated ARM VMs have no compiler
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

tap_require_root
lab_start
HELLO=$(lesson_bin 01-hello-xdp hello)
DROP=$(lesson_bin 02-drop-all drop_all)
COUNT=$(lesson_bin 03-count-packets count_packets)
PARSE=$(lesson_bin 04-parse-ipv4 parse_ipv4)
PONG=$(lesson_bin 05-redirect pong)
REDIRECT=$(lesson_bin 05-redirect redirect)

one_line() { [ "$(wc -l <"$1")" = 1 ]; }

# --- --interval: from 1 ms to a day, a usage error outside
for bin in "$COUNT" "$PARSE" "$PONG"; do
	name=$(basename "$bin")
	for bad in 0.0001 1e-12 86401 1e9 0 -1 abc; do
		# (timeout: a loader that took 1e-12 would spin for ever)
		timeout -s KILL 20 "$bin" -i nosuchif --interval "$bad" >"$TMP/out" 2>"$TMP/err"
		rc=$?
		tap_ok "$name --interval $bad: usage error (exit $rc), one line naming the bounds" \
			eval '[ $rc = 2 ] && one_line "$TMP/err" &&
			      grep -q -- "--interval wants a number of seconds > 0, from 0.001 to 86400" "$TMP/err"'
	done
done
in_host timeout -s KILL 20 "$PARSE" -i "$HOST_IF" --interval 0.001 -d 0.5 >"$TMP/out" 2>&1
tap_is "$?" 0 "parse_ipv4 --interval 0.001 -d 0.5 runs: exit status 0"
rows=$(grep -cE '^ *[0-9]+\.[0-9] ' "$TMP/out")
# (500 at most; a busy machine, or a sanitizer build, gets fewer)
tap_ok "... and prints rows many times a second ($rows rows in 0.5 s)" [ "$rows" -gt 5 ]
in_host timeout -s KILL 20 "$PARSE" -i "$HOST_IF" --interval 86400 -d 0.3 >"$TMP/out" 2>&1
tap_is "$?" 0 "parse_ipv4 --interval 86400 -d 0.3 runs: exit status 0"

# --- Ctrl-C ends a long wait at once
# stopped_within SECONDS: the loader started by loader_start ends by then; its exit status
# (or "still running") into $stopped
stopped_within() {
	stopped="still running"
	if wait_for "$1" eval '! kill -0 "$LOADER_PID" 2>/dev/null || ! ps -o stat= "$LOADER_PID" | grep -qv Z'; then
		loader_wait
		stopped=$?
	fi
}
for bin in "$COUNT" "$PARSE"; do
	name=$(basename "$bin")
	loader_start "$TMP/run" "$bin" -i "$HOST_IF" --interval 1000
	kill -INT "$LOADER_PID"
	stopped_within 20
	tap_is "$stopped" 0 "$name --interval 1000: SIGINT ends it within 20 s, exit 0"

	# The signal comes after the loader looked for one, before its wait began
	# (late-signal.c widens that window to 3 s); the wait must still end at once.
	${CC:-cc} -shared -fPIC -o "$TMP/late-signal.so" "$TOP/tests/late-signal.c" -ldl
	loader_start "$TMP/run" env LD_PRELOAD="$TMP/late-signal.so" \
		ASAN_OPTIONS=verify_asan_link_order=0 "$bin" -i "$HOST_IF" --interval 1000
	wait_for 60 grep -q '^late-signal: now' "$TMP/run"
	kill -INT "$LOADER_PID"
	stopped_within 20
	tap_is "$stopped" 0 \
		"$name: a SIGINT just before the wait began ends it within 20 s, exit 0"
	[ -z "$LOADER_PID" ] || loader_stop KILL
	tap_ok "detached" wait_for 60 detached
done

# --- privileges: exactly what each program needs
# as CAPS COMMAND...: COMMAND in the lab host, as nobody, with only the capabilities CAPS
as() {
	local caps=$1
	shift
	in_host setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps="-all,$caps" \
		--ambient-caps="-all,$caps" "$@"
}
# Loading an XDP program and attaching it take CAP_BPF and CAP_NET_ADMIN; subtracting packet
# pointers (data_end - data), or a tracepoint, CAP_PERFMON as well.
basic=+bpf,+net_admin
for bin in "$HELLO" "$COUNT" "$PARSE" "$PONG"; do
	name=$(basename "$bin")
	as "$basic" "$bin" -i "$HOST_IF" -d 0.3 >"$TMP/out" 2>"$TMP/err"
	rc=$?
	tap_ok "$name with CAP_BPF and CAP_NET_ADMIN only: one line, it needs CAP_PERFMON too, sudo (exit $rc)" \
		eval '[ $rc = 1 ] && one_line "$TMP/err" &&
		      grep -q "needs root (CAP_BPF, CAP_NET_ADMIN and CAP_PERFMON): run it with sudo" "$TMP/err"'
	as "$basic,+perfmon" "$bin" -i "$HOST_IF" -d 0.3 >"$TMP/out" 2>"$TMP/err"
	rc=$?
	tap_ok "$name with CAP_BPF, CAP_NET_ADMIN and CAP_PERFMON attaches and ends well (exit $rc)" \
		eval '[ $rc = 0 ] && grep -q ": attached to $HOST_IF" "$TMP/out"'
done
as "$basic" "$DROP" -i "$HOST_IF" -d 0.3 >"$TMP/out" 2>"$TMP/err"
rc=$?
tap_ok "drop_all with CAP_BPF and CAP_NET_ADMIN only attaches and ends well (exit $rc)" \
	eval '[ $rc = 0 ] && grep -q ": attached to $HOST_IF" "$TMP/out"'
as "$basic" "$REDIRECT" -i "$HOST_IF" --to lo --via 02:00:00:00:00:01 -d 0.3 >"$TMP/out" 2>"$TMP/err"
rc=$?
tap_ok "redirect with CAP_BPF and CAP_NET_ADMIN only: one line, it needs CAP_PERFMON too (exit $rc)" \
	eval '[ $rc = 1 ] && one_line "$TMP/err" &&
	      grep -q "needs root (CAP_BPF, CAP_NET_ADMIN and CAP_PERFMON): run it with sudo" "$TMP/err"'
as "$basic" "$TOP/kernel-config/${XDP_OUT:+$XDP_OUT/}probe" "$HOST_IF" >"$TMP/out" 2>"$TMP/err"
rc=$?
tap_ok "kernel-config/probe without CAP_PERFMON: one line, no trace_printk=no (exit $rc)" \
	eval '[ $rc = 1 ] && one_line "$TMP/err" && grep -q "needs root.*sudo" "$TMP/err" &&
	      ! grep -q trace_printk "$TMP/out"'
tap_ok "nothing is attached after the refusals" detached

# Finding the bpf_link that holds an interface takes CAP_SYS_ADMIN. Without it the advice
# must not be `ip link set ... xdp off` alone, which cannot remove a link.
loader_start "$TMP/holder" "$HELLO" -i "$HOST_IF"
id=$(xdp_prog_id)
as "$basic" "$DROP" -i "$HOST_IF" -d 2 >"$TMP/out" 2>"$TMP/err"
rc=$?
tap_ok "a second loader without CAP_SYS_ADMIN: exit 1, one line (exit $rc)" \
	eval '[ $rc = 1 ] && one_line "$TMP/err"'
tap_ok "... which names the program ($id) and says to stop the loader that holds a link" \
	eval 'grep -q "(id $id) is already attached; if a running loader holds it.*stop that loader" "$TMP/err"'
tap_is "$(xdp_prog_id)" "$id" "the program already attached stays attached"
loader_stop INT
tap_is "$?" 0 "the holder stops: exit status 0"
tap_ok "detached" detached

tap_done
