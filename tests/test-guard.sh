#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The guard (common/guard.c) of 02's drop_all and 05's redirect, end to end. Each case is a
# network namespace of its own, t<pid>-g<N>, with two veth pairs (a0-a1, b0-b1): there a0
# carries the namespace's default route or its SSH session in one roundabout way -- through a
# bridge it is a port of, an alias-labelled address, a policy routing table, the second hop of a
# multipath route or of a nexthop group, a macvlan, VLAN or bond on top of it, a server address
# on lo or a dummy device -- in IPv4 and IPv6. Both loaders must refuse a0 in one exact line,
# exit with 1 and leave nothing attached; in the control cases they must attach.
#
# VLAN, bonding and dummy devices need modules that this machine's kernel may lack: then those
# checks are skipped one by one, with the reason (make test-arm runs them in Debian's kernels:
# 6.12 in the arm64 run, 6.1 in both bookworm runs, 32-bit in armhf-bookworm-jit).
# arm/run: skip on armhf: the guard is checked on 6.12 in arm64, and 32-bit in armhf-bookworm-jit
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

tap_require_root
DROP=$(lesson_bin 02-drop-all drop_all)
REDIRECT=$(lesson_bin 05-redirect redirect)
NAMESPACES=()
CASE=0
NS=

# lib.sh's cleanup removes the lab and the files; the namespaces of the cases go first.
guard_cleanup() {
	local rc=$? ns
	for ns in "${NAMESPACES[@]}"; do
		ip netns del "$ns" 2>/dev/null || true
	done
	(exit "$rc")
	cleanup
}
trap guard_cleanup EXIT

tap_skip() {	# tap_skip COUNT REASON: COUNT checks that cannot run here
	local i
	for ((i = 0; i < $1; i++)); do
		TAP_N=$((TAP_N + 1))
		echo "ok $TAP_N # skip $2"
	done
}

# The addresses of one family: a0's network (A), b0's (B), a server address for lo or a dummy
# (LOOP), the SSH client behind a0 (CLIENT), and the gateways behind a0 and b0.
family() {	# family 4|6
	FAM=$1
	if [ "$FAM" = 4 ]; then
		A=192.0.2.1/24 A_IP=192.0.2.1 A_GW=192.0.2.254 CLIENT=192.0.2.2
		B=198.51.100.1/24 B_GW=198.51.100.254 LOOP=203.0.113.1 LOOP_LEN=32
		NODAD=() DEFAULT="the default route"
	else
		A=2001:db8:a::1/64 A_IP=2001:db8:a::1 A_GW=2001:db8:a::fe CLIENT=2001:db8:a::2
		B=2001:db8:b::1/64 B_GW=2001:db8:b::fe LOOP=2001:db8:ff::1 LOOP_LEN=128
		NODAD=(nodad) DEFAULT="the IPv6 default route"
	fi
}

nsip() { ip "-$FAM" -n "$NS" "$@"; }

# A namespace of its own: a0-a1 and b0-b1 up, b0 with its address, IPv6 on.
new_case() {
	CASE=$((CASE + 1))
	NS=t$$-g$CASE
	ip netns add "$NS" || { echo "Bail out! cannot create namespace $NS"; exit 1; }
	NAMESPACES+=("$NS")
	ip netns exec "$NS" sysctl -qw net.ipv6.conf.all.disable_ipv6=0
	ip -n "$NS" link add a0 type veth peer name a1
	ip -n "$NS" link add b0 type veth peer name b1
	for dev in lo a0 a1 b0 b1; do
		ip -n "$NS" link set "$dev" up
	done
	nsip addr add "$B" dev b0 "${NODAD[@]}"
}

attached_here() {	# the XDP programs attached in the case's namespace, if any
	ip -n "$NS" -details link show | sed -n 's/.*prog\/xdp id \([0-9]*\).*/\1/p' | tr '\n' ' '
}

