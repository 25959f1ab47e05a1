#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# bench/run --quick: every section runs and prints its table, each lesson's program takes the
# path it should (the verdicts), and nothing is left behind, after Ctrl-C too. No number is
# judged: a benchmark's numbers depend on the machine, and this is a test.
# In the emulated ARM kernels it takes 4 to 11 minutes a run (beside CI's other work): it runs in
# armhf, the interpreter, on which 6.12 crashed in a tail call (arm/README.md). The programs it
# measures are the lessons', whose tests run in every run, and its own, which the host checks.
# arm/run: skip on arm64*,armhf-bookworm*: it runs in armhf, the interpreter
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../../tests/lib.sh"

tap_require_root
RUN=$TOP/bench/run

leftovers() {	# the namespaces of bench/run with process id PID
	ip netns list 2>/dev/null | awk '{ print $1 }' | grep "^xdpbench$1-" || true
}

"$RUN" -q >"$TMP/out" 2>"$TMP/err" &
pid=$!
wait "$pid"
tap_is "$?" 0 "bench/run --quick: exit status 0"
grep -v '^bench: ' "$TMP/err" | sed 's/^/# /'
tap_is "$(leftovers "$pid")" "" "... and no namespace of it is left"

has() { grep -q -- "$1" "$TMP/out"; }
for header in '^| program | verdict |' '^| counter |' "^| on the host's veth0 |" '^| router |' \
	'^| endpoint in tep |' '^| step | time |' "^| capturing on the host's veth0 |"; do
	tap_ok "a table: $header" has "$header"
done
tap_ok "the machine" has "cores, Linux "
tap_ok "the load average" has "^load average [0-9.]* [0-9.]* [0-9.]* at the start"

# A row: "| LABEL | VERDICT | NS | ...", with a number of ns.
verdict() {	# verdict LABEL
	awk -F ' \\| ' -v l="| $1" '$1 == l && $3 ~ /^[0-9]+\.[0-9]$/ { print $2 }' "$TMP/out"
}
tap_is "$(verdict "empty (XDP_PASS): the baseline" | xargs)" "XDP_PASS XDP_PASS" \
	"the baseline row, in each of the two tables of costs (every lesson's, 07's)"
tap_is "$(verdict "01-hello-xdp: hello (its 256 KiB ring full after 10922 runs)")" XDP_PASS \
	"01: the lesson's ring, full after 10922 runs of 24-byte records"
tap_is "$(verdict "01-hello-xdp: hello (a 256 KiB ring: every event written)")" XDP_PASS \
	"01: a ring for every event of a round (10000 runs: 256 KiB)"
tap_is "$(verdict "02-drop-all: drop_all")" XDP_DROP "02 drops"
tap_is "$(verdict "03-count-packets: count_packets")" XDP_PASS "03 passes"
tap_is "$(verdict "04-parse-ipv4: parse_ipv4")" XDP_PASS "04 passes UDP"
behind="(behind restore: it rewrites the frame)"
tap_is "$(verdict "05-redirect: redirect, as its loader set it up $behind")" \
	XDP_REDIRECT "05: redirect, with its loader's routes, redirects"
tap_is "$(verdict "05-redirect: redirect_fib, as its loader set it up (--fib) $behind")" \
	XDP_REDIRECT "05: redirect_fib finds the route and redirects"
tap_is "$(verdict "05-redirect: pong, as its loader set it up $behind")" XDP_TX \
	"05: pong, told its interface's address and MAC, answers the ping"
for row in "every frame, 60 bytes" "1 in 100 (--sample 100), 60 bytes" "every frame, 1514 bytes" \
	"1 in 100 (--sample 100), 1514 bytes"; do
	tap_is "$(verdict "07-capture: $row")" XDP_PASS "07: $row, as its loader set it up, passes"
done
tap_ok "07: the loaders of the cost table lost no sample (their rings hold a round)" \
	has "^full: 0 of every frame's, 0 at 1 in 100\.$"
tap_is "$(verdict "08-tunnel: encap, as its loader set it up (behind restore: it grows the \
frame by 50 bytes)")" XDP_REDIRECT "08: encap puts a's frame in VXLAN and redirects it"
tap_is "$(verdict "08-tunnel: decap, as its loader set it up (behind restore: it shrinks the \
frame by 50 bytes)")" XDP_REDIRECT "08: decap takes the far end's VXLAN apart and redirects it"
n='[0-9.]*' d='[-+][0-9.]*'
shared="$n | $d | $n | $d\|refused by this kernel: .*"
tap_ok "the shared counter's row: measured, or refused by the kernel (the 32-bit ARM JIT)" \
	has "^| one shared array, atomic adds .* | \($shared\) |\$"

