// SPDX-License-Identifier: GPL-2.0
/* BROKEN ON PURPOSE: the verifier refuses to load this program, and that is the point. `make`
 * does not build it and nothing uses it; README.md ("Break it") shows how to build it, try to
 * load it, and read the verifier's answer.
 *
 * It is parse_ipv4.bpf.c's blocklist check with one thing missing: it reads the IPv4 source
 * address right after the Ethernet header, without first proving that an IPv4 header's worth
 * of bytes is in the packet (parse_iphdr() in common/parsing.h does that). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "parsing.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u8);
} blocklist SEC(".maps");

SEC("xdp")
int broken_no_ip_check(struct xdp_md *ctx)
{
	struct hdr_cursor cur;
	struct ethhdr *eth;
	struct iphdr *iph;
	__u32 saddr;

	cursor_init(&cur, ctx);
	if (parse_ethhdr(&cur, &eth) != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	iph = cur.pos;
	/* MISSING: if ((void *)(iph + 1) > cur.end) return XDP_PASS; */
	saddr = iph->saddr;
	if (bpf_map_lookup_elem(&blocklist, &saddr))
		return XDP_DROP;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
