// SPDX-License-Identifier: GPL-2.0
/* 05, the other way out: XDP_TX sends a frame back out of the interface it arrived on, straight
 * from the driver, without the stack. This program answers pings itself: it turns an ICMP echo
 * request into the echo reply, in place, and bounces it back to the sender. */
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

static __always_inline int count(__u32 what, int verdict)
{
	__u64 *n = bpf_map_lookup_elem(&counters, &what);

	if (n)
		(*n)++;
	return verdict;
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
	/* a broadcast ping is for the stack to answer or (by default) ignore */
	if (eth->h_dest[0] & 1)
		return count(PONG_PASSED, XDP_PASS);
	if (parse_iphdr(&cur, &iph) != IPPROTO_ICMP)
		return count(PONG_PASSED, XDP_PASS);
	/* a fragment holds part of the request: only the stack can put it together */
	if (iph->frag_off & bpf_htons(IPV4_MF | IPV4_OFFSET))
		return count(PONG_PASSED, XDP_PASS);
	if (parse_icmphdr(&cur, &icmp) == PARSE_BAD || icmp->type != ICMP_ECHO || icmp->code)
		return count(PONG_PASSED, XDP_PASS);

	/* Back to where it came from: swap the MACs and the IP addresses. The IPv4 checksum
	 * stays right, since a sum does not change when two of its terms trade places. We keep
	 * the TTL the request came with; a real host would start again from its own (64). */
	__builtin_memcpy(mac, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, mac, ETH_ALEN);
	addr = iph->saddr;
	iph->saddr = iph->daddr;
	iph->daddr = addr;

	/* Type 8 becomes 0; identifier, sequence number and data stay as they are, as RFC 792
	 * wants. The type shares a 16-bit word with the code: the ICMP checksum follows it. */
	old = *(__be16 *)icmp;
	icmp->type = ICMP_ECHOREPLY;
	icmp->checksum = csum_replace16(icmp->checksum, old, *(__be16 *)icmp);
	return count(PONG_ANSWERED, XDP_TX);
}

char LICENSE[] SEC("license") = "GPL";
