/* SPDX-License-Identifier: GPL-2.0 */
/* What hello.bpf.c tells user space about each packet. Shared by both sides, so only
 * fixed-width types: the BPF side is 64-bit, a 32-bit Raspberry Pi userland is not. */
#ifndef HELLO_H
#define HELLO_H

#include <linux/types.h>

struct hello_event {
	__u32 len;		/* bytes from the Ethernet header to the end of the frame */
	__u32 ifindex;		/* the interface it arrived on */
	__u16 eth_proto;	/* EtherType, host byte order; 0 if the frame is too short */
	__u16 pad;
};

#endif
