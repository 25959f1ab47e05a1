# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# The demo's step for lesson 05 (sourced by lab/demo): a ping crossing the XDP router, and
# stopping when the program is detached.
step "05-redirect: a tiny router in XDP -- forward between two interfaces, rewrite MACs and TTL"
say "A second lab: left ($LEFT_IP) -- left0 router right0 -- right ($RIGHT_IP)." \
	"IP forwarding is off in the router: whatever crosses it, XDP forwarded."
show "sudo lab/lab up router"
"$LAB" -n "$LAB_NAME" up router | indent
show "sudo lab/lab exec left ping -c 3 $RIGHT_IP"
in_left ping -n -c 3 -i 0.2 -W 1 "$RIGHT_IP" 2>&1 | tail -n 2 | indent || true
show "sudo lab/lab exec router ./05-redirect/redirect -i left0 --to right0 --both -I 0.5"
router_loader_start "$TMP/redirect" "$ROUTER_IN" "$(lesson_bin 05-redirect redirect)" \
	-i "$ROUTER_IN" --to "$ROUTER_OUT" --both -I 0.5
wait_for 5 grep -q '^redirect: forwarding IPv4 in XDP' "$TMP/redirect" || true
show "sudo lab/lab exec left ping -c 5 $RIGHT_IP     # in another terminal"
in_left ping -n -c 5 -i 0.2 -W 1 "$RIGHT_IP" 2>&1 | indent || true
sleep 0.6
loader_stop INT || true
say "What redirect printed (a row every half second, then Ctrl-C): each request and each reply"
say "crossed in XDP, and the replies came back with ttl=63, one hop lower than they left:"
indent <"$TMP/redirect"
show "sudo lab/lab exec left ping -c 3 $RIGHT_IP     # the program is detached"
in_left ping -n -c 3 -i 0.2 -W 1 "$RIGHT_IP" 2>&1 | tail -n 2 | indent || true
