#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Exercise 2: count per CPU. Your count_packets in a lab of its own, while the peer pings from
# one CPU, then from another (taskset). veth runs the program on the CPU that sent the frame, so
# when count_packets stops, its line for each CPU must show exactly the pings sent from that CPU:
# "count_packets: CPU N: P packets, B bytes ...", and every other CPU's line (if any) none.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../../tests/lib.sh"

# The CPUs this check may run on (taskset -c needs them), from a list like "0-3,6".
allowed_cpus() {
	local part
	for part in $(sed -n 's/^Cpus_allowed_list:\s*//p' /proc/self/status | tr ',' ' '); do
		if [[ $part == *-* ]]; then
			seq "${part%-*}" "${part#*-}"
		else
			echo "$part"
		fi
	done
}

# From what count_packets printed, its last "CPU N: P packets, B bytes" line for CPU N, as
# "P packets, B bytes"; nothing if it printed none.
cpu_line() {	# cpu_line N
	sed -n "s/.*CPU $1: \([0-9]*\) packets\?, \([0-9]*\) bytes\?.*/\1 packets, \2 bytes/p" \
		"$TMP/out" | tail -n 1
}

exercise_start "Exercise 2: count per CPU"
mapfile -t cpus < <(allowed_cpus | head -n 2)
[ "${#cpus[@]}" -gt 0 ] || exercise_cannot "no CPU in this process's Cpus_allowed_list"
lab_start "t$$-ex"
exercise_loader "$TMP/out" "$(lesson_bin 03-count-packets count_packets)" -i "$HOST_IF" -I 3600

# 4 pings from the first CPU, then 2 from the second: different counts, so that a line with
# another CPU's count (or the sum) shows. Each ping waits for its reply, so each frame has been
# through the program before the next is sent.
declare -A sent=([${cpus[0]}]=4)
[ "${#cpus[@]}" -lt 2 ] || sent[${cpus[1]}]=2
for cpu in "${cpus[@]}"; do
	replies=$(in_peer taskset -c "$cpu" ping -n -q -c "${sent[$cpu]}" -i 0.2 -W 1 "$HOST_IP" \
		2>/dev/null | sed -n 's/.* \([0-9]*\) received.*/\1/p')
	expect "replies to ${sent[$cpu]} pings from CPU $cpu" "${sent[$cpu]}" "$replies"
done
rc=0
loader_stop INT || rc=$?
expect "count_packets stops on Ctrl-C with exit status" 0 "$rc"
[ "${#cpus[@]}" -gt 1 ] ||
	echo "  (only one CPU to send from: the check sends from CPU ${cpus[0]} alone)"

for cpu in "${cpus[@]}"; do
	expect "its line for CPU $cpu, the ${sent[$cpu]} pings sent from it" \
		"${sent[$cpu]} packets, $((sent[$cpu] * 98)) bytes" "$(cpu_line "$cpu")"
done
others=
while read -r cpu; do
	[ -z "${sent[$cpu]:-}" ] || continue
	line=$(cpu_line "$cpu")
	[[ $line == "0 packets, "* ]] || others+="${others:+; }CPU $cpu: $line"
done < <(sed -n 's/.*CPU \([0-9]*\): [0-9]* packets\?,.*/\1/p' "$TMP/out" | sort -un)
expect "its lines for the CPUs that sent nothing" "0 packets" "${others:-0 packets}"
exercise_done
