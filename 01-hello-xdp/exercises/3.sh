#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Exercise 3: the classic way, bpf_printk, beside the ring buffer. Your hello in a lab of its
# own: pings of two sizes made up for this run, and for each frame one bpf_printk message
# "hello: LEN bytes", read from the bpf_trace:bpf_trace_printk event in a trace instance of
# our own (the machine's trace_pipe is left alone); the ring buffer's hello lines still come.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../../tests/lib.sh"

# ping -s sets the ICMP payload; the frame adds 8 of ICMP, 20 of IPv4, 14 of Ethernet
SIZE1=$((100 + $$ % 600))
SIZE2=$((SIZE1 + 257))
FRAME1=$((SIZE1 + 42))
FRAME2=$((SIZE2 + 42))

# shellcheck disable=SC2317  # called through wait_for
hello_lines() { grep -c '^hello from XDP' "$TMP/out"; }
# shellcheck disable=SC2317
at_least() { [ "$(hello_lines)" -ge "$1" ]; }
# The bpf_printk messages in our trace instance, one a line.
messages() { sed -n 's/.*bpf_trace_printk: //p' "$TRACE_INSTANCE/trace"; }
# shellcheck disable=SC2317
printed() { [ "$(messages | grep -c "^hello: \($FRAME1\|$FRAME2\) bytes$")" -ge 3 ]; }
pings() {	# pings COUNT SIZE: how many were answered
	in_peer ping -n -q -c "$1" -s "$2" -i 0.2 -W 1 "$HOST_IP" 2>/dev/null |
		sed -n 's/.* \([0-9]*\) received.*/\1/p'
}

tracefs_ready "$@"
exercise_start "Exercise 3: bpf_printk beside the ring buffer"
tracing=/sys/kernel/tracing
[ -d "$tracing/events/bpf_trace/bpf_trace_printk" ] ||
	exercise_cannot "no tracefs event bpf_trace:bpf_trace_printk (it needs CONFIG_BPF_EVENTS)"
lab_start "t$$-ex"
# TRACE_INSTANCE: tests/lib.sh removes it however the check ends
TRACE_INSTANCE=$tracing/instances/hello-exercise-$$
mkdir "$TRACE_INSTANCE" || exercise_cannot "cannot make a trace instance in $tracing"
echo 1 >"$TRACE_INSTANCE/events/bpf_trace/bpf_trace_printk/enable"
if ! loader_start "$TMP/out" "$(lesson_bin 01-hello-xdp hello)" -i "$HOST_IF"; then
	grep -q 'unknown func bpf_trace_printk' "$TMP/out" &&
		exercise_cannot "the verifier does not know bpf_trace_printk (no CONFIG_BPF_EVENTS)"
	expect "your hello attaches" "attached" "not attached: $(tail -n 1 "$TMP/out")"
	exercise_done
fi

expect "replies to 2 pings of $FRAME1 bytes" 2 "$(pings 2 "$SIZE1")"
expect "replies to 1 ping of $FRAME2 bytes" 1 "$(pings 1 "$SIZE2")"
wait_for 10 at_least 3
expect "hello lines from the ring buffer" 3 "$(hello_lines)"
wait_for 10 printed
expect "bpf_printk messages \"hello: $FRAME1 bytes\"" 2 \
	"$(messages | grep -c "^hello: $FRAME1 bytes$")"
expect "bpf_printk messages \"hello: $FRAME2 bytes\"" 1 \
	"$(messages | grep -c "^hello: $FRAME2 bytes$")"
if ! printed; then
	seen=$(messages | sort | uniq -c | sort -rn | head -n 3 |
		awk '{ $1 = $1 " x"; printf "%s%s", s, $0; s = "; " }')
	echo "  (the messages that came: ${seen:-none})"
fi
loader_stop INT
exercise_done
