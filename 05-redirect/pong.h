/* SPDX-License-Identifier: GPL-2.0 */
/* What pong.bpf.c counts, shared by the kernel object, its loader and the tests: the keys of
 * its per-CPU array of __u64 counters, and how many addresses it answers for. */
#ifndef PONG_H
#define PONG_H

enum pong_counter {
	PONG_ANSWERED,		/* ICMP echo requests turned into replies and sent back: XDP_TX */
	PONG_PASSED,		/* everything else, left to the stack */
	PONG_MAX,
};

#define PONG_ADDRS_MAX	16	/* IPv4 addresses of one interface that pong answers for */
#define PONG_TTL	64	/* the TTL of a reply: Linux's default (net.ipv4.ip_default_ttl) */

#endif
