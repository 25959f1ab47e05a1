# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034  # variables here are for the tests that source it
#
# Shared by the end-to-end tests: TAP output, a private lab for each test file that is torn
# down however the test ends, and helpers to run the real loaders in it.
#
#	. "$(dirname "$0")/../../tests/lib.sh"
#	tap_require_root
#	lab_start
#	loader_start out.txt 01-hello-xdp/hello -i veth0
#	...
#	tap_done

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LAB=$TOP/lab/lab
TAP_N=0
TAP_FAILED=0
LAB_NAME=
LOADER_PID=
TMP=$(mktemp -d "${TMPDIR:-/tmp}/xdp-test.XXXXXX")

# The lab's fixed names and addresses (lab/lab), for the tests that source this file.
# shellcheck disable=SC2034
HOST_IF=veth0
PEER_IF=veth1
HOST_IP=192.0.2.1
PEER_IP=192.0.2.2
PEER_IP2=192.0.2.3

tap_ok() {	# tap_ok NAME COMMAND...: passes when COMMAND exits 0
	local name=$1
	shift
	TAP_N=$((TAP_N + 1))
	if "$@"; then
		echo "ok $TAP_N - $name"
	else
		TAP_FAILED=$((TAP_FAILED + 1))
		echo "not ok $TAP_N - $name"
	fi
}

tap_is() {	# tap_is GOT WANT NAME: fails (status 1) when GOT is not WANT
	TAP_N=$((TAP_N + 1))
	if [ "$1" = "$2" ]; then
		echo "ok $TAP_N - $3"
	else
		TAP_FAILED=$((TAP_FAILED + 1))
		echo "not ok $TAP_N - $3"
		echo "#   got '$1', want '$2'"
		return 1
	fi
}

tap_diag() {
	# shellcheck disable=SC2001
	sed 's/^/# /' <<<"$*"
}

tap_skip_all() {
	if [ "${CI:-}" = true ]; then
		echo "Bail out! $1 (a skip is a failure under CI=true)"
		exit 1
	fi
	echo "1..0 # SKIP $1"
	exit 0
}

tap_require_root() {
	[ "$(id -u)" = 0 ] || tap_skip_all "needs root for namespaces and XDP: run it with sudo (make test does)"
}

tap_done() {
	echo "1..$TAP_N"
	[ "$TAP_FAILED" = 0 ] && [ "$TAP_N" -gt 0 ]
}

# The loader binary of a lesson: the normal build, or the sanitizer build under
# XDP_OUT=.build-san (make SANITIZE=1 test).
lesson_bin() {	# lesson_bin 01-hello-xdp hello
	if [ -n "${XDP_OUT:-}" ]; then
		echo "$TOP/$1/$XDP_OUT/$2"
	else
		echo "$TOP/$1/$2"
	fi
}

