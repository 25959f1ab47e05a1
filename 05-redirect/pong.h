/* SPDX-License-Identifier: GPL-2.0 */
/* What pong.bpf.c counts, shared by the kernel object, its loader and the tests: the keys of
 * its per-CPU array of __u64 counters. */
#ifndef PONG_H
#define PONG_H

enum pong_counter {
	PONG_ANSWERED,		/* ICMP echo requests turned into replies and sent back: XDP_TX */
	PONG_PASSED,		/* everything else, left to the stack */
	PONG_MAX,
};

#endif
