// SPDX-License-Identifier: GPL-2.0
/* 06: the last way out of XDP, into a user-space program. bpf_redirect_map() on an XSKMAP
 * hands a frame to the AF_XDP socket in the map's slot: the frame is copied (or, with a driver
 * that can, handed over) into memory that program shares with the kernel, and the stack never
 * sees it. Here: UDP datagrams for one port, which xsk_echo answers. Everything else goes on to
 * the stack. */
#include <linux/bpf.h>
#include <linux/ipv6.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "parsing.h"
#include "xsk_echo.h"

#define IPV4_MF		0x2000	/* "more fragments" */

/* The sockets, one per receive queue: slot N holds the socket bound to queue N. The loader
 * puts its socket in; the kernel takes it out when the socket closes. */
struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__uint(max_entries, XSK_MAX_QUEUES);
	__type(key, __u32);
	__type(value, __u32);
} xsks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XSK_MAX);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

/* Frames for our port, by the queue they arrived on: where they went when no socket got them. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XSK_MAX_QUEUES);
	__type(key, __u32);
	__type(value, __u64);
} queues SEC(".maps");

/* The UDP port to take, in network byte order; the loader sets it before loading. */
const volatile __be16 port = bpf_htons(XSK_ECHO_PORT);

static __always_inline void count(void *map, __u32 key)
{
	__u64 *n = bpf_map_lookup_elem(map, &key);

	if (n)
		(*n)++;
}

/* IPv6's fixed header. Extension headers (a fragment header among them) are left to the stack:
 * Returns the next header, which is the transport protocol when there are none. */
static __always_inline int parse_ipv6hdr(struct hdr_cursor *c, struct ipv6hdr **ip6hdr)
{
	struct ipv6hdr *ip6 = c->pos;
	__u32 payload;

	if (!cursor_has(c, sizeof(*ip6)) || ip6->version != 6)
		return PARSE_BAD;
	payload = bpf_ntohs(ip6->payload_len);
	cursor_advance(c, sizeof(*ip6));
	if (payload > c->left)
		return PARSE_BAD;
	c->left = payload;
	*ip6hdr = ip6;
	return ip6->nexthdr;
}

/* A whole UDP datagram for our port, to this host alone: what xsk_echo can answer. */
static __always_inline bool for_us(struct xdp_md *ctx)
{
	struct hdr_cursor cur;
	struct ethhdr *eth;
	struct iphdr *iph;
	struct ipv6hdr *ip6;
	struct udphdr *uh;
	int proto;

	cursor_init(&cur, ctx);
	proto = parse_ethhdr(&cur, &eth);
	/* A group address (broadcast, multicast) would have one request answered by many echo
	 * servers at once: the stack's business, if anyone's. */
	if (proto == PARSE_BAD || (eth->h_dest[0] & 1))
		return false;
	if (proto == bpf_htons(ETH_P_IP)) {
		if (parse_iphdr(&cur, &iph) != IPPROTO_UDP)
			return false;
		/* a fragment is part of a datagram: only the stack can put it together */
		if (iph->frag_off & bpf_htons(IPV4_MF | IPV4_OFFSET))
			return false;
	} else if (proto == bpf_htons(ETH_P_IPV6)) {
		if (parse_ipv6hdr(&cur, &ip6) != IPPROTO_UDP)
			return false;
	} else {
		return false;
	}
	if (parse_udphdr(&cur, &uh) < 0 || uh->dest != port)
		return false;
	/* user space echoes the datagram as its length says: it must be all there */
	return bpf_ntohs(uh->len) >= sizeof(*uh) && bpf_ntohs(uh->len) == cur.left + sizeof(*uh);
}

SEC("xdp")
int xsk_echo(struct xdp_md *ctx)
{
	__u32 queue = ctx->rx_queue_index;

	if (!for_us(ctx)) {
		count(&counters, XSK_PASSED);
		return XDP_PASS;
	}
	count(&queues, queue);
	/* Only the socket of the queue the frame arrived on can take it: a socket is bound to one
	 * queue of one device, and the kernel refuses a frame from another. No socket there: the
	 * stack gets it, rather than nobody. */
	if (!bpf_map_lookup_elem(&xsks, &queue)) {
		count(&counters, XSK_NO_SOCKET);
		return XDP_PASS;
	}
	count(&counters, XSK_TO_SOCKET);
	/* The last argument is the verdict should the slot be empty after all (the socket closed
	 * since the lookup): XDP_PASS. */
	return bpf_redirect_map(&xsks, queue, XDP_PASS);
}

char LICENSE[] SEC("license") = "GPL";
