// SPDX-License-Identifier: GPL-2.0
/* 05: forward. Lesson 04 looked inside a packet; this program sends it on, out of another
 * interface, changed the way a router changes it: new MAC addresses, the TTL one lower, the
 * IPv4 checksum updated to match. The kernel's IP stack never sees the frames it forwards.
 *
 * Two ways to decide where a frame goes: redirect (the route the loader wrote into the maps:
 * everything from one interface goes out of the other) and redirect_fib (the kernel's own
 * routing and neighbour tables, asked with bpf_fib_lookup). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "parsing.h"
#include "csum.h"
#include "redirect.h"

#define AF_INET	2	/* from the C library's sys/socket.h, which a BPF program cannot include */

/* The route for each interface we receive on, keyed by its ifindex; filled by the loader. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, PORTS_MAX);
	__type(key, __u32);
	__type(value, struct route);
} routes SEC(".maps");

/* A device map: port -> the ifindex frames from that port leave through. bpf_redirect_map()
 * takes the key; the kernel holds the device itself, ready to transmit to. */
struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, PORTS_MAX);
	__type(key, __u32);
	__type(value, __u32);
} out_ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, PORTS_MAX);
	__type(key, __u32);
	__type(value, struct counters);
} counters SEC(".maps");

/* The last redirect error of each port, as the kernel gave it (-ENETDOWN, ...), for the loader
 * to explain. A 32-bit store needs no atomics; the latest writer wins, which is what we want. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, PORTS_MAX);
	__type(key, __u32);
	__type(value, __s32);
} last_error SEC(".maps");

/* The port whose redirect this CPU is carrying out, + 1 (0: none); see redirect_failed(). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} in_flight SEC(".maps");

/* An IPv4 frame this router may forward: untagged (a tagged frame belongs to a VLAN
 * interface), unicast (broadcast and multicast stay on their link), a well-formed header, and
 * a TTL left to spend. Anything else goes to the stack, which knows what to do with it. */
static __always_inline bool forwardable(struct xdp_md *ctx, struct ethhdr **eth,
					struct iphdr **iph)
{
	struct hdr_cursor cur;

	cursor_init(&cur, ctx);
	if (parse_ethhdr(&cur, eth) != bpf_htons(ETH_P_IP) ||
	    (*eth)->h_proto != bpf_htons(ETH_P_IP))
		return false;
	if ((*eth)->h_dest[0] & 1)	/* the group bit: broadcast or multicast */
		return false;
	if (parse_iphdr(&cur, iph) == PARSE_BAD)
		return false;
	/* TTL 1 would reach 0 here: the stack drops it, and sends "time exceeded" if it forwards */
	return (*iph)->ttl > 1;
}

/* What every router does to a frame it forwards. The TTL shares a 16-bit word with the
 * protocol; the checksum follows that word's change instead of being summed again. */
static __always_inline void rewrite(struct ethhdr *eth, struct iphdr *iph, const __u8 *src,
				    const __u8 *dst)
{
	__be16 *ttl_word = (__be16 *)&iph->ttl;
	__be16 old = *ttl_word;

	__builtin_memcpy(eth->h_source, src, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, dst, ETH_ALEN);
	iph->ttl--;
	iph->check = csum_replace16(iph->check, old, *ttl_word);
}

/* A redirect is only a request: the kernel carries it out after the program returned, and
 * only then finds out whether the other interface can take the frame. Note which port asked,
 * for the two tracepoint programs below. */
static __always_inline int redirected(struct counters *c, __u32 port, long verdict)
{
	__u32 zero = 0, *flight;

	if (verdict != XDP_REDIRECT) {		/* no such port in out_ports: dropped */
		c->errors++;
		return verdict;
	}
	c->redirected++;
	flight = bpf_map_lookup_elem(&in_flight, &zero);
	if (flight)
		*flight = port + 1;
	return verdict;
}

