// SPDX-License-Identifier: GPL-2.0
/* Frame builders: see packets.h. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/ether.h>	/* ether_aton_r */
#include <linux/if_ether.h>
#include <net/if_arp.h>		/* glibc's: <netinet/ether.h> brings it, and not linux/if_arp.h */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <linux/tcp.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include "packets.h"

static const __u8 lab_host_mac[6] = { 0x02, 0x00, 0xc0, 0x00, 0x02, 0x01 };
static const __u8 lab_peer_mac[6] = { 0x02, 0x00, 0xc0, 0x00, 0x02, 0x02 };

void pkt_spec_init(struct pkt_spec *s, __u16 eth_proto, __u8 ip_proto)
{
	memset(s, 0, sizeof(*s));
	memcpy(s->dst_mac, lab_host_mac, 6);
	memcpy(s->src_mac, lab_peer_mac, 6);
	s->eth_proto = eth_proto;
	s->ip_proto = ip_proto;
	inet_pton(AF_INET, "192.0.2.2", &s->saddr);
	inet_pton(AF_INET, "192.0.2.1", &s->daddr);
	inet_pton(AF_INET6, "2001:db8::2", &s->saddr6);
	inet_pton(AF_INET6, "2001:db8::1", &s->daddr6);
	s->ttl = 64;
	s->ip_id = 1;
	s->sport = 40000;
	s->dport = 9;
	s->tcp_flags = 0x02;	/* SYN */
	s->icmp_type = eth_proto == ETH_P_IPV6 ? ICMPV6_ECHO_REQUEST : ICMP_ECHO;
	s->icmp_id = 1;
	s->icmp_seq = 1;
}

__u16 pkt_csum(const void *data, size_t len, __u32 sum)
{
	const __u8 *p = data;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (__u32)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (__u32)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((__u16)~sum);
}

/* The sum of a pseudo header, not yet folded: addresses, protocol, upper-layer length. */
static __u32 pseudo_sum(const void *saddr, const void *daddr, size_t alen, __u8 proto,
			__u32 len)
{
	const __u8 *a = saddr, *b = daddr;
	__u32 sum = proto + (len >> 16) + (len & 0xffff);
	size_t i;

	for (i = 0; i < alen; i += 2)
		sum += ((__u32)a[i] << 8 | a[i + 1]) + ((__u32)b[i] << 8 | b[i + 1]);
	return sum;
}

bool pkt_ipv4_csum_ok(const void *ip)
{
	const __u8 *p = ip;

	return pkt_csum(p, (p[0] & 0x0f) * 4, 0) == 0;
}

size_t pkt_l3_offset(const struct pkt_spec *s)
{
	return ETH_HLEN + 4 * (size_t)(s->vlans < 0 ? 0 : s->vlans > 2 ? 2 : s->vlans);
}

int pkt_parse_mac(const char *s, __u8 mac[6])
{
	/* glibc's parser: six fields of one or two hex digits, with colons. It reads no more of
	 * the sixth field than two digits, though: what follows must be the end. */
	const char *last = strrchr(s, ':');
	struct ether_addr addr;
	size_t len;

	if (!ether_aton_r(s, &addr) || !last)
		return -1;
	len = strlen(last + 1);
	if (len < 1 || len > 2 || strspn(last + 1, "0123456789abcdefABCDEF") != len)
		return -1;
	memcpy(mac, addr.ether_addr_octet, 6);
	return 0;
}

static void put16(__u8 *p, __u16 host)
{
	__u16 v = htons(host);

	memcpy(p, &v, 2);
}

/* The transport header and payload for ip_proto at p, l4len bytes in all, with a checksum
 * over the pseudo header sum psum (none for ICMPv4). Headers are built in local structs and
 * copied: in a frame they are not aligned. */
static void build_l4(const struct pkt_spec *s, __u8 *p, size_t l4len, __u32 psum)
{
	size_t i, hlen = 0, csum_at = 0;

	switch (s->ip_proto) {
	case IPPROTO_UDP: {
		struct udphdr udp = {
			.source = htons(s->sport),
			.dest = htons(s->dport),
			.len = htons((__u16)l4len),
		};

		hlen = sizeof(udp);
		csum_at = offsetof(struct udphdr, check);
		if (l4len >= hlen)
			memcpy(p, &udp, hlen);
		break;
	}
	case IPPROTO_TCP: {
		struct tcphdr tcp = {
			.source = htons(s->sport),
			.dest = htons(s->dport),
			.seq = htonl(1),
			.window = htons(64240),
		};

		hlen = sizeof(tcp);
		csum_at = offsetof(struct tcphdr, check);
		tcp.doff = hlen / 4;
		if (l4len >= hlen) {
			memcpy(p, &tcp, hlen);
			p[13] = s->tcp_flags;
		}
		break;
	}
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6: {
		/* echo request/reply: type, code, checksum, id, sequence, in v4 and v6 alike */
		hlen = 8;
		csum_at = 2;
		if (l4len >= hlen) {
			p[0] = s->icmp_type;
			put16(p + 4, s->icmp_id);
			put16(p + 6, s->icmp_seq);
		}
		break;
	}
	}
	for (i = hlen; i < l4len; i++)
		p[i] = (__u8)i;		/* a recognisable payload */
	if (!hlen || l4len < hlen)
		return;
	if (s->ip_proto == IPPROTO_ICMP)
		psum = 0;		/* ICMPv4 alone has no pseudo header */
	memcpy(p + csum_at, &(__u16){ pkt_csum(p, l4len, psum) }, 2);
	if (s->ip_proto == IPPROTO_UDP && !p[csum_at] && !p[csum_at + 1])
		memset(p + csum_at, 0xff, 2);	/* 0 means "no checksum" in UDP */
}

