// SPDX-License-Identifier: GPL-2.0
/* Exercise 1: capture only what lesson 04 counts as malformed. The learner's capture keeps a
 * frame only when 04's parser, walking it with common/parsing.h, would count it as malformed
 * (its blocklist aside): an Ethernet header or VLAN tag cut short; an IPv4 header that is cut
 * short or has the wrong version, IHL or total length; a TCP, UDP or ICMP header cut short or,
 * for TCP, with a data offset under 20 bytes. Those it captures whole; well-formed frames of
 * every kind it does not capture. Every frame passes, as before. Each runs through the
 * learner's program with bpf_prog_test_run_opts. */
#include <linux/if_ether.h>
#include <netinet/in.h>
#include "capture_check.h"

static __u8 frame[PKT_MAX];

/* A spec for this protocol with these many bytes (0: just the headers), for the changes below. */
static struct pkt_spec spec(__u16 eth_proto, __u8 ip_proto, __u32 size)
{
	struct pkt_spec s;

	pkt_spec_init(&s, eth_proto, ip_proto);
	s.size = size;
	return s;
}

/* The frame of s, cut to len bytes (0: not cut), must be captured whole (kept) or not at all. */
static void one(struct capture_check *c, struct pkt_spec s, __u32 len, bool kept, const char *what)
{
	int built = test_build(&s, frame);

	if (!len)
		len = built;
	expect_capture(c, frame, len, kept ? len : 0, what);
}

/* The same, with the byte at offset at set to value first: a field the builder writes right. */
static void poked(struct capture_check *c, struct pkt_spec s, __u32 at, __u8 value,
		  const char *what)
{
	int len = test_build(&s, frame);

	frame[at] = value;
	expect_capture(c, frame, len, len, what);
}

int main(void)
{
	struct capture_check c;
	struct pkt_spec s;

	exercise_start("Exercise 1: capture only what lesson 04 counts as malformed");
	check_load(&c);

	one(&c, spec(ETH_P_IP, IPPROTO_UDP, 100), 0, false, "UDP/IPv4, 100 bytes");
	one(&c, spec(ETH_P_IP, IPPROTO_TCP, 0), 0, false, "a TCP SYN");
	one(&c, spec(ETH_P_IP, IPPROTO_ICMP, 98), 0, false, "a ping");
	one(&c, spec(ETH_P_ARP, 0, 0), 0, false, "an ARP request");
	one(&c, spec(ETH_P_IPV6, IPPROTO_UDP, 200), 0, false, "UDP/IPv6");
	s = spec(ETH_P_IP, IPPROTO_UDP, 300);
	s.vlans = 2;
	s.ihl = 8;
	one(&c, s, 0, false, "UDP in two VLAN tags, with IPv4 options");
	s = spec(ETH_P_IP, IPPROTO_UDP, 60);
	s.len_delta = -18;		/* a 28-byte datagram, and 18 bytes of padding */
	one(&c, s, 0, false, "UDP padded to 60 bytes (the padding is not the datagram's)");
	s = spec(ETH_P_IP, IPPROTO_UDP, 14 + 20 + 4);
	s.frag = 1;			/* at 8 bytes into the datagram: no UDP header here */
	one(&c, s, 0, false, "a later fragment with 4 bytes of data (no UDP header to parse)");

	s = spec(ETH_P_IP, IPPROTO_UDP, 0);
	s.vlans = 1;
	one(&c, s, 16, true, "a VLAN tag cut short (16 bytes)");
	one(&c, spec(ETH_P_IP, IPPROTO_UDP, 100), 20, true,
	    "IPv4 cut short inside its header (20 bytes)");
	s = spec(ETH_P_IP, IPPROTO_UDP, 100);
	s.ip_version = 6;
	one(&c, s, 0, true, "IPv4 with version 6 in its header");
	poked(&c, spec(ETH_P_IP, IPPROTO_UDP, 100), 14, 0x44, "IPv4 with IHL 4 (16 bytes)");
	s = spec(ETH_P_IP, IPPROTO_UDP, 100);
	s.len_delta = 10;
	one(&c, s, 0, true, "IPv4 whose total length runs 10 bytes past the frame");
	s = spec(ETH_P_IP, IPPROTO_TCP, 0);
	s.len_delta = -8;
	one(&c, s, 14 + 20 + 12, true,
	    "a TCP header cut short: 12 of its 20 bytes, the total length says so");
	poked(&c, spec(ETH_P_IP, IPPROTO_TCP, 0), 14 + 20 + 12, 0x40,
	      "TCP with a data offset of 16 bytes");
	s = spec(ETH_P_IP, IPPROTO_UDP, 0);
	s.vlans = 2;
	s.len_delta = -4;
	one(&c, s, 0, true, "a 4-byte UDP header by the total length, in two VLAN tags");
	s = spec(ETH_P_IP, IPPROTO_ICMP, 98);
	s.len_delta = -(98 - 14 - 24);
	one(&c, s, 0, true, "a 4-byte ICMP header by the total length, in a 98-byte frame");
	check_close(&c);
	return exercise_done();
}
