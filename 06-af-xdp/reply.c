// SPDX-License-Identifier: GPL-2.0
/* The echo itself: see reply.h. The XDP program has checked the frame already, but this runs
 * on memory the kernel hands us, and a program (or an exercise) can change: it checks every
 * length again before it reads. */
#include <stdbool.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
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

/* Whether the UDP checksum holds: the datagram and a pseudo-header of the addresses, the
 * protocol and the length sum to 0xffff. The stack checks it before a UDP socket sees a byte;
 * here nobody has, so we do -- and an echo server must not return a damaged datagram as if it
 * were whole. 0 in IPv4 means "no checksum"; IPv6 has no such escape (RFC 8200 8.1). */
static bool udp_csum_ok(const struct udphdr *uh, __u16 len, const void *saddr,
			const void *daddr, size_t alen)
{
	__u32 sum;

	if (!uh->check)
		return alen == 4;
	sum = sum16(saddr, alen, 0);
	sum = sum16(daddr, alen, sum);
	sum += IPPROTO_UDP + len;
	return fold(sum16((const __u8 *)uh, len, sum)) == 0xffff;
}

/* A source one host answers to. An echo to a broadcast or multicast source would go to many
 * hosts; to 0.0.0.0, 127/8 or the loopback it would go nowhere sane (RFC 1122 3.2.1.3). Forged
 * sources like these are how an echo service becomes an amplifier. */
static bool ipv4_unicast(const __u8 *addr)
{
	return addr[0] != 0 && addr[0] != 127 && addr[0] < 224;
}

static bool ipv6_unicast(const struct in6_addr *a)
{
	static const struct in6_addr any, loopback = { .s6_addr = { [15] = 1 } };

	return a->s6_addr[0] != 0xff && memcmp(a, &any, sizeof(*a)) &&
	       memcmp(a, &loopback, sizeof(*a));
}

enum reply_verdict reply_make(__u8 *frame, __u32 len)
{
	struct ethhdr *eth = (struct ethhdr *)frame;
	struct ipv6hdr *ip6 = NULL;
	struct iphdr *ip = NULL;
	size_t off = sizeof(*eth), ihl = 0;
	__u16 proto, udp_len;
	struct udphdr *uh;
	int tags;

	/* First every check, then every change: a frame refused is left as it came. */
	if (len < off)
		return REPLY_MALFORMED;
	proto = ntohs(eth->h_proto);
	for (tags = 0; tags < 2 && (proto == ETH_P_8021Q || proto == ETH_P_8021AD); tags++) {
		if (len < off + 4)
			return REPLY_MALFORMED;
		proto = (__u16)(frame[off + 2] << 8 | frame[off + 3]);
		off += 4;
	}
	if (proto == ETH_P_IP) {
		ip = (struct iphdr *)(frame + off);
		if (len < off + sizeof(*ip) || ip->version != 4 || ip->protocol != IPPROTO_UDP)
			return REPLY_MALFORMED;
		ihl = ip->ihl * 4u;
		if (ihl < sizeof(*ip) || ntohs(ip->tot_len) < ihl + sizeof(*uh) ||
		    len < off + ntohs(ip->tot_len) || (ip->frag_off & htons(0x3fff)))
			return REPLY_MALFORMED;
		udp_len = ntohs(ip->tot_len) - ihl;
		off += ihl;
	} else if (proto == ETH_P_IPV6) {
		ip6 = (struct ipv6hdr *)(frame + off);
		if (len < off + sizeof(*ip6) || ip6->version != 6 || ip6->nexthdr != IPPROTO_UDP ||
		    ntohs(ip6->payload_len) < sizeof(*uh) ||
		    len < off + sizeof(*ip6) + ntohs(ip6->payload_len))
			return REPLY_MALFORMED;
		udp_len = ntohs(ip6->payload_len);
		off += sizeof(*ip6);
	} else {
		return REPLY_MALFORMED;
	}
	uh = (struct udphdr *)(frame + off);
	if (ntohs(uh->len) != udp_len)
		return REPLY_MALFORMED;
	if (ip ? !udp_csum_ok(uh, udp_len, &ip->saddr, &ip->daddr, sizeof(ip->saddr)) :
		 !udp_csum_ok(uh, udp_len, &ip6->saddr, &ip6->daddr, sizeof(ip6->saddr)))
		return REPLY_BAD_CHECKSUM;
	if ((eth->h_source[0] & 1) ||	/* a group MAC is never a sender's */
	    (ip && !ipv4_unicast((__u8 *)&ip->saddr)) || (ip6 && !ipv6_unicast(&ip6->saddr)))
		return REPLY_REFUSED;
	/* Port 0 is no port; and two echo servers answering each other would echo forever. */
	if (!uh->source || uh->source == uh->dest)
		return REPLY_REFUSED;

	swap(eth->h_source, eth->h_dest, ETH_ALEN);
	if (ip) {
		swap(&ip->saddr, &ip->daddr, sizeof(ip->saddr));
		/* a reply is a new packet, with a fresh TTL; the header checksum follows */
		ip->ttl = REPLY_TTL;
		ip->check = 0;
		ip->check = htons((__u16)~fold(sum16((__u8 *)ip, ihl, 0)));
	} else {
		swap(&ip6->saddr, &ip6->daddr, sizeof(ip6->saddr));
		ip6->hop_limit = REPLY_TTL;	/* IPv6 has no header checksum */
	}
	swap(&uh->source, &uh->dest, sizeof(uh->source));
	return REPLY_OK;
}
