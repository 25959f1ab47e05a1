/* SPDX-License-Identifier: GPL-2.0 */
/* What redirect.bpf.c and its loader share: a route for each interface the router receives
 * on, and what it counts for it. */
#ifndef REDIRECT_H
#define REDIRECT_H

#include <linux/types.h>

#define PORTS_MAX	8	/* interfaces one router program serves */

/* Where the frames that arrive on one interface go: the value of the routes map, whose key is
 * that interface's ifindex. */
struct route {
	__u32 port;		/* 0, 1, ...: the key of this route in out_ports and counters */
	__u8 src_mac[6];	/* the MAC of the interface the frames leave through */
	__u8 dst_mac[6];	/* the MAC of the next hop behind it */
};

/* Per port, per CPU. A frame the program sends on is counted as redirected when it asks for the
 * redirect; if the kernel then fails to carry it out, it moves from redirected to errors. */
struct counters {
	__u64 redirected;	/* sent on towards the other interface */
	__u64 passed;		/* left to the kernel's stack: not IPv4, TTL <= 1, malformed, ... */
	__u64 errors;		/* could not be redirected: the interface is down, cannot take XDP
				 * frames, the frame exceeds its MTU, no such port */
};

#endif
