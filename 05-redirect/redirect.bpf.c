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

/* The route for each interface we receive on, one a port, in slots 0, 1, ...: the loader fills
 * them from 0 without gaps. find_route() scans them for the frame's interface. Why not a hash
 * keyed by the ifindex, found in one lookup: that lookup is a function call that hashes the key,
 * about 8 ns a frame (measured with bench/run cost), while the verifier turns an array lookup
 * into a few instructions of the program itself. For at most PORTS_MAX (8) ports the scan costs
 * less; with hundreds of ports the hash would win. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, PORTS_MAX);
	__type(key, __u32);
	__type(value, struct route);
} routes SEC(".maps");

/* The interfaces frames may leave through: the ones the loader was given, and no other. A
 * device map holds the devices themselves, ready to transmit to; bpf_redirect_map() names one
 * by its key. The hash kind takes sparse keys, so the key is simply the ifindex. */
struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
	__uint(max_entries, PORTS_MAX);
	__type(key, __u32);
	__type(value, __u32);
} out_ports SEC(".maps");

/* The counters slot of each interface in out_ports, keyed by its ifindex: where redirect_fib
 * and redirect_failed count a frame that leaves through it. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, PORTS_MAX);
	__type(key, __u32);
	__type(value, __u32);
} out_slots SEC(".maps");

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

/* out_ports' id, which the kernel gives the map when it is created: the loader writes it here
 * after loading, so that redirect_failed can tell our redirects from other programs'. */
__u32 out_ports_id;

/* The route for the interface a frame arrived on, and its port, the slot it is in; NULL for an
 * interface we only send out of (the loader without --both). The first unused slot ends the
 * scan: no route comes after it. */
static __always_inline struct route *find_route(__u32 ifindex, __u32 *port)
{
	__u32 i;

	for (i = 0; i < PORTS_MAX; i++) {
		/* A copy for the helper to read. With its own address taken, i would live on the
		 * stack, where the verifier loses track of its value: the loop would look endless
		 * to it ("infinite loop detected"). */
		__u32 key = i;
		struct route *rt = bpf_map_lookup_elem(&routes, &key);

		if (!rt || !rt->in_ifindex)
			return NULL;
		if (rt->in_ifindex == ifindex) {
			*port = i;
			return rt;
		}
	}
	return NULL;
}

/* Two MACs, compared a byte at a time: the verifier knows no memcmp(). */
static __always_inline bool same_mac(const __u8 *a, const __u8 *b)
{
	return !((a[0] ^ b[0]) | (a[1] ^ b[1]) | (a[2] ^ b[2]) | (a[3] ^ b[3]) | (a[4] ^ b[4]) |
		 (a[5] ^ b[5]));
}

/* An IPv4 frame this router may forward: untagged (a tagged frame belongs to a VLAN
 * interface), sent to the MAC of the interface it arrived on, a well-formed header, and a TTL
 * left to spend. Anything else goes to the stack, which knows what to do with it. */
static __always_inline bool forwardable(struct xdp_md *ctx, const struct route *rt,
					struct ethhdr **eth, struct iphdr **iph)
{
	struct hdr_cursor cur;

	cursor_init(&cur, ctx);
	if (parse_ethhdr(&cur, eth) != bpf_htons(ETH_P_IP) ||
	    (*eth)->h_proto != bpf_htons(ETH_P_IP))
		return false;
	/* Our own MAC only. A frame for another host still arrives here on a promiscuous NIC, a
	 * bridge port or a veth: the stack drops it (PACKET_OTHERHOST), so must a router. This
	 * also leaves broadcast and multicast, which stay on their link, to the stack. */
	if (!same_mac((*eth)->h_dest, rt->own_mac))
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

SEC("xdp")
int redirect(struct xdp_md *ctx)
{
	__u32 port;
	struct route *rt = find_route(ctx->ingress_ifindex, &port);
	struct counters *c;
	struct ethhdr *eth;
	struct iphdr *iph;

	if (!rt)
		return XDP_PASS;
	c = bpf_map_lookup_elem(&counters, &port);
	if (!c)
		return XDP_PASS;
	/* Ask first, rewrite after: bpf_redirect_map() only notes where the frame is to go (the
	 * kernel sends it after we return), and answers XDP_PASS, its flags' fallback, when
	 * out_ports has no such interface. Then the stack gets the frame as it came. */
	if (!forwardable(ctx, rt, &eth, &iph) ||
	    bpf_redirect_map(&out_ports, rt->out_ifindex, XDP_PASS) != XDP_REDIRECT) {
		c->passed++;
		return XDP_PASS;
	}
	rewrite(eth, iph, rt->src_mac, rt->dst_mac);
	c->attempted++;
	return XDP_REDIRECT;
}

SEC("xdp")
int redirect_fib(struct xdp_md *ctx)
{
	__u32 ifindex = ctx->ingress_ifindex, port, *slot;
	struct route *rt = find_route(ifindex, &port);
	struct bpf_fib_lookup fib = {};
	struct counters *c, *out;
	struct ethhdr *eth;
	struct iphdr *iph;

	if (!rt)
		return XDP_PASS;
	c = bpf_map_lookup_elem(&counters, &port);
	if (!c)
		return XDP_PASS;
	if (!forwardable(ctx, rt, &eth, &iph))
		goto pass;
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
	if (bpf_fib_lookup(ctx, &fib, sizeof(fib), 0) != BPF_FIB_LKUP_RET_SUCCESS)
		goto pass;
	/* A route out of an interface the loader was not given -- the default route, a VLAN, a
	 * bridge, a tunnel -- is the stack's: it has the firewall, and a transmit path for every
	 * kind of device. Only our ports are in out_ports and out_slots. */
	slot = bpf_map_lookup_elem(&out_slots, &fib.ifindex);
	out = slot ? bpf_map_lookup_elem(&counters, slot) : NULL;
	if (!out || bpf_redirect_map(&out_ports, fib.ifindex, XDP_PASS) != XDP_REDIRECT)
		goto pass;
	rewrite(eth, iph, fib.smac, fib.dmac);
	out->attempted++;	/* counted by where it leaves, as redirect_failed counts it */
	return XDP_REDIRECT;
pass:
	c->passed++;
	return XDP_PASS;
}

/* A redirect is only a request: the kernel carries it out after the program returned, and
 * only then finds out whether the interface can take the frame. When it cannot, it fires the
 * tracepoint xdp_redirect_err, on the same CPU, before that CPU runs the program again. A
 * raw tracepoint needs no tracefs; its arguments are (dev, prog, target, err, map_type,
 * map_id, index) since Linux 5.15, and for a device map index is the key we redirected to.
 * Success has a tracepoint too, xdp_redirect, but a program there would run for every frame
 * forwarded: the loader works successes out as attempted - failed instead. */
SEC("raw_tp/xdp_redirect_err")
int redirect_failed(struct bpf_raw_tracepoint_args *args)
{
	__u32 ifindex = args->args[6], *slot;
	struct counters *c;
	__s32 *last;

	if (!out_ports_id || (__u32)args->args[5] != out_ports_id)
		return 0;	/* another program's redirect, or none through our map */
	slot = bpf_map_lookup_elem(&out_slots, &ifindex);
	if (!slot)
		return 0;
	c = bpf_map_lookup_elem(&counters, slot);
	if (c)
		c->failed++;
	last = bpf_map_lookup_elem(&last_error, slot);
	if (last)
		*last = (__s32)args->args[3];
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
