/* SPDX-License-Identifier: GPL-2.0 */
/* What redirect.bpf.c and its loader share: a route for each interface the router receives
 * on, and what it counts for it. */
#ifndef REDIRECT_H
#define REDIRECT_H

#include <linux/types.h>

#define PORTS_MAX	8	/* interfaces one router program serves */

/* Where the frames that arrive on one interface go: the value of the routes map, in the slot
 * that is this direction's port (0, 1, ...). The port is the route's slot in counters and
 * last_error too; no field repeats it, so none can disagree with where the route is. */
struct route {
	__u32 in_ifindex;	/* the interface the frames arrive on; 0: an unused slot, and the
				 * end of the routes, as the loader fills the slots from 0 */
	__u32 out_ifindex;	/* the interface the frames leave through: its key in out_ports */
	__u8 own_mac[6];	/* the MAC of the interface they arrive on: a frame sent to another
				 * MAC is not for this router to forward */
	__u8 src_mac[6];	/* the MAC of the interface the frames leave through */
	__u8 dst_mac[6];	/* the MAC of the next hop behind it */
};

/* Per port, per CPU. The program counts what it asks for; the kernel's error tracepoint counts
 * what it could not carry out. The loader shows attempted - failed as "redirected": see
 * redirect.c, which explains why that difference never goes backwards. */
struct counters {
	__u64 attempted;	/* redirects asked for, towards this port's interface */
	__u64 passed;		/* left to the kernel's stack: not IPv4, not for our MAC, TTL <= 1,
				 * malformed, no route to one of our ports, ... */
	__u64 failed;		/* of those asked for, the ones the kernel could not carry out: the
				 * interface is down, cannot take XDP frames, the frame exceeds its
				 * MTU */
};

#endif
