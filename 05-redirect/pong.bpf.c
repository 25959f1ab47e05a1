// SPDX-License-Identifier: GPL-2.0
/* 05, the other way out: XDP_TX sends a frame back out of the interface it arrived on, straight
 * from the driver, without the stack. This program answers pings to the interface's own
 * addresses itself: it turns an ICMP echo request into the echo reply, in place, and bounces it
 * back to the sender. Every other frame goes to the stack. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "parsing.h"
#include "csum.h"
#include "pong.h"

#define ICMP_ECHOREPLY	0
#define ICMP_ECHO	8
#define IPV4_MF		0x2000	/* "more fragments" */

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, PONG_MAX);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

/* Who we are, written by the loader before it loads the program: the interface's MAC, its IPv4
 * addresses and the broadcast address of each one's subnet (0 where there is none). Constants
 * to the verifier, and no map lookup for the program. */
const volatile __u8 own_mac[ETH_ALEN];
const volatile __be32 own_addrs[PONG_ADDRS_MAX];
const volatile __be32 own_bcasts[PONG_ADDRS_MAX];
const volatile __u32 n_addrs;

static __always_inline int count(__u32 what, int verdict)
{
	__u64 *n = bpf_map_lookup_elem(&counters, &what);

	if (n)
		(*n)++;
	return verdict;
}

static __always_inline bool for_our_mac(const struct ethhdr *eth)
{
	int i;

	for (i = 0; i < ETH_ALEN; i++)
		if (eth->h_dest[i] != own_mac[i])
			return false;
	return true;
}

/* One of this interface's addresses, or (bcast) one of its subnets' broadcast addresses. */
static __always_inline bool ours(__be32 addr, bool bcast)
{
	__u32 i;

	for (i = 0; i < PONG_ADDRS_MAX && i < n_addrs; i++)
		if (addr == (bcast ? own_bcasts[i] : own_addrs[i]))
			return true;
	return false;
}

/* A source a reply may go to: one host. Not 0.0.0.0/8 ("this network": a host that has no
 * address yet), 127.0.0.0/8 (loopback never arrives on a wire), 224.0.0.0/4 (multicast) or
 * 240.0.0.0/4 (reserved, 255.255.255.255 among them), nor a broadcast of our subnets. RFC 1122
 * 3.2.2.6: echo replies to such sources would go to many hosts, or be a reflection attack. */
static __always_inline bool unicast_source(__be32 saddr)
{
	__u8 first = bpf_ntohl(saddr) >> 24;

	return first != 0 && first != 127 && first < 224 && !ours(saddr, true);
}

SEC("xdp")
int pong(struct xdp_md *ctx)
{
	struct hdr_cursor cur;
	struct ethhdr *eth;
	struct iphdr *iph;
	struct icmp_hdr *icmp;
	__u8 mac[ETH_ALEN];
	__be16 old;
	__be32 addr;

	cursor_init(&cur, ctx);
	if (parse_ethhdr(&cur, &eth) != bpf_htons(ETH_P_IP) || eth->h_proto != bpf_htons(ETH_P_IP))
		return count(PONG_PASSED, XDP_PASS);
	/* Frames for our MAC only: one for another host arrives here too on a promiscuous NIC or
	 * a bridge port, and a broadcast or multicast ping is for the stack to answer or (by
	 * default) ignore. */
	if (!for_our_mac(eth))
		return count(PONG_PASSED, XDP_PASS);
	if (parse_iphdr(&cur, &iph) != IPPROTO_ICMP)
		return count(PONG_PASSED, XDP_PASS);
	/* IP options (record route, timestamps, source routes) each want their own answer, which
	 * the stack knows how to give; echoing them back unchanged would be wrong. */
	if (iph->ihl != 5)
		return count(PONG_PASSED, XDP_PASS);
	/* a fragment holds part of the request: only the stack can put it together */
	if (iph->frag_off & bpf_htons(IPV4_MF | IPV4_OFFSET))
		return count(PONG_PASSED, XDP_PASS);
	if (parse_icmphdr(&cur, &icmp) == PARSE_BAD || icmp->type != ICMP_ECHO || icmp->code)
		return count(PONG_PASSED, XDP_PASS);
	/* Our own addresses only. On a router most pings are for hosts behind it: an answer
	 * "from" their address would be a forgery, and the ping would never reach them. */
	if (!ours(iph->daddr, false) || !unicast_source(iph->saddr))
		return count(PONG_PASSED, XDP_PASS);

	/* Back to where it came from: swap the MACs and the IP addresses. The IPv4 checksum does
	 * not change when two of the words it sums trade places. */
	__builtin_memcpy(mac, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, mac, ETH_ALEN);
	addr = iph->saddr;
	iph->saddr = iph->daddr;
	iph->daddr = addr;
	/* A reply is a new packet: it starts with a fresh TTL, as the stack's would, and not with
	 * what is left of the request's (a reply to a TTL 1 request would die at the first hop).
	 * The TTL shares a 16-bit word with the protocol: the checksum follows that word. */
	old = *(__be16 *)&iph->ttl;
	iph->ttl = PONG_TTL;
	iph->check = csum_replace16(iph->check, old, *(__be16 *)&iph->ttl);

	/* Type 8 becomes 0; identifier, sequence number and data stay as they are, as RFC 792
	 * wants. The type shares a 16-bit word with the code: the ICMP checksum follows it. */
	old = *(__be16 *)icmp;
	icmp->type = ICMP_ECHOREPLY;
	icmp->checksum = csum_replace16(icmp->checksum, old, *(__be16 *)icmp);
	return count(PONG_ANSWERED, XDP_TX);
}

char LICENSE[] SEC("license") = "GPL";
