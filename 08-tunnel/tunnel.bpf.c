// SPDX-License-Identifier: GPL-2.0
/* 08: change a packet's size. Every lesson so far left the frame as long as it came; a tunnel
 * endpoint wraps it in new headers on the way out and unwraps it on the way in. This is one
 * for VXLAN (RFC 7348), whose far end is the Linux kernel's own vxlan device:
 *
 *	encap, on the LAN port: an IPv4 frame for the hosts behind the tunnel gets 50 bytes in
 *	front -- outer Ethernet, IPv4, UDP, VXLAN -- and leaves through the wire;
 *	decap, on the wire: VXLAN from the far end, to our port and VNI, loses those 50 bytes,
 *	and the frame inside leaves through the LAN port.
 *
 * bpf_xdp_adjust_head() moves the frame's start: a negative delta makes room in front, a
 * positive one drops bytes from the front. bpf_xdp_adjust_tail() moves its end. After either,
 * the verifier forgets every packet pointer the program held: each must be derived again from
 * ctx->data and checked against ctx->data_end before the next read or write. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "parsing.h"
#include "tunnel.h"

#define IPV4_DF		0x4000	/* "don't fragment" */
#define IPV4_MF		0x2000	/* "more fragments" */
#define OUTER_TTL	64	/* Linux's default, as the kernel's vxlan device uses */

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, TUNNEL_MAX);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

/* Written by the loader before it loads the program: constants to the verifier. */
const volatile struct tunnel_config cfg;

static __always_inline int count(__u32 what, int verdict)
{
	__u64 *n = bpf_map_lookup_elem(&counters, &what);

	if (n)
		(*n)++;
	return verdict;
}

static __always_inline void copy_mac(__u8 *dst, const volatile __u8 *src)
{
	int i;

	for (i = 0; i < ETH_ALEN; i++)
		dst[i] = src[i];
}

static __always_inline bool is_fragment(const struct iphdr *iph)
{
	return iph->frag_off & bpf_htons(IPV4_MF | IPV4_OFFSET);
}

/* The outer UDP source port, from a hash of the inner flow, as RFC 7348 (section 5) advises:
 * the routers on the way spread traffic over equal paths by the outer headers, which are the
 * same for every flow in one tunnel but for this port. One flow keeps one port, so its packets
 * stay in order on one path. The result is in the dynamic range, 49152-65535, as the RFC says.
 * Multiply and shift: every input bit moves many output bits. XDP has no helper that hashes a
 * flow (bpf_get_hash_recalc() wants an sk_buff), so we mix the words ourselves. */
static __always_inline __be16 hash_port(__be32 saddr, __be32 daddr, __u32 proto, __u32 ports)
{
	__u32 h;

	h = (saddr ^ 0x9e3779b9) * 0x85ebca6b;
	h = (h ^ (h >> 15) ^ daddr) * 0xc2b2ae35;
	h = (h ^ (h >> 13) ^ ports) * 0x85ebca6b;
	h = (h ^ (h >> 16) ^ proto) * 0xc2b2ae35;
	h ^= h >> 16;
	return bpf_htons(0xc000 | (h & 0x3fff));
}

/* An IPv4 packet's flow: its addresses and protocol, and its ports for TCP and UDP -- but not
 * in fragments: all the pieces of a datagram must take one path, and only the first has
 * ports. cur is past the IPv4 header. */
static __always_inline __be16 flow_port(const struct hdr_cursor *cur, const struct iphdr *iph)
{
	__u32 ports = 0;

	if ((iph->protocol == IPPROTO_TCP || iph->protocol == IPPROTO_UDP) &&
	    !is_fragment(iph) && cursor_has(cur, sizeof(ports)))
		ports = *(__u32 *)cur->pos;
	return hash_port(iph->saddr, iph->daddr, iph->protocol, ports);
}

/* The IPv4 header checksum, summed from scratch over a header we just wrote (RFC 1071): the
 * one's complement of the one's complement sum of its ten 16-bit words, the checksum's own
 * word counted as 0. Unlike 05's update of one word, there is no old checksum to start from.
 * (bpf_csum_diff() would do the summing; ten additions show what it is.) */
