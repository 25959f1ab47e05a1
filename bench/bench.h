/* SPDX-License-Identifier: GPL-2.0 */
/* What the bench's XDP programs and their user side share: the frame headers a program writes
 * back into the packet before each run.
 *
 * Why write them back? Two of the bench's measurements run a program on the same buffer over and
 * over: bpf_prog_test_run_opts with a repeat count reuses one buffer, and the live-frames mode
 * recycles its pages. A program that rewrites the frame -- lesson 05 lowers the TTL and swaps
 * the MAC addresses, and so does the kernel's own forwarding -- would see its own output on the
 * next run: after 63 runs the TTL is 1 and it measures a different path. Restoring the first
 * HEAD_WORDS * 8 bytes (the Ethernet, IPv4 and UDP headers, 42 bytes, and the first 6 bytes of
 * payload) before every run keeps every run the same. */
#ifndef BENCH_H
#define BENCH_H

#include <linux/types.h>

#define HEAD_WORDS	6		/* six 8-byte words: 48 bytes */
#define HEAD_LEN	(HEAD_WORDS * 8)

struct bench_head {
	__u64 word[HEAD_WORDS];		/* the frame's first HEAD_LEN bytes, as they are sent */
};

#endif