static size_t l4_min(__u8 proto)
{
	switch (proto) {
	case IPPROTO_UDP:
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		return 8;
	case IPPROTO_TCP:
		return 20;
	}
	return 0;
}

static void build_ipv4(const struct pkt_spec *s, __u8 *p, size_t len)
{
	size_t ihl = s->ihl ? s->ihl : 5;
	size_t hlen = (ihl > 5 ? ihl : 5) * 4;		/* an IHL < 5 still writes 20 bytes */
	struct iphdr ip = {
		.version = s->ip_version ? s->ip_version : 4,
		.ihl = ihl,
		.tot_len = htons((__u16)(len + s->len_delta)),
		.id = htons(s->ip_id),
		.frag_off = htons(s->frag),
		.ttl = s->ttl,
		.protocol = s->ip_proto,
		.saddr = s->saddr.s_addr,
		.daddr = s->daddr.s_addr,
	};
	size_t i;

	memcpy(p, &ip, sizeof(ip));
	for (i = sizeof(ip); i < hlen; i++)
		p[i] = 1;			/* IP option NOP */
	memcpy(p + 10, &(__u16){ pkt_csum(p, hlen, 0) }, 2);
	if (s->frag & 0x1fff) {			/* not the first fragment: no L4 header */
		for (i = hlen; i < len; i++)
			p[i] = (__u8)i;
		return;
	}
	build_l4(s, p + hlen, len - hlen,
		 pseudo_sum(&ip.saddr, &ip.daddr, 4, s->ip_proto, len - hlen));
}

static void build_ipv6(const struct pkt_spec *s, __u8 *p, size_t len)
{
	struct ipv6hdr ip6 = {
		.payload_len = htons((__u16)(len - sizeof(ip6) + s->len_delta)),
		.nexthdr = s->ip_proto,
		.hop_limit = s->ttl,
	};

	memcpy(&ip6.saddr, &s->saddr6, 16);
	memcpy(&ip6.daddr, &s->daddr6, 16);
	memcpy(p, &ip6, sizeof(ip6));
	p[0] = (s->ip_version ? s->ip_version : 6) << 4;	/* traffic class and flow: 0 */
	build_l4(s, p + sizeof(ip6), len - sizeof(ip6),
		 pseudo_sum(&ip6.saddr, &ip6.daddr, 16, s->ip_proto, len - sizeof(ip6)));
}

static void build_arp(const struct pkt_spec *s, __u8 *p)
{
	struct arphdr arp = {
		.ar_hrd = htons(ARPHRD_ETHER),
		.ar_pro = htons(ETH_P_IP),
		.ar_hln = 6,
		.ar_pln = 4,
		.ar_op = htons(ARPOP_REQUEST),
	};

	memcpy(p, &arp, sizeof(arp));
	p += sizeof(arp);
	memcpy(p, s->src_mac, 6);		/* sender MAC and IP; target MAC stays zero */
	memcpy(p + 6, &s->saddr, 4);
	memcpy(p + 16, &s->daddr, 4);
}

int pkt_build(const struct pkt_spec *s, void *buf, size_t cap)
{
	size_t l3 = pkt_l3_offset(s), len, i;
	__u8 *p = buf;
	int v;

	switch (s->eth_proto) {
	case ETH_P_IP:
		len = l3 + (s->ihl > 5 ? s->ihl : 5) * 4 + (s->frag & 0x1fff ? 0 : l4_min(s->ip_proto));
		break;
	case ETH_P_IPV6:
		len = l3 + sizeof(struct ipv6hdr) + l4_min(s->ip_proto);
		break;
	case ETH_P_ARP:
		len = l3 + sizeof(struct arphdr) + 20;
		break;
	default:
		len = l3;
	}
	if (s->size > len)
		len = s->size;
	if (len > cap || len > PKT_MAX)
		return -1;
	memset(p, 0, len);

	memcpy(p, s->dst_mac, 6);
	memcpy(p + 6, s->src_mac, 6);
	for (v = 0; v < s->vlans && v < 2; v++) {
		put16(p + 12 + 4 * v, s->vlan_tpid[v] ? s->vlan_tpid[v] : ETH_P_8021Q);
		put16(p + 14 + 4 * v, s->vlan_id[v] & 0x0fff);
	}
	put16(p + l3 - 2, s->eth_proto);

	switch (s->eth_proto) {
	case ETH_P_IP:
		build_ipv4(s, p + l3, len - l3);
		break;
	case ETH_P_IPV6:
		build_ipv6(s, p + l3, len - l3);
		break;
	case ETH_P_ARP:
		build_arp(s, p + l3);
		break;
	default:
		for (i = l3; i < len; i++)
			p[i] = (__u8)i;
	}
	return (int)len;
}