SEC("xdp")
int redirect(struct xdp_md *ctx)
{
	__u32 ifindex = ctx->ingress_ifindex;
	struct route *rt = bpf_map_lookup_elem(&routes, &ifindex);
	struct counters *c;
	struct ethhdr *eth;
	struct iphdr *iph;

	if (!rt)		/* an interface we only send out of (the loader without --both) */
		return XDP_PASS;
	c = bpf_map_lookup_elem(&counters, &rt->port);
	if (!c)
		return XDP_PASS;
	if (!forwardable(ctx, &eth, &iph)) {
		c->passed++;
		return XDP_PASS;
	}
	rewrite(eth, iph, rt->src_mac, rt->dst_mac);
	/* flags 0: if the port is missing from out_ports, the verdict is XDP_ABORTED (0) */
	return redirected(c, rt->port, bpf_redirect_map(&out_ports, rt->port, 0));
}

SEC("xdp")
int redirect_fib(struct xdp_md *ctx)
{
	__u32 ifindex = ctx->ingress_ifindex;
	struct route *rt = bpf_map_lookup_elem(&routes, &ifindex);
	struct bpf_fib_lookup fib = {};
	struct counters *c;
	struct ethhdr *eth;
	struct iphdr *iph;

	if (!rt)
		return XDP_PASS;
	c = bpf_map_lookup_elem(&counters, &rt->port);
	if (!c)
		return XDP_PASS;
	if (!forwardable(ctx, &eth, &iph)) {
		c->passed++;
		return XDP_PASS;
	}
	fib.family = AF_INET;
	fib.tos = iph->tos;
	fib.l4_protocol = iph->protocol;
	fib.tot_len = bpf_ntohs(iph->tot_len);
	fib.ipv4_src = iph->saddr;
	fib.ipv4_dst = iph->daddr;
	fib.ifindex = ifindex;
	/* The same question the stack asks: which route, which interface, which next hop, and
	 * that next hop's MAC from the neighbour table. Anything but a full answer -- the address
	 * is our own, there is no route, the neighbour's MAC is not known yet, forwarding is off
	 * on this interface -- and the stack handles the frame, ARP and ICMP errors included. */
	if (bpf_fib_lookup(ctx, &fib, sizeof(fib), 0) != BPF_FIB_LKUP_RET_SUCCESS) {
		c->passed++;
		return XDP_PASS;
	}
	rewrite(eth, iph, fib.smac, fib.dmac);
	return redirected(c, rt->port, bpf_redirect(fib.ifindex, 0));
}

/* Raw tracepoints, which need no tracefs: the kernel fires xdp_redirect when it queued a
 * redirected frame for its new interface, and xdp_redirect_err when it could not -- on the
 * CPU that ran the XDP program, right after it returned, before that CPU runs another one.
 * Their arguments are (dev, prog, target, err, ...); only err is read, and it stays the fourth
 * across kernel versions. A program that is not ours left nothing in flight: ignored. */
static __always_inline __u32 take_in_flight(void)
{
	__u32 zero = 0, port, *flight = bpf_map_lookup_elem(&in_flight, &zero);

	if (!flight)
		return 0;
	port = *flight;
	*flight = 0;
	return port;
}

SEC("raw_tp/xdp_redirect")
int redirect_done(struct bpf_raw_tracepoint_args *args)
{
	take_in_flight();
	return 0;
}

SEC("raw_tp/xdp_redirect_err")
int redirect_failed(struct bpf_raw_tracepoint_args *args)
{
	__u32 port = take_in_flight();
	struct counters *c;
	__s32 *last;

	if (!port--)
		return 0;
	c = bpf_map_lookup_elem(&counters, &port);
	if (c) {		/* this CPU counted it as redirected: it was not */
		c->redirected--;
		c->errors++;
	}
	last = bpf_map_lookup_elem(&last_error, &port);
	if (last)
		*last = (__s32)args->args[3];
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
