/* SPDX-License-Identifier: GPL-2.0 */
/* The counters count_packets.bpf.c keeps and the loader reads. Shared by both sides, so only
 * fixed-width types: __u64 is 8 bytes on the 64-bit BPF side and on a 32-bit userland alike. */
#ifndef COUNT_PACKETS_H
#define COUNT_PACKETS_H

#include <linux/types.h>

struct counters {
	__u64 packets;
	__u64 bytes;		/* from the Ethernet header to the end of the frame, no FCS */
};

#endif
