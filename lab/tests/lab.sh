#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# lab/lab on what this machine is not: a kernel booted with ipv6.disable=1 (a sysctl that
# knows no net.ipv6 keys, first on PATH), and a namespace list long enough that a reader
# which stops early (`grep -q`) kills the writer before it is done.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../../tests/lib.sh"

tap_require_root
mkdir -p "$TMP/no-ipv6" "$TMP/long-list"
real_sysctl=$(command -v sysctl)
cat >"$TMP/no-ipv6/sysctl" <<EOS
#!/bin/sh
# sysctl as on a kernel without IPv6: /proc/sys/net/ipv6 does not exist
for a in "\$@"; do
	case \$a in
	net.ipv6.*)
		echo "sysctl: cannot stat /proc/sys/\$(echo "\${a%%=*}" | tr . /): No such file or directory" >&2
		exit 255 ;;
	esac
done
exec "$real_sysctl" "\$@"
EOS
chmod +x "$TMP/no-ipv6/sysctl"

# --- ipv6.disable=1: both labs come up, IPv4 only, with a one-line note
PATH=$TMP/no-ipv6:$PATH lab_start
tap_ok "lab up without IPv6: it comes up" true
tap_ok "... and says, in one line, that the links are IPv4 only" \
	eval '[ "$(grep -c "no IPv6" "$TMP/lab-up")" = 1 ] &&
	      grep -q "^lab: this kernel has no IPv6 (ipv6.disable=1?): the lab links are IPv4 only$" "$TMP/lab-up"'
tap_is "$(ping_replies 3)" 3 "... and the peer's pings get replies"
"$LAB" -n "$LAB_NAME" down
PATH=$TMP/no-ipv6:$PATH router_lab_start
tap_ok "lab up router without IPv6: it comes up" true
tap_is "$(left_ping 3 "$ROUTER_LEFT_IP")" 3 "... and left's pings to the router get replies"
"$LAB" -n "$LAB_NAME" down
tap_ok "with IPv6, no such note" eval 'router_lab_start && ! grep -q "IPv6" "$TMP/lab-up"'
tap_is "$(ip netns exec "$LAB_NAME-left" sysctl -n "net.ipv6.conf.$HOST_IF.disable_ipv6")" 1 \
	"... and IPv6 is off on the lab links"

# --- a long namespace list: the lab's own namespace is first, 200000 others follow
cat >"$TMP/long-list/ip" <<EOS
#!/bin/sh
if [ "\$*" = "netns list" ]; then
	echo "$LAB_NAME-left (id: 1)"
	seq 200000 | sed 's/^/other-/'
	exit 0
fi
exec "$(command -v ip)" "\$@"
EOS
chmod +x "$TMP/long-list/ip"
PATH=$TMP/long-list:$PATH "$LAB" -n "$LAB_NAME" status >"$TMP/status" 2>&1
tap_is "$?" 0 "lab status with 200000 other namespaces listed after ours: exit status 0"
tap_ok "... and it finds $LAB_NAME-left" grep -qx "== $LAB_NAME-left" "$TMP/status"
PATH=$TMP/long-list:$PATH "$LAB" -n "$LAB_NAME" exec left true
tap_is "$?" 0 "lab exec left in the same case: exit status 0"

tap_done