# Both loaders, on a0 (redirect towards b0): refused with exit status 1, in exactly this line,
# nothing attached. The case's SSH_CONNECTION is "" unless given: then the loaders do not
# look for one in the environment of the processes that started this test.
refuses() {	# refuses NAME WHY OUTCOME [SSH_CONNECTION]
	local name=$1 why=$2 outcome=$3 ssh=${4:-} rc tail
	tail="try it in the lab (make lab), or add --force --duration 10 to detach by itself after 10 s"
	# -d 2: a loader that is not refused stops by itself
	ip netns exec "$NS" env SSH_CONNECTION="$ssh" "$DROP" -i a0 -d 2 >"$TMP/out" 2>"$TMP/err"
	rc=$?
	tap_is "$rc" 1 "$name: drop_all refuses a0, exit status 1"
	tap_is "$(cat "$TMP/err")" \
		"drop_all: refusing to attach to a0: $why, and dropping every packet there $outcome; $tail" \
		"$name: drop_all says why in one line"
	tap_is "$(attached_here)" "" "$name: drop_all left nothing attached"

	ip netns exec "$NS" env SSH_CONNECTION="$ssh" "$REDIRECT" -i a0 --to b0 \
		--via 02:00:00:00:00:02 -d 2 >"$TMP/out" 2>"$TMP/err"
	rc=$?
	tap_is "$rc" 1 "$name: redirect refuses a0, exit status 1"
	tap_is "$(cat "$TMP/err")" \
		"redirect: refusing to attach to a0: $why, and redirecting every IPv4 packet there $outcome; $tail" \
		"$name: redirect says why in one line"
	tap_is "$(attached_here)" "" "$name: redirect left nothing attached"
}
CHECKS_PER_CASE=6

route_refuses() { refuses "$1" "$2" "cuts this machine off the network"; }
ssh_refuses() {	# ssh_refuses NAME WHY SSH_CONNECTION
	refuses "$1" "$2" "freezes the session" "$3"
}

# Both loaders attach to a0 and end by themselves.
attaches() {	# attaches NAME [SSH_CONNECTION]
	local name=$1 ssh=${2:-}
	ip netns exec "$NS" env SSH_CONNECTION="$ssh" "$DROP" -i a0 -d 1 >"$TMP/out" 2>&1
	tap_is "$?" 0 "$name: drop_all runs, exit status 0"
	tap_ok "$name: drop_all attached to a0" grep -q "^drop_all: attached to a0 " "$TMP/out"
	ip netns exec "$NS" env SSH_CONNECTION="$ssh" "$REDIRECT" -i a0 --to b0 \
		--via 02:00:00:00:00:02 -d 1 >"$TMP/out" 2>&1
	tap_is "$?" 0 "$name: redirect runs, exit status 0"
	tap_ok "$name: redirect attached to a0" grep -q "^redirect: attached to a0 " "$TMP/out"
	tap_is "$(attached_here)" "" "$name: nothing attached once they are done"
}

