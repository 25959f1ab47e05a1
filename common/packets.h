/* SPDX-License-Identifier: GPL-2.0 */
/* Frame builders for the unit tests and for lab/xmit: Ethernet with 0-2 VLAN tags, IPv4
 * (with options and fragments), IPv6, ARP, UDP, TCP and ICMP, with valid checksums, plus
 * deliberate damage (a wrong version, IHL or length) for testing parsers. Truncated frames
 * are a built frame with a shorter length. */
#ifndef PACKETS_H
#define PACKETS_H

#include <stdbool.h>
#include <stddef.h>
#include <netinet/in.h>
#include <linux/types.h>

#define PKT_MAX 4096		/* bpf_prog_test_run takes a little less than a page for XDP */

struct pkt_spec {
	__u8 dst_mac[6], src_mac[6];
	int vlans;			/* 0, 1 or 2 tags, outer first */
	__u16 vlan_tpid[2];		/* ETH_P_8021Q or ETH_P_8021AD; 0 means 802.1Q */
	__u16 vlan_id[2];
	__u16 eth_proto;		/* ETH_P_IP, ETH_P_IPV6, ETH_P_ARP, or any other EtherType */

	__u8 ip_proto;			/* IPPROTO_UDP, IPPROTO_TCP, IPPROTO_ICMP(V6), or any */
	struct in_addr saddr, daddr;	/* IPv4, and ARP's sender and target */
	struct in6_addr saddr6, daddr6;
	__u8 ttl;			/* also the IPv6 hop limit */
	__u8 ihl;			/* IPv4 header length in 32-bit words: 0 means 5; 6..15 add
					 * NOP options */
	__u16 frag;			/* IPv4 flags and fragment offset, host order:
					 * IP_MF | (offset / 8) */
	__u16 ip_id;
	__u16 sport, dport;		/* UDP and TCP */
	__u8 tcp_flags;			/* e.g. TH_SYN (0x02) */
	__u8 icmp_type;			/* ICMP echo request (8) or ICMPv6 echo request (128) */
	__u16 icmp_id, icmp_seq;

	__u32 size;			/* the frame's length: payload pads the frame up to it;
					 * 0 or less than the headers gives headers only */

	/* damage, for testing parsers; the checksums stay right for what is written */
	__u8 ip_version;		/* version field; 0 means the right one */
	int len_delta;			/* added to IPv4 total length or IPv6 payload length */
};

/* A spec for eth_proto / ip_proto with the lab's addresses and MACs (lab/lab): from the peer
 * 192.0.2.2 (2001:db8::2) to the host 192.0.2.1 (2001:db8::1), TTL 64, ports 40000 -> 9,
 * echo requests with id 1 and sequence 1, SYN for TCP. */
void pkt_spec_init(struct pkt_spec *s, __u16 eth_proto, __u8 ip_proto);

/* Write the frame into buf. Returns its length, or -1 if it does not fit in cap. */
int pkt_build(const struct pkt_spec *s, void *buf, size_t cap);

/* Where the network header starts: 14 bytes plus 4 per VLAN tag. */
size_t pkt_l3_offset(const struct pkt_spec *s);

/* The Internet checksum (RFC 1071) of len bytes, folded, starting from sum. */
__u16 pkt_csum(const void *data, size_t len, __u32 sum);

/* Whether the IPv4 header at ip (length from its IHL) has a correct checksum. */
bool pkt_ipv4_csum_ok(const void *ip);

/* Parse "aa:bb:cc:dd:ee:ff". Returns 0 or -1. */
int pkt_parse_mac(const char *s, __u8 mac[6]);

#endif
