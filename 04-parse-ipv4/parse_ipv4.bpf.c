// SPDX-License-Identifier: GPL-2.0
/* 04: look inside the packet. Lesson 03 counted every frame alike; this program walks the
 * headers -- Ethernet, up to two VLAN tags, IPv4, then TCP, UDP or ICMP -- and counts each frame
 * under exactly one heading. Every read is bounds-checked in common/parsing.h, or the verifier
 * would refuse the program. IPv4 from a source address in the blocklist map is dropped. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "parsing.h"
#include "parse_ipv4.h"

/* One __u64 per counter and per CPU: each CPU adds to its own copy, so no atomics are needed
 * (32-bit ARM has no 64-bit atomic add in BPF); the loader sums the copies. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, COUNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

/* Filled by the loader (--block). The key is the address as it is in the packet: network byte
 * order, so no conversion per packet. Only whether a key exists matters; the value is unused. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, BLOCKLIST_MAX);
	__type(key, __u32);
	__type(value, __u8);
} blocklist SEC(".maps");

static __always_inline int count(__u32 what, int verdict)
{
	__u64 *n = bpf_map_lookup_elem(&counters, &what);

	if (n)			/* never NULL for a key below max_entries, but the verifier asks */
		(*n)++;
	return verdict;
}

SEC("xdp")
int parse_ipv4(struct xdp_md *ctx)
{
	struct hdr_cursor cur;
	struct ethhdr *eth;
	struct iphdr *iph;
	struct tcphdr *tcp;
	struct udphdr *udp;
	struct icmp_hdr *icmp;
	int eth_type, proto;
	__u32 saddr;

	cursor_init(&cur, ctx);
	eth_type = parse_ethhdr(&cur, &eth);
	if (eth_type == PARSE_BAD)
		return count(COUNT_MALFORMED, XDP_PASS);
	if (eth_type == bpf_htons(ETH_P_IPV6))
		return count(COUNT_IPV6, XDP_PASS);
	if (eth_type == bpf_htons(ETH_P_ARP))
		return count(COUNT_ARP, XDP_PASS);
	if (eth_type != bpf_htons(ETH_P_IP))
		return count(COUNT_OTHER, XDP_PASS);

	/* Malformed packets pass: the stack checks them again and drops them. We only count. */
	proto = parse_iphdr(&cur, &iph);
	if (proto == PARSE_BAD)
		return count(COUNT_MALFORMED, XDP_PASS);

	saddr = iph->saddr;
	if (bpf_map_lookup_elem(&blocklist, &saddr))
		return count(COUNT_BLOCKED, XDP_DROP);

	if (ipv4_is_later_fragment(iph))
		return count(COUNT_FRAGMENT, XDP_PASS);

	switch (proto) {
	case IPPROTO_TCP:
		if (parse_tcphdr(&cur, &tcp) == PARSE_BAD)
			return count(COUNT_MALFORMED, XDP_PASS);
		return count(COUNT_TCP, XDP_PASS);
	case IPPROTO_UDP:
		if (parse_udphdr(&cur, &udp) == PARSE_BAD)
			return count(COUNT_MALFORMED, XDP_PASS);
		return count(COUNT_UDP, XDP_PASS);
	case IPPROTO_ICMP:
		if (parse_icmphdr(&cur, &icmp) == PARSE_BAD)
			return count(COUNT_MALFORMED, XDP_PASS);
		return count(COUNT_ICMP, XDP_PASS);
	}
	return count(COUNT_IP_OTHER, XDP_PASS);
}

char LICENSE[] SEC("license") = "GPL";
