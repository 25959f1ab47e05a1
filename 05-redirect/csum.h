/* SPDX-License-Identifier: GPL-2.0 */
/* Kernel side: updating an Internet checksum (IPv4 header, ICMP) after changing one 16-bit word
 * of what it covers, without summing the whole header or packet again (RFC 1624, eqn. 3).
 *
 * The checksum is the complement of the one's complement sum of the 16-bit words it covers.
 * Take the old word out of the sum, put the new one in, complement again:
 *
 *	new check = ~(~old check + ~old word + new word)
 *
 * Byte order does not matter to a one's complement sum, as long as every word is read the same
 * way: here they all stay in network order, as they are in the packet. */
#ifndef CSUM_H
#define CSUM_H

#include <linux/types.h>

static __always_inline __sum16 csum_replace16(__sum16 check, __be16 old, __be16 new)
{
	__u32 sum = (__u16)~check + (__u16)~old + (__u16)new;

	/* fold the carries back in: twice, since the first fold can carry once more */
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__sum16)~sum;
}

#endif
