/* SPDX-License-Identifier: GPL-2.0 */
/* Kernel side: bounds-checked header parsing for XDP programs (lesson 04, and 05 after it).
 *
 * A cursor walks the frame one header at a time. Each parse_*() function first proves that its
 * whole header lies inside the frame -- the verifier refuses to load a program that reads a
 * packet byte it cannot prove is there -- then checks the header's own fields, and only then
 * moves the cursor past it. It returns what comes next (an EtherType, an IP protocol) or the
 * header's length, all >= 0; or PARSE_BAD (-1) when the header is cut short or invalid, and then
 * parsing is over: the cursor may have moved part of the way.
 *
 *	struct hdr_cursor cur;
 *	struct ethhdr *eth;
 *	struct iphdr *iph;
 *
 *	cursor_init(&cur, ctx);
 *	if (parse_ethhdr(&cur, &eth) != bpf_htons(ETH_P_IP))
 *		return XDP_PASS;		// cut short, or not IPv4
 *	if (parse_iphdr(&cur, &iph) < 0)
 *		return XDP_PASS;		// malformed
 *	// iph->saddr, iph->protocol, ... are safe to read here
 *
 * Byte order: header fields are big-endian ("network byte order") in the packet. EtherTypes
 * stay that way: compare them with bpf_htons(ETH_P_IP), which the compiler folds into a
 * constant, instead of converting every packet's field.
 *
 * Everything is static __always_inline: each check then sits in the same function as the reads
 * it guards, which is the easiest case for the verifier and works on every kernel we support.
 */
#ifndef PARSING_H
#define PARSING_H

#include <stdbool.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define PARSE_BAD	-1	/* what a parse_*() returns for a truncated or invalid header */

struct hdr_cursor {
	void *pos;	/* where the next header starts */
	void *end;	/* ctx->data_end: the verifier allows reads only after a check against it */
	__u32 left;	/* bytes from pos to the end of the innermost packet: the whole frame at
			 * first, then what IPv4's total length leaves -- Ethernet pads short
			 * frames, and padding is not part of the datagram */
};

static __always_inline void cursor_init(struct hdr_cursor *c, struct xdp_md *ctx)
{
	c->pos = (void *)(long)ctx->data;
	c->end = (void *)(long)ctx->data_end;
	c->left = ctx->data_end - ctx->data;
}

/* Whether the next len bytes are in the frame and belong to the current packet. The pointer
 * comparison is for the verifier: after it, it knows those bytes can be read through c->pos.
 * The length comparison is for the protocol: Ethernet padding is in the frame, not in the
 * datagram. */
static __always_inline bool cursor_has(const struct hdr_cursor *c, __u32 len)
{
	return c->pos + len <= c->end && len <= c->left;
}

static __always_inline void cursor_advance(struct hdr_cursor *c, __u32 len)
{
	c->pos += len;
	c->left -= len;
}

/* An 802.1Q or 802.1ad tag: it sits where the EtherType was, and ends with the real one. The
 * kernel keeps this struct out of its UAPI headers, so we spell it out. */
struct vlan_hdr {
	__be16 h_vlan_TCI;			/* priority (3 bits), DEI (1), VLAN ID (12) */
	__be16 h_vlan_encapsulated_proto;	/* the EtherType of what follows */
};

#define VLAN_MAX_DEPTH	2		/* a customer tag inside a provider tag ("QinQ") */

static __always_inline bool eth_type_is_vlan(__be16 eth_type)
{
	return eth_type == bpf_htons(ETH_P_8021Q) || eth_type == bpf_htons(ETH_P_8021AD);
}

/* The Ethernet header and up to VLAN_MAX_DEPTH VLAN tags after it. Returns the EtherType that
 * follows them, in network byte order; after a third tag that is the tag's own type (0x8100 or
 * 0x88a8), for the caller to treat as an EtherType it does not know. */