cleanup() {
	local rc=$?
	if [ -n "$LOADER_PID" ]; then
		kill -9 "$LOADER_PID" 2>/dev/null || true
		{ wait "$LOADER_PID"; } 2>/dev/null || true
	fi
	[ -z "$LAB_NAME" ] || "$LAB" -n "$LAB_NAME" down || true
	[ -z "$TRACE_INSTANCE" ] || rmdir "$TRACE_INSTANCE" 2>/dev/null || true
	rm -rf "$TMP"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# A lab of our own, named after this test and its process, so tests never share one and never
# touch a learner's lab.
lab_start() {	# lab_start [NAME]
	LAB_NAME=${1:-t$$-$(basename "$(dirname "$(dirname "$0")")" | cut -c1-2)}
	if ! "$LAB" -n "$LAB_NAME" up >"$TMP/lab-up" 2>&1; then
		echo "Bail out! cannot create the lab: $(tail -n 1 "$TMP/lab-up")"
		exit 1
	fi
}

in_host() { ip netns exec "$LAB_NAME-host" "$@"; }
in_peer() { ip netns exec "$LAB_NAME-peer" "$@"; }

# The id of the XDP program on the lab host's veth0, or nothing.
xdp_prog_id() {
	ip -n "$LAB_NAME-host" -details link show "$HOST_IF" 2>/dev/null |
		sed -n 's/.*prog\/xdp id \([0-9]*\).*/\1/p'
}

wait_for() {	# wait_for SECONDS COMMAND...: poll until COMMAND succeeds
	local deadline=$((SECONDS + $1))
	shift
	until "$@"; do
		[ "$SECONDS" -lt "$deadline" ] || return 1
		sleep 0.05
	done
}

attached() { [ -n "$(xdp_prog_id)" ]; }
detached() { [ -z "$(xdp_prog_id)" ]; }

# The loader LOADER_PID is up: CHECK says its program is attached, and it said PATTERN in OUT
# (it prints right after the kernel attached it).
loader_up() {	# loader_up PATTERN OUT CHECK...
	local pattern=$1 out=$2
	shift 2
	"$@" && grep -q -- "$pattern" "$out"
}
loader_up_or_gone() { loader_up "$@" || ! kill -0 "$LOADER_PID" 2>/dev/null; }
# Wait until the loader is up, 60 s at most (an emulated ARM kernel beside other work is slow),
# or no longer than it runs: a loader that refused to start fails at once, with its output.
loader_ready() {	# loader_ready PATTERN OUT CHECK...
	wait_for 60 loader_up_or_gone "$@"
	loader_up "$@" || { tap_diag "$(cat "$2")"; return 1; }
}

# Start a loader in the lab host in the background, its output in OUT; wait until its
# program is attached and it said so (loader_ready).
loader_start() {	# loader_start OUT COMMAND...
	local out=$1
	shift
	# not through in_host: $! must be the loader itself (ip netns exec execs it)
	ip netns exec "$LAB_NAME-host" "$@" >"$out" 2>&1 &
	LOADER_PID=$!
	loader_ready ': attached to ' "$out" attached
}

# Stop the loader with a signal and return its exit status.
loader_stop() {	# loader_stop [SIGNAL]
	local rc=0
	kill "-${1:-INT}" "$LOADER_PID" 2>/dev/null || true
	{ wait "$LOADER_PID"; } 2>/dev/null || rc=$?	# no "Killed" notice from bash
	LOADER_PID=
	return "$rc"
}

# Wait for a loader that ends by itself (--duration); returns its exit status.
loader_wait() {
	local rc=0
	wait "$LOADER_PID" || rc=$?
	LOADER_PID=
	return "$rc"
}

# How many echo replies COUNT pings from the peer got.
ping_replies() {	# ping_replies COUNT [ADDRESS]
	in_peer ping -n -q -c "$1" -i 0.2 -W 1 "${2:-$HOST_IP}" 2>/dev/null |
		sed -n 's/.* \([0-9]*\) received.*/\1/p'
}

# The interface counter NAME (rx_packets, rx_bytes, ...) of the lab host's veth0.
host_counter() {
	in_host cat "/sys/class/net/$HOST_IF/statistics/$1"
}
# For wait_for, which runs its command anew each time: the counter rose by COUNT since BEFORE.
host_counted() {	# host_counted COUNTER BEFORE COUNT
	[ "$(($(host_counter "$1") - $2))" -ge "$3" ]
}

# --- The router lab of lesson 05 (lab/lab up router): left -- router -- right.
# shellcheck disable=SC2034
LEFT_IP=198.51.100.2
RIGHT_IP=203.0.113.2
ROUTER_LEFT_IP=198.51.100.1
ROUTER_RIGHT_IP=203.0.113.1
LEFT_MAC=02:00:c6:33:64:02
RIGHT_MAC=02:00:cb:00:71:02
ROUTER_LEFT_MAC=02:00:c6:33:64:01
ROUTER_RIGHT_MAC=02:00:cb:00:71:01
ROUTER_IN=left0
ROUTER_OUT=right0

# Like lab_start, the router topology; namespaces NAME-left, NAME-router and NAME-right.
router_lab_start() {	# router_lab_start [NAME]
	LAB_NAME=${1:-t$$-$(basename "$(dirname "$(dirname "$0")")" | cut -c1-2)}
	if ! "$LAB" -n "$LAB_NAME" up router >"$TMP/lab-up" 2>&1; then
		echo "Bail out! cannot create the router lab: $(tail -n 1 "$TMP/lab-up")"
		exit 1
	fi
}

in_left() { ip netns exec "$LAB_NAME-left" "$@"; }
in_router() { ip netns exec "$LAB_NAME-router" "$@"; }
in_right() { ip netns exec "$LAB_NAME-right" "$@"; }

# The id of the XDP program on the router's interface IFACE, or nothing.
router_prog_id() {	# router_prog_id IFACE
	ip -n "$LAB_NAME-router" -details link show "$1" |
		sed -n 's/.*prog\/xdp id \([0-9]*\).*/\1/p'
}
router_attached() { [ -n "$(router_prog_id "$1")" ]; }
router_detached() { [ -z "$(router_prog_id "$ROUTER_IN")$(router_prog_id "$ROUTER_OUT")" ]; }

# loader_start for the router: COMMAND runs in NAME-router, and attaches to IFACE.
router_loader_start() {	# router_loader_start OUT IFACE COMMAND...
	local out=$1 iface=$2
	shift 2
	ip netns exec "$LAB_NAME-router" "$@" >"$out" 2>&1 &
	LOADER_PID=$!
	loader_ready ': attached to ' "$out" router_attached "$iface"
}

# How many of COUNT pings from the left host to ADDRESS were answered.
left_ping() {	# left_ping COUNT [ADDRESS [PING OPTIONS...]]
	local count=$1 addr=${2:-$RIGHT_IP}
	shift $(($# < 2 ? $# : 2))
	in_left ping -n -q -c "$count" -i 0.2 -W 1 "$@" "$addr" 2>/dev/null |
		sed -n 's/.* \([0-9]*\) received.*/\1/p'
}

# --- The tunnel lab of lesson 08 (lab/lab up tunnel): a -- lan0 tep wire0 -- wire0 far -- b,
# VXLAN 42 between tep (where XDP runs) and far (the kernel's vxlan device, bridged to b).
# shellcheck disable=SC2034
A_IP=192.0.2.1
B_IP=192.0.2.2
A_MAC=02:00:c0:00:02:01
B_MAC=02:00:c0:00:02:02
TEP_IP=203.0.113.1
FAR_IP=203.0.113.2

# Like lab_start, the tunnel topology; namespaces NAME-a, NAME-tep, NAME-far and NAME-b.
tunnel_lab_start() {	# tunnel_lab_start [NAME]
	LAB_NAME=${1:-t$$-$(basename "$(dirname "$(dirname "$0")")" | cut -c1-2)}
	if ! "$LAB" -n "$LAB_NAME" up tunnel >"$TMP/lab-up" 2>&1; then
		echo "Bail out! cannot create the tunnel lab: $(tail -n 1 "$TMP/lab-up")"
		exit 1
	fi
}

in_a() { ip netns exec "$LAB_NAME-a" "$@"; }
in_tep() { ip netns exec "$LAB_NAME-tep" "$@"; }
in_far() { ip netns exec "$LAB_NAME-far" "$@"; }
in_b() { ip netns exec "$LAB_NAME-b" "$@"; }

# The id of the XDP program on the endpoint's interface IFACE (lan0 or wire0), or nothing.
tep_prog_id() {	# tep_prog_id IFACE
	ip -n "$LAB_NAME-tep" -details link show "$1" |
		sed -n 's/.*prog\/xdp id \([0-9]*\).*/\1/p'
}
tep_attached() { [ -n "$(tep_prog_id lan0)" ] && [ -n "$(tep_prog_id wire0)" ]; }
tep_detached() { [ -z "$(tep_prog_id lan0)$(tep_prog_id wire0)" ]; }

# loader_start for the tunnel: COMMAND runs in NAME-tep and attaches to lan0 and wire0.
tunnel_loader_start() {	# tunnel_loader_start OUT COMMAND...
	local out=$1
	shift
	ip netns exec "$LAB_NAME-tep" "$@" >"$out" 2>&1 &
	LOADER_PID=$!
	loader_ready '^tunnel: a line every' "$out" tep_attached
}

# How many of COUNT pings from host a (a_ping) or b (b_ping) to ADDRESS were answered.
a_ping() {	# a_ping COUNT ADDRESS [PING OPTIONS...]
	local count=$1 addr=$2
	shift 2
	in_a ping -n -q -c "$count" -i 0.2 -W 1 "$@" "$addr" 2>/dev/null |
		sed -n 's/.* \([0-9]*\) received.*/\1/p'
}
b_ping() {	# b_ping COUNT ADDRESS [PING OPTIONS...]
	local count=$1 addr=$2
	shift 2
	in_b ping -n -q -c "$count" -i 0.2 -W 1 "$@" "$addr" 2>/dev/null |
		sed -n 's/.* \([0-9]*\) received.*/\1/p'
}

# --- Exercise checks on real traffic (LESSON/exercises/N.sh, make exercise-N): one line per
# expectation, as common/exercise.c prints them, and exit 0 only when all hold.
EX_HELD=0
EX_WRONG=0
EX_TITLE=

exercise_start() {	# exercise_start TITLE
	EX_TITLE=$1
	echo "$1"
	if [ "$(id -u)" != 0 ]; then
		echo "exercise: this needs root (a lab, your program attached): run it with sudo" \
			"(make exercise-N does)" >&2
		exit 1
	fi
}

expect() {	# expect WHAT WANT GOT
	if [ "$2" = "$3" ]; then
		EX_HELD=$((EX_HELD + 1))
		printf '  %-6s %s: expected %s, got %s\n' ok "$1" "$2" "$3"
	else
		EX_WRONG=$((EX_WRONG + 1))
		printf '  %-6s %s: expected %s, got %s\n' WRONG "$1" "$2" "${3:-nothing}"
	fi
}

# The learner's loader in the check's lab (loader_start); a loader that does not attach ends
# the check, its output above.
exercise_loader() {	# exercise_loader OUT COMMAND...
	loader_start "$@" && return 0
	expect "your $(basename "$2") attaches" "attached" "not attached (above)"
	exercise_done
}

exercise_cannot() {	# exercise_cannot REASON: this kernel cannot show what the check needs
	echo "  this kernel cannot show it: $1"
	echo "$EX_TITLE: cannot be checked here"
	exit 1
}

exercise_done() {
	if [ "$EX_WRONG" -gt 0 ] || [ "$EX_HELD" = 0 ]; then
		echo "$EX_TITLE: not yet: $EX_WRONG of $((EX_HELD + EX_WRONG)) expectations do not hold"
		exit 1
	fi
	echo "$EX_TITLE: done: all $EX_HELD expectations hold"
	exit 0
}

# What the kernel reports as XDP exceptions (the xdp:xdp_exception tracepoint: an ABORTED
# verdict, or one that does not exist), in a trace instance of our own, so that the
# machine's own tracing is left alone. xdp_exceptions_start, traffic, then xdp_exceptions
# prints the events' "action=..." words, one a line, for the program with id PROG_ID.
# A machine without systemd may not have tracefs mounted: the check then runs in a mount
# namespace of its own and mounts it there, which leaves the machine's mounts as they were.
# Call it first: it runs the script again.
TRACE_INSTANCE=
tracefs_ready() {	# tracefs_ready "$@"
	[ ! -d /sys/kernel/tracing/events ] || return 0
	if [ -z "${TRACEFS_MOUNTED:-}" ]; then
		TRACEFS_MOUNTED=1 exec unshare --mount --propagation private "$0" "$@"
	fi
	mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null || true
}

xdp_exceptions_start() {
	local tracing=/sys/kernel/tracing
	[ -d "$tracing/events/xdp/xdp_exception" ] ||
		exercise_cannot "no tracefs event xdp:xdp_exception (CONFIG_FTRACE, tracefs mounted)"
	TRACE_INSTANCE=$tracing/instances/xdp-exercise-$$
	mkdir "$TRACE_INSTANCE" || exercise_cannot "cannot make a trace instance in $tracing"
	echo 1 >"$TRACE_INSTANCE/events/xdp/xdp_exception/enable"
}

xdp_exceptions() {	# xdp_exceptions PROG_ID
	sed -n "s/.*xdp_exception: prog_id=$1 action=\([^ ]*\) .*/\1/p" "$TRACE_INSTANCE/trace"
}

xdp_exceptions_stop() {
	[ -z "$TRACE_INSTANCE" ] || rmdir "$TRACE_INSTANCE" 2>/dev/null || true
	TRACE_INSTANCE=
}