static __always_inline __sum16 ipv4_csum(const struct iphdr *iph)
{
	const __u16 *word = (const __u16 *)iph;
	__u32 sum = 0;
	int i;

	for (i = 0; i < (int)sizeof(*iph) / 2; i++)
		sum += word[i];
	/* ten words sum to less than 2^20: two folds bring every carry back in */
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__sum16)~sum;
}

/* Put the frame in the tunnel: outer headers in front, Ethernet padding off the tail, out of
 * the wire. The frame carries inner_len bytes of real data; tos and sport were read from its
 * headers before the call -- this function moves the frame, and every pointer into it dies. */
static __always_inline int wrap(struct xdp_md *ctx, __u32 inner_len, __u8 tos, __be16 sport)
{
	__u32 frame_len = ctx->data_end - ctx->data;
	void *data, *data_end;
	struct ethhdr *eth;
	struct iphdr *iph;
	struct udphdr *udph;
	struct vxlan_hdr *vxh;

	/* A frame shorter than 60 bytes arrives padded to 60 from a real NIC. The padding is not
	 * part of the datagram: off with it, at the tail, before it goes into the tunnel. Should
	 * the driver refuse (on a Pi 3B+ in generic mode adjust_tail failed every time:
	 * raspberrypi/linux#4948), the padding goes along: harmless, as the inner IPv4 header
	 * says where the datagram ends. */
	if (frame_len > inner_len && !bpf_xdp_adjust_tail(ctx, -(int)(frame_len - inner_len)))
		frame_len = inner_len;
	/* Room for the outer headers, in front. This can fail too (a driver that leaves no
	 * headroom): then the stack gets the frame as it came, less any padding. */
	if (bpf_xdp_adjust_head(ctx, -VXLAN_OVERHEAD))
		return count(TUNNEL_PASSED, XDP_PASS);

	/* Every pointer again, from the new ctx->data, and one check that covers them all. */
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	eth = data;
	iph = (void *)(eth + 1);
	udph = (void *)(iph + 1);
	vxh = (void *)(udph + 1);
	if ((void *)(vxh + 1) + ETH_HLEN > data_end)
		return XDP_ABORTED;

	copy_mac(eth->h_dest, cfg.next_hop_mac);
	copy_mac(eth->h_source, cfg.wire_mac);
	eth->h_proto = bpf_htons(ETH_P_IP);

	iph->version = 4;
	iph->ihl = sizeof(*iph) / 4;
	/* The inner TOS, ECN bits included: congestion marks on the way reach the far end,
	 * which copies them to the inner header (RFC 6040). */
	iph->tos = tos;
	iph->tot_len = bpf_htons(frame_len + VXLAN_OVERHEAD - ETH_HLEN);
	/* DF: RFC 7348 forbids fragmenting VXLAN on the way. An unfragmentable packet needs no
	 * identification (RFC 6864): 0. */
	iph->id = 0;
	iph->frag_off = bpf_htons(IPV4_DF);
	iph->ttl = OUTER_TTL;
	iph->protocol = IPPROTO_UDP;
	iph->saddr = cfg.local;
	iph->daddr = cfg.remote;
	iph->check = 0;
	iph->check = ipv4_csum(iph);

	udph->source = sport;
	udph->dest = bpf_htons(cfg.port);
	udph->len = bpf_htons(frame_len + sizeof(*udph) + sizeof(*vxh));
	/* 0: no checksum, which IPv4 allows and RFC 7348 recommends -- the inner frame carries
	 * its own, and summing it all would cost what a tunnel in XDP saves. */
	udph->check = 0;

	vxh->flags = VXLAN_FLAG_I;
	vxh->reserved1[0] = vxh->reserved1[1] = vxh->reserved1[2] = 0;
	vxh->vni[0] = cfg.vni >> 16;
	vxh->vni[1] = cfg.vni >> 8;
	vxh->vni[2] = cfg.vni;
	vxh->reserved2 = 0;

	count(TUNNEL_ENCAP, 0);
	return bpf_redirect(cfg.wire_ifindex, 0);
}