static __always_inline int parse_ethhdr(struct hdr_cursor *c, struct ethhdr **ethhdr)
{
	struct ethhdr *eth = c->pos;
	struct vlan_hdr *vh;
	__be16 eth_type;
	int i;

	if (!cursor_has(c, sizeof(*eth)))
		return PARSE_BAD;
	eth_type = eth->h_proto;
	cursor_advance(c, sizeof(*eth));
	/* A constant bound: the compiler unrolls the loop, and the verifier sees a separate bounds
	 * check before each tag is read. */
#pragma unroll
	for (i = 0; i < VLAN_MAX_DEPTH; i++) {
		if (!eth_type_is_vlan(eth_type))
			break;
		vh = c->pos;
		if (!cursor_has(c, sizeof(*vh)))
			return PARSE_BAD;
		eth_type = vh->h_vlan_encapsulated_proto;
		cursor_advance(c, sizeof(*vh));
	}
	*ethhdr = eth;
	return eth_type;
}

/* IPv4: the header must say version 4, its length (IHL, in 32-bit words) must cover at least
 * the 20 fixed bytes, and the total length must cover the header and fit in the frame. The
 * cursor moves past the options to the transport header, and from then on counts only the
 * datagram's bytes. Returns the protocol that follows (IPPROTO_TCP, ...). */
static __always_inline int parse_iphdr(struct hdr_cursor *c, struct iphdr **iphdr)
{
	struct iphdr *iph = c->pos;
	__u32 hdr_len, tot_len;

	/* the fixed part first: the fields that give the real lengths are in it */
	if (!cursor_has(c, sizeof(*iph)))
		return PARSE_BAD;
	if (iph->version != 4)
		return PARSE_BAD;
	hdr_len = iph->ihl * 4;
	if (hdr_len < sizeof(*iph))
		return PARSE_BAD;
	/* The options are skipped, never read, so the verifier needs no check for them; this one
	 * proves the whole header, options included, and the datagram are in the frame. */
	tot_len = bpf_ntohs(iph->tot_len);
	if (tot_len < hdr_len || tot_len > c->left)
		return PARSE_BAD;
	c->pos += hdr_len;
	c->left = tot_len - hdr_len;
	*iphdr = iph;
	return iph->protocol;
}

/* The fragment offset: where this fragment's data goes in the datagram, in 8-byte units. The
 * 3 bits above it are flags: 0x2000 "more fragments follow", 0x4000 "don't fragment". */
#define IPV4_OFFSET	0x1fff

/* A fragment other than the first: its data continues a transport header and payload that
 * began in the first fragment, so it has no transport header of its own to parse. */
static __always_inline bool ipv4_is_later_fragment(const struct iphdr *iph)
{
	return (iph->frag_off & bpf_htons(IPV4_OFFSET)) != 0;
}

/* TCP: the data offset (in 32-bit words) must cover the 20 fixed bytes, and the whole header,
 * options included, must be in the datagram. Returns the header's length. */
static __always_inline int parse_tcphdr(struct hdr_cursor *c, struct tcphdr **tcphdr)
{
	struct tcphdr *th = c->pos;
	__u32 len;

	if (!cursor_has(c, sizeof(*th)))
		return PARSE_BAD;
	len = th->doff * 4;
	/* The options are not read: this check is for the protocol, not for the verifier. */
	if (len < sizeof(*th) || !cursor_has(c, len))
		return PARSE_BAD;
	cursor_advance(c, len);
	*tcphdr = th;
	return len;
}

static __always_inline int parse_udphdr(struct hdr_cursor *c, struct udphdr **udphdr)
{
	struct udphdr *uh = c->pos;

	if (!cursor_has(c, sizeof(*uh)))
		return PARSE_BAD;
	cursor_advance(c, sizeof(*uh));
	*udphdr = uh;
	return sizeof(*uh);
}

/* ICMP's fixed 8 bytes. linux/icmp.h has them as struct icmphdr, but it includes linux/if.h,
 * which wants the C library's sys/socket.h -- and a BPF program has no C library. */
struct icmp_hdr {
	__u8 type;		/* 8 echo request, 0 echo reply, 3 destination unreachable, ... */
	__u8 code;
	__sum16 checksum;
	__be32 rest;		/* by type: an echo's identifier and sequence number, ... */
};

static __always_inline int parse_icmphdr(struct hdr_cursor *c, struct icmp_hdr **icmphdr)
{
	struct icmp_hdr *ih = c->pos;

	if (!cursor_has(c, sizeof(*ih)))
		return PARSE_BAD;
	cursor_advance(c, sizeof(*ih));
	*icmphdr = ih;
	return sizeof(*ih);
}

#endif
