/* SPDX-License-Identifier: GPL-2.0 */
/* The guard: a program that drops (or steals) every packet of the interface this machine talks
 * through cuts it off, and a learner working over SSH loses the session -- and with it the
 * Ctrl-C that would have detached the program. Before attaching, a loader with a guard asks the
 * kernel, over netlink and by interface index, in the network namespace it runs in:
 *
 *   - which devices the interface carries traffic for: itself, the bridge or bond it is a port of
 *     (IFLA_MASTER), the VLAN, macvlan or ipvlan devices stacked on it (their IFLA_LINK), and so
 *     on upwards;
 *   - whether a default route, IPv4 or IPv6, of any routing table, leaves through one of them,
 *     as any of its next hops (multipath, nexthop objects included);
 *   - whether the SSH session we run in (SSH_CONNECTION, ours or our parents') ends in this
 *     namespace, and the route back to its client (what `ip route get CLIENT` answers) leaves
 *     through one of them: that is where the session's packets come and go.
 *
 *	char why[512];
 *
 *	if (guard_check(ifindex, "dropping every packet", why, sizeof(why)))
 *		fprintf(stderr, "refusing to attach to %s: %s\n", ifname, why);
 *
 * common/loader.c calls it for every loader that sets ld->guard.
 */
#ifndef GUARD_H
#define GUARD_H

#include <stdbool.h>
#include <stddef.h>

/* True when attaching to ifindex may cut this machine off, or when the kernel would not say;
 * why then holds one clause, without a final period, that says which device carries what and
 * what doing `what` there does: "it is a port of br0, which carries the default route, and
 * dropping every packet there cuts this machine off the network". */
bool guard_check(int ifindex, const char *what, char *why, size_t len);

#endif