# Rates: "| LABEL | ... | 1.23 M | ..." -- more than nothing, whatever the machine.
rate_of() {	# rate_of LABEL COLUMN
	awk -F ' \\| ' -v l="$1" -v c="$2" 'index($1, l) == 3 { print $c }' "$TMP/out"
}
# A rate that is more than nothing: "1.23 M", "45 k", or under a thousand a plain number (an
# emulated 32-bit kernel forwarding a flood, seen in armhf-bookworm-jit), not "0".
rate_above_0() { grep -qE '^([0-9.]+ [kM]|0*[1-9][0-9]*(\.[0-9]+)?|0*\.[0-9]*[1-9][0-9]*)$'; }
tap_ok "XDP drop dropped something" \
	rate_above_0 <<<"$(rate_of "02-drop-all (XDP_DROP" 3)"
# make test does not install what make bench needs besides: then it says so
for tool in nft:nftables iptables:"iptables raw"; do
	if command -v "${tool%%:*}" >/dev/null; then
		tap_ok "${tool%%:*} dropped something" \
			rate_above_0 <<<"$(rate_of "${tool#*:}" 3)"
	else
		tap_ok "${tool%%:*} is not installed, and the table says so" \
			has "^Not measured, not installed: .*${tool%%:*}"
	fi
done
tap_ok "the stack dropped something at UDP" rate_above_0 <<<"$(rate_of "no filter" 3)"
tap_ok "05-redirect forwarded something" rate_above_0 <<<"$(rate_of "05-redirect (" 2)"
tap_ok "the kernel forwarded something" rate_above_0 <<<"$(rate_of "the kernel's" 2)"
tap_ok "bench/fwdmin forwarded something" rate_above_0 <<<"$(rate_of "bench/fwdmin" 2)"
# the last column: each round's own ratio, their median (never a ratio of nothing: "–")
tap_ok "05 against the kernel: a ratio" grep -qE '^[0-9]+\.[0-9]×$' \
	<<<"$(rate_of "the kernel's" 5 | tr -d ' |')"
tap_ok "05 against fwdmin: a percentage" grep -qE '^[0-9]+ % of it$' \
	<<<"$(rate_of "bench/fwdmin" 5 | sed 's/ |$//')"
# a flood captured into a file, both ways: frames written, more than nothing, and a share lost
for way in "07-capture: capture -w FILE" "tcpdump -w FILE"; do
	tap_ok "$way wrote something" rate_above_0 <<<"$(rate_of "$way" 2)"
	tap_ok "$way: what it lost, a percentage" grep -qE '^[0-9]+\.[0-9] %$' \
		<<<"$(rate_of "$way" 3)"
done
tap_ok "08-tunnel encapsulated something" rate_above_0 <<<"$(rate_of "08-tunnel (XDP" 2)"
tap_ok "the kernel's vxlan device encapsulated something" \
	rate_above_0 <<<"$(rate_of "Linux's vxlan device" 2)"
tap_ok "08 against the kernel's vxlan device: a ratio" grep -qE '^[0-9]+\.[0-9]×$' \
	<<<"$(rate_of "Linux's vxlan device" 5 | tr -d ' |')"
for l in "$TOP"/[0-9][0-9]-*/Makefile; do
	l=$(basename "$(dirname "$l")")
	tap_ok "$l: its loader's start is timed" \
		has "^| $l: \`[a-z_0-9]*\` exec → attached | [0-9]* ms |$"
done

# Ctrl-C in the middle of the drop section: the terminal sends SIGINT to the whole process
# group, bench/run and whatever it runs; it exits 130 and leaves nothing behind. (A script's
# background jobs start with SIGINT ignored, which bash cannot undo: env gives it back.)
setsid env --default-signal=INT "$RUN" -q drop >/dev/null 2>"$TMP/err" &
pid=$!
wait_for 60 grep -q '^bench: drop:' "$TMP/err"
sleep 0.3
kill -INT -- "-$pid"
wait "$pid"
tap_is "$?" 130 "Ctrl-C in the middle: exit status 130"
tap_is "$(leftovers "$pid")" "" "... and no namespace of it is left"
tap_is "$(pgrep -g "$pid" | tr '\n' ' ')" "" "... and no process of it"

tap_done
