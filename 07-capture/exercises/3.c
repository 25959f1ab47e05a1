// SPDX-License-Identifier: GPL-2.0
/* Exercise 3: headers only, a snap length for each frame. The learner's capture cuts each IPv4
 * frame where its payload starts: after the UDP header, the TCP header with its options, or
 * ICMP's 8 bytes, behind the Ethernet header, its VLAN tags and the IPv4 header with its
 * options; for a later fragment, or another protocol, after the IPv4 header. Any other frame,
 * and one that 04's parser would count as malformed, is captured as before: whole. The sample's
 * length field stays the frame's real length. Each frame runs through the learner's program with
 * bpf_prog_test_run_opts. */
#include <linux/if_ether.h>
#include <netinet/in.h>
#include "capture_check.h"

static __u8 frame[PKT_MAX];

static struct pkt_spec spec(__u16 eth_proto, __u8 ip_proto, __u32 size, int vlans, int ihl)
{
	struct pkt_spec s;

	pkt_spec_init(&s, eth_proto, ip_proto);
	s.size = size;
	s.vlans = vlans;
	s.ihl = ihl;
	return s;
}

/* The frame of s must leave a sample of its first cap bytes (0: all of them). */
static void one(struct capture_check *c, struct pkt_spec s, __u32 cap, const char *what)
{
	int len = test_build(&s, frame);

	expect_capture(c, frame, len, cap ? cap : (__u32)len, what);
}

int main(void)
{
	struct capture_check c;
	struct pkt_spec s;
	int len;

	exercise_start("Exercise 3: headers only, a snap length for each frame");
	check_load(&c);
	one(&c, spec(ETH_P_IP, IPPROTO_UDP, 1000, 0, 0), 14 + 20 + 8, "UDP, 1000 bytes");
	one(&c, spec(ETH_P_IP, IPPROTO_UDP, 1000, 2, 8), 14 + 8 + 32 + 8,
	    "UDP in two VLAN tags, with 12 bytes of IPv4 options");
	one(&c, spec(ETH_P_IP, IPPROTO_TCP, 200, 0, 0), 14 + 20 + 20, "TCP, 200 bytes");
	s = spec(ETH_P_IP, IPPROTO_TCP, 200, 1, 0);
	len = test_build(&s, frame);
	frame[18 + 20 + 12] = 0x80;	/* data offset 8: 12 bytes of options (payload bytes) */
	expect_capture(&c, frame, len, 18 + 20 + 32,
		       "TCP in a VLAN tag, its header 32 bytes long with options");
	one(&c, spec(ETH_P_IP, IPPROTO_ICMP, 98, 0, 0), 14 + 20 + 8, "a ping, 98 bytes");
	one(&c, spec(ETH_P_IP, IPPROTO_UDP, 60, 0, 0), 14 + 20 + 8,
	    "UDP, 60 bytes: 18 of them payload");
	one(&c, spec(ETH_P_IP, IPPROTO_UDP, 0, 0, 0), 0, "UDP with no payload: whole");
	s = spec(ETH_P_IP, IPPROTO_UDP, 500, 0, 6);
	s.frag = 185;			/* at 1480 bytes into the datagram: no UDP header */
	one(&c, s, 14 + 24, "a later fragment, 500 bytes: up to the end of its IPv4 header");
	one(&c, spec(ETH_P_IP, 47, 300, 0, 0), 14 + 20, "GRE (protocol 47), 300 bytes");
	one(&c, spec(ETH_P_ARP, 0, 0, 0, 0), 0, "an ARP request: whole");
	one(&c, spec(0x88b5, 0, 100, 0, 0), 0, "EtherType 0x88b5, 100 bytes: whole");
	s = spec(ETH_P_IP, IPPROTO_TCP, 200, 0, 0);
	s.len_delta = -(200 - 14 - 30);	/* the datagram: 20 + 10 bytes, the rest padding */
	one(&c, s, 0, "TCP cut short by its total length (malformed): whole");
	check_close(&c);
	return exercise_done();
}
