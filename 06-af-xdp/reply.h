/* SPDX-License-Identifier: GPL-2.0 */
/* The echo itself, in user space: turn a UDP datagram, as it arrived in the UMEM, into its
 * answer, in place. What the kernel's UDP socket would do for an echo server -- here it is ours
 * to do, headers and all. */
#ifndef REPLY_H
#define REPLY_H

#include <linux/types.h>

enum reply_verdict {
	REPLY_OK,		/* the frame is now the answer: send it back as it is */
	REPLY_MALFORMED,	/* not a whole UDP datagram (the XDP program lets none through) */
	REPLY_BAD_CHECKSUM,	/* the UDP checksum does not hold: damaged, or left for
				 * offloading by a sender on this machine (README.md) */
	REPLY_REFUSED,		/* from a source no answer may go to (see reply.c) */
};

#define REPLY_TTL	64	/* a reply's TTL or hop limit: Linux's default */

/* Swap the MACs, the addresses and the ports of the UDP datagram in the len bytes at frame
 * (Ethernet, up to two VLAN tags, IPv4 without fragments or IPv6 without extension headers),
 * and give it a fresh TTL. The checksums stay right: the UDP checksum sums the addresses and
 * ports, and a sum does not change when two of its words trade places. Unless the frame is
 * malformed, *client_port is the datagram's source port, in host byte order: where an answer
 * goes. */
enum reply_verdict reply_make(__u8 *frame, __u32 len, __u16 *client_port);

#endif
