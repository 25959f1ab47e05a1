/* SPDX-License-Identifier: GPL-2.0 */
/* What capture.bpf.c and its loader share: a sample's layout and the counters. */
#ifndef CAPTURE_H
#define CAPTURE_H

#include <linux/types.h>

/* The most bytes of a frame one sample carries: a full 1500-byte MTU frame with two VLAN tags
 * fits, and so does all bpf_prog_test_run takes. -s 0 asks for this many, as tcpdump's -s 0
 * asks for all it can. */
#define SNAPLEN_MAX 4096

/* One sample in the ring: a header, then cap bytes of the frame. */
struct sample_hdr {
	__u64 ktime_ns;		/* bpf_ktime_get_ns(): CLOCK_MONOTONIC, not the wall clock */
	__u32 len;		/* the frame's real length */
	__u16 cap;		/* how many of its first bytes follow: min(len, snaplen) */
	__u16 verdict;		/* what the program returned for it: XDP_PASS, XDP_DROP, ... */
};

struct sample {
	struct sample_hdr hdr;
	__u8 data[SNAPLEN_MAX];
};

/* Per CPU, all __u64 so that the loader adds them up with stats_percpu_sum(). */
struct counters {
	__u64 seen;		/* every frame the program ran on */
	__u64 captured;		/* samples that went into the ring */
	__u64 lost;		/* samples the full ring had no room for */
	__u64 countdown;	/* frames to let by before the next sample (--sample); not a count */
};

#endif
