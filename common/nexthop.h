/* SPDX-License-Identifier: GPL-2.0 */
/* User side: the MAC addresses a router needs -- an interface's own, and a next hop's from the
 * kernel's neighbour table (what `ip neigh` shows), in the network namespace we run in.
 *
 *	__u8 src[6], dst[6];
 *	__u32 gw = 0;			// 0: whichever neighbour the interface has
 *
 *	nexthop_own_mac("right0", src);
 *	nexthop_neigh(if_nametoindex("right0"), &gw, dst);
 *
 * A lesson that uses it says so in its Makefile: USES := nexthop
 */
#ifndef NEXTHOP_H
#define NEXTHOP_H

#include <linux/types.h>

/* The MAC address of interface ifname. Returns 0 or -errno. */
int nexthop_own_mac(const char *ifname, __u8 mac[6]);

/* The MAC of an IPv4 neighbour of interface ifindex, from an entry that has one (reachable,
 * stale, permanent, ...; not failed or still incomplete). *addr (network byte order) names the
 * neighbour; when it is 0, the interface must have exactly one such neighbour, whose address is
 * written to *addr. Returns 0; -ENOENT when there is no such entry; -E2BIG when *addr was 0 and
 * the interface has several; or another -errno. */
int nexthop_neigh(int ifindex, __u32 *addr, __u8 mac[6]);

/* "02:00:c6:33:64:01" into buf (18 bytes or more). Returns buf. */
const char *nexthop_mac_str(const __u8 mac[6], char *buf);

#endif
