// SPDX-License-Identifier: GPL-2.0
/* The echo itself: see reply.h. The XDP program has checked the frame already, but this runs
 * on memory the kernel hands us, and a program (or an exercise) can change: it checks every
 * length again before it reads. */
#include <stdbool.h>
#include <string.h>
#include <linux/if_ether.h>
#include <netinet/in.h>
#include "reply.h"

static void swap(void *a, void *b, size_t len)
{
	__u8 t[16];

	memcpy(t, a, len);
	memcpy(a, b, len);
	memcpy(b, t, len);
}

/* The Internet checksum's sum (RFC 1071) of len bytes, added to sum; fold it when done. */
static __u32 sum16(const __u8 *p, size_t len, __u32 sum)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (__u32)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (__u32)p[len - 1] << 8;
	return sum;
}

static __u16 fold(__u32 sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)sum;
}

/* Header fields are read byte by byte, never through a struct iphdr pointer: a frame starts on a
 * UMEM frame boundary, so the IP header, 14 bytes in, is only 2-byte aligned. A 4-byte load from
 * it is undefined behaviour in C, and on 32-bit ARM some loads (ldrd, ldm) fault on it. */
static __u16 get16(const __u8 *p)
{
	return (__u16)(p[0] << 8 | p[1]);
}

static void put16(__u8 *p, __u16 v)
{
	p[0] = (__u8)(v >> 8);
	p[1] = (__u8)v;
}

/* Whether the UDP checksum holds: the datagram and a pseudo-header of the addresses, the
 * protocol and the length sum to 0xffff. The stack checks it before a UDP socket sees a byte;
 * here nobody has, so we do -- and an echo server must not return a damaged datagram as if it
 * were whole. 0 in IPv4 means "no checksum"; IPv6 has no such escape (RFC 8200 8.1). */
static bool udp_csum_ok(const __u8 *udp, __u16 len, const __u8 *saddr, size_t alen)
{
	__u32 sum;

	if (!get16(udp + 6))
		return alen == 4;
	sum = sum16(saddr, 2 * alen, 0);	/* the destination follows the source */
	sum += IPPROTO_UDP + len;
	return fold(sum16(udp, len, sum)) == 0xffff;
}

/* A source one host answers to. An echo to a broadcast or multicast source would go to many
 * hosts; to 0.0.0.0, 127/8 or the loopback it would go nowhere sane (RFC 1122 3.2.1.3). Forged
 * sources like these are how an echo service becomes an amplifier. */
static bool unicast_source(const __u8 *addr, size_t alen)
{
	static const __u8 any[16], loopback[16] = { [15] = 1 };

	if (alen == 4)
		return addr[0] != 0 && addr[0] != 127 && addr[0] < 224;
	return addr[0] != 0xff && memcmp(addr, any, 16) && memcmp(addr, loopback, 16);
}

enum reply_verdict reply_make(__u8 *frame, __u32 len, __u16 *client_port)
{
	size_t off = ETH_HLEN, ihl = 0, alen, saddr_at;
	__u16 proto, udp_len;
	__u8 *udp;
	int tags;

	/* First every check, then every change: a frame refused is left as it came. */
	if (len < off)
		return REPLY_MALFORMED;
	proto = get16(frame + 12);
	for (tags = 0; tags < 2 && (proto == ETH_P_8021Q || proto == ETH_P_8021AD); tags++) {
		if (len < off + 4)
			return REPLY_MALFORMED;
		proto = get16(frame + off + 2);
		off += 4;
	}
	if (proto == ETH_P_IP) {
		const __u8 *ip = frame + off;
		__u16 tot;

		/* version 4, UDP, not a fragment (no "more fragments", offset 0) */
		if (len < off + 20 || ip[0] >> 4 != 4 || ip[9] != IPPROTO_UDP ||
		    (get16(ip + 6) & 0x3fff))
			return REPLY_MALFORMED;
		ihl = (ip[0] & 15) * 4u;
		tot = get16(ip + 2);
		if (ihl < 20 || tot < ihl + 8 || len < off + tot)
			return REPLY_MALFORMED;
		udp_len = (__u16)(tot - ihl);
		alen = 4;
		saddr_at = off + 12;
		off += ihl;
	} else if (proto == ETH_P_IPV6) {
		const __u8 *ip6 = frame + off;

		/* no extension headers: UDP right after the fixed 40 bytes */
		if (len < off + 40 || ip6[0] >> 4 != 6 || ip6[6] != IPPROTO_UDP ||
		    get16(ip6 + 4) < 8 || len < off + 40 + get16(ip6 + 4))
			return REPLY_MALFORMED;
		udp_len = get16(ip6 + 4);
		alen = 16;
		saddr_at = off + 8;
		off += 40;
	} else {
		return REPLY_MALFORMED;
	}
	udp = frame + off;
	if (get16(udp + 4) != udp_len)
		return REPLY_MALFORMED;
	*client_port = get16(udp);
	if (!udp_csum_ok(udp, udp_len, frame + saddr_at, alen))
		return REPLY_BAD_CHECKSUM;
	/* A group MAC is never a sender's. Port 0 is no port; and two echo servers answering
	 * each other would echo forever. */
	if ((frame[6] & 1) || !unicast_source(frame + saddr_at, alen) || !get16(udp) ||
	    get16(udp) == get16(udp + 2))
		return REPLY_REFUSED;

	swap(frame, frame + ETH_ALEN, ETH_ALEN);
	swap(frame + saddr_at, frame + saddr_at + alen, alen);
	swap(udp, udp + 2, 2);
	if (alen == 4) {
		__u8 *ip = frame + saddr_at - 12;

		/* a reply is a new packet, with a fresh TTL; the header checksum follows */
		ip[8] = REPLY_TTL;
		put16(ip + 10, 0);
		put16(ip + 10, (__u16)~fold(sum16(ip, ihl, 0)));
	} else {
		/* the hop limit; IPv6 has no header checksum to follow it */
		frame[saddr_at - 1] = REPLY_TTL;
	}
	return REPLY_OK;
}