SEC("xdp")
int encap(struct xdp_md *ctx)
{
	struct hdr_cursor cur;
	struct ethhdr *eth;
	struct iphdr *iph;

	cursor_init(&cur, ctx);
	/* untagged IPv4 to the hosts behind the tunnel; anything else is the stack's */
	if (parse_ethhdr(&cur, &eth) != bpf_htons(ETH_P_IP) ||
	    eth->h_proto != bpf_htons(ETH_P_IP) || parse_iphdr(&cur, &iph) == PARSE_BAD ||
	    (iph->daddr & cfg.mask) != cfg.net)
		return count(TUNNEL_PASSED, XDP_PASS);
	/* With 50 bytes more it would not fit the wire: the far end would never see it. The
	 * hosts must send less -- an MTU of cfg.inner_mtu on their side (README.md). */
	if (bpf_ntohs(iph->tot_len) > cfg.inner_mtu)
		return count(TUNNEL_TOO_BIG, XDP_PASS);
	/* All wrap() needs from the inner headers, read now: the pointers die in it. */
	return wrap(ctx, ETH_HLEN + bpf_ntohs(iph->tot_len), iph->tos, flow_port(&cur, iph));
}

SEC("xdp")
int decap(struct xdp_md *ctx)
{
	__u32 frame_len = ctx->data_end - ctx->data, outer_len;
	struct hdr_cursor cur;
	struct ethhdr *eth;
	struct iphdr *iph;
	struct udphdr *udph;
	struct vxlan_hdr *vxh;
	int i;

	cursor_init(&cur, ctx);
	if (parse_ethhdr(&cur, &eth) != bpf_htons(ETH_P_IP) || eth->h_proto != bpf_htons(ETH_P_IP))
		return count(TUNNEL_PASSED, XDP_PASS);
	for (i = 0; i < ETH_ALEN; i++)
		if (eth->h_dest[i] != cfg.wire_mac[i])
			return count(TUNNEL_PASSED, XDP_PASS);
	/* From the far end to us, in one piece, with the 20-byte header we strip: the 50 bytes
	 * must be exactly the outer headers. (A fragment is the stack's to put together.) */
	if (parse_iphdr(&cur, &iph) != IPPROTO_UDP || iph->ihl != 5 || is_fragment(iph) ||
	    iph->daddr != cfg.local || iph->saddr != cfg.remote)
		return count(TUNNEL_PASSED, XDP_PASS);
	/* VXLAN to our port, its length what IPv4 says, the I flag, our VNI, a whole inner
	 * Ethernet header after it. */
	if (parse_udphdr(&cur, &udph) == PARSE_BAD || udph->dest != bpf_htons(cfg.port) ||
	    bpf_ntohs(udph->len) != sizeof(*udph) + cur.left)
		return count(TUNNEL_PASSED, XDP_PASS);
	vxh = cur.pos;
	if (!cursor_has(&cur, sizeof(*vxh) + ETH_HLEN) || !(vxh->flags & VXLAN_FLAG_I) ||
	    vxh->vni[0] != (__u8)(cfg.vni >> 16) || vxh->vni[1] != (__u8)(cfg.vni >> 8) ||
	    vxh->vni[2] != (__u8)cfg.vni)
		return count(TUNNEL_PASSED, XDP_PASS);
	outer_len = ETH_HLEN + bpf_ntohs(iph->tot_len);

	/* Off with the outer headers: the frame now starts at the inner Ethernet header. */
	if (bpf_xdp_adjust_head(ctx, VXLAN_OVERHEAD))
		return count(TUNNEL_PASSED, XDP_PASS);
	/* and off with any padding behind the outer packet, which the inner frame never had; if
	 * the driver refuses, the inner frame keeps it, as a frame with padding of its own */
	if (frame_len > outer_len)
		bpf_xdp_adjust_tail(ctx, -(int)(frame_len - outer_len));
	count(TUNNEL_DECAP, 0);
	return bpf_redirect(cfg.lan_ifindex, 0);
}

char LICENSE[] SEC("license") = "GPL";