for fam in 4 6; do
	family "$fam"
	v=IPv$fam

	# a0 is a port of br0, and br0 carries the default route
	new_case
	ip -n "$NS" link add br0 type bridge
	ip -n "$NS" link set a0 master br0
	ip -n "$NS" link set br0 up
	nsip addr add "$A" dev br0 "${NODAD[@]}"
	nsip route add default via "$A_GW" dev br0
	route_refuses "$v bridge port, default route on the bridge" \
		"it is a port of br0, which carries $DEFAULT"

	# the SSH session comes through the bridge a0 is a port of
	new_case
	ip -n "$NS" link add br0 type bridge
	ip -n "$NS" link set a0 master br0
	ip -n "$NS" link set br0 up
	nsip addr add "$A" dev br0 "${NODAD[@]}"
	ssh_refuses "$v bridge port, SSH session on the bridge" \
		"it is a port of br0, which carries your SSH session (from $CLIENT)" \
		"$CLIENT 50022 $A_IP 22"

	# an alias label: getifaddrs() calls the address's device "a0:1"
	if [ "$fam" = 4 ]; then
		new_case
		nsip addr add "$A" dev a0 label a0:1
		ssh_refuses "$v SSH session to an address labelled a0:1" \
			"it carries your SSH session (from $CLIENT)" "$CLIENT 50022 $A_IP 22"
	else
		tap_diag "IPv6 addresses have no labels: the alias case is IPv4 only"
	fi

	# policy routing: a default route in table 100, used by a rule
	new_case
	nsip addr add "$A" dev a0 "${NODAD[@]}"
	nsip route add default via "$A_GW" dev a0 table 100
	nsip rule add from "$A_IP" lookup 100
	route_refuses "$v default route in table 100" "it carries $DEFAULT of table 100"

	# a multipath default route whose second next hop is a0
	new_case
	nsip addr add "$A" dev a0 "${NODAD[@]}"
	nsip route add default nexthop via "$B_GW" dev b0 nexthop via "$A_GW" dev a0
	route_refuses "$v multipath default route, a0 second" \
		"it carries $DEFAULT (next hop 2 of 2)"

	# nexthop objects, as the route shows them with nexthop_compat_mode off: a group whose
	# second member is a0
	new_case
	ip netns exec "$NS" sysctl -qw net.ipv4.nexthop_compat_mode=0
	nsip addr add "$A" dev a0 "${NODAD[@]}"
	nsip nexthop add id 1 via "$B_GW" dev b0
	nsip nexthop add id 2 via "$A_GW" dev a0
	ip -n "$NS" nexthop add id 10 group 1/2	# a group has no family of its own
	nsip route add default nhid 10
	route_refuses "$v default route through a nexthop group, a0 second" \
		"it carries $DEFAULT (next hop 2 of 2 in nexthop group 10)"

	# the SSH server's address is on lo; the session's packets come and go through a0
	new_case
	nsip addr add "$A" dev a0 "${NODAD[@]}"
	nsip addr add "$LOOP/$LOOP_LEN" dev lo
	ssh_refuses "$v SSH server address on lo, client behind a0" \
		"it carries your SSH session (from $CLIENT)" "$CLIENT 50022 $LOOP 22"

	# a0 is the parent of a macvlan device that carries the default route
	new_case
	ip -n "$NS" link add mv0 link a0 type macvlan mode bridge
	ip -n "$NS" link set mv0 up
	nsip addr add "$A" dev mv0 "${NODAD[@]}"
	nsip route add default via "$A_GW" dev mv0
	route_refuses "$v macvlan on a0, default route on the macvlan" \
		"it is the parent of mv0 (a macvlan), which carries $DEFAULT"

	# a0 is the parent of a VLAN device that carries the default route
	new_case
	if ip -n "$NS" link add link a0 name a0.5 type vlan id 5 2>/dev/null; then
		ip -n "$NS" link set a0.5 up
		nsip addr add "$A" dev a0.5 "${NODAD[@]}"
		nsip route add default via "$A_GW" dev a0.5
		route_refuses "$v VLAN on a0, default route on the VLAN" \
			"it is the parent of a0.5 (a vlan), which carries $DEFAULT"
	else
		tap_skip $CHECKS_PER_CASE "$v VLAN: this kernel has no 8021q: make test-arm runs it"
	fi

	# a0 is a port of a bond that carries the default route
	new_case
	if ip -n "$NS" link add bond0 type bond 2>/dev/null; then
		ip -n "$NS" link set a0 down	# a bond takes only ports that are down
		ip -n "$NS" link set a0 master bond0
		ip -n "$NS" link set a0 up
		ip -n "$NS" link set bond0 up
		nsip addr add "$A" dev bond0 "${NODAD[@]}"
		nsip route add default via "$A_GW" dev bond0
		route_refuses "$v bond port, default route on the bond" \
			"it is a port of bond0, which carries $DEFAULT"
	else
		tap_skip $CHECKS_PER_CASE "$v bond: this kernel has no bonding: make test-arm runs it"
	fi

	# the SSH server's address is on a dummy device; the session comes through a0
	new_case
	if ip -n "$NS" link add dummy0 type dummy 2>/dev/null; then
		ip -n "$NS" link set dummy0 up
		nsip addr add "$A" dev a0 "${NODAD[@]}"
		nsip addr add "$LOOP/$LOOP_LEN" dev dummy0 "${NODAD[@]}"
		ssh_refuses "$v SSH server address on a dummy, client behind a0" \
			"it carries your SSH session (from $CLIENT)" "$CLIENT 50022 $LOOP 22"
	else
		tap_skip $CHECKS_PER_CASE "$v dummy: this kernel has no dummy: make test-arm runs it"
	fi

	# Controls: everything goes through b0 -- the main table's default route, table 100's,
	# a bridge that b0 is a port of, the SSH session to lo's address -- and a0 is free.
	new_case
	nsip addr add "$A" dev a0 "${NODAD[@]}"
	nsip addr add "$LOOP/$LOOP_LEN" dev lo
	nsip route add default via "$B_GW" dev b0
	nsip route add default via "$B_GW" dev b0 table 100
	nsip rule add from "$A_IP" lookup 100
	ip -n "$NS" link add br1 type bridge
	ip -n "$NS" link set b1 master br1
	ip -n "$NS" link set br1 up
	attaches "$v control: default routes and the SSH session through b0" \
		"$(sed 's/:a::2/:b::2/; s/^192\.0\.2\.2$/198.51.100.2/' <<<"$CLIENT") 50022 $LOOP 22"
	# an SSH session whose server address is not in this namespace does not end here, even
	# if the way to its client is a0: a loader run in a lab from an SSH session
	attaches "$v control: an SSH session to an address of another namespace" \
		"$CLIENT 50022 $( [ "$fam" = 4 ] && echo 203.0.113.9 || echo 2001:db8:ff::9) 22"
done

tap_done
