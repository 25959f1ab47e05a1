// SPDX-License-Identifier: GPL-2.0
/* Exercise 2: a capture filter in the program, tcpdump's "udp port 53". The learner's capture
 * keeps only UDP over IPv4 to or from port 53 (DNS), behind up to two VLAN tags, and captures
 * those whole; TCP to port 53, other ports and other protocols it does not capture. The frames
 * around it tell the near misses apart: port 13568, which is 53 with its two bytes swapped, the
 * answers from port 53, and an IPv4 fragment whose data has 53 where a destination port would
 * be (a later fragment has no UDP header). IPv6 is not judged: either way is right. Every frame
 * passes, as before. Each runs through the learner's program with bpf_prog_test_run_opts. */
#include <linux/if_ether.h>
#include <netinet/in.h>
#include "capture_check.h"

static __u8 frame[PKT_MAX];

static void one(struct capture_check *c, __u8 proto, __u16 sport, __u16 dport, int vlans,
		bool kept, const char *what)
{
	struct pkt_spec s;
	int len;

	pkt_spec_init(&s, ETH_P_IP, proto);
	s.sport = sport;
	s.dport = dport;
	s.vlans = vlans;
	s.ihl = vlans ? 7 : 0;		/* options, with the tags: the UDP header further in */
	s.size = 120;
	len = test_build(&s, frame);
	expect_capture(c, frame, len, kept ? len : 0, what);
}

int main(void)
{
	struct capture_check c;
	struct pkt_spec s;
	int len;

	exercise_start("Exercise 2: capture only DNS (udp port 53), in the program");
	check_load(&c);
	one(&c, IPPROTO_UDP, 40000, 53, 0, true, "UDP from port 40000 to 53, a question");
	one(&c, IPPROTO_UDP, 53, 40000, 0, true, "UDP from port 53 to 40000, its answer");
	one(&c, IPPROTO_UDP, 40000, 53, 2, true,
	    "UDP to port 53 in two VLAN tags, with IPv4 options");
	one(&c, IPPROTO_UDP, 53, 53, 0, true, "UDP from port 53 to 53");
	one(&c, IPPROTO_UDP, 40000, 5353, 0, false, "UDP to port 5353 (mDNS)");
	one(&c, IPPROTO_UDP, 40000, 54, 0, false, "UDP to port 54");
	one(&c, IPPROTO_UDP, 40000, 0x3500, 0, false,
	    "UDP to port 13568 (0x3500: 53 with its bytes swapped)");
	one(&c, IPPROTO_UDP, 0x3500, 40000, 0, false, "UDP from port 13568 to 40000");
	one(&c, IPPROTO_TCP, 40000, 53, 0, false, "TCP to port 53");
	one(&c, IPPROTO_TCP, 53, 40000, 0, false, "TCP from port 53");
	one(&c, IPPROTO_ICMP, 0, 0, 0, false, "a ping");

	pkt_spec_init(&s, ETH_P_ARP, 0);
	len = test_build(&s, frame);
	expect_capture(&c, frame, len, 0, "an ARP request");
	pkt_spec_init(&s, ETH_P_IP, IPPROTO_UDP);
	s.frag = 185;			/* at 1480 bytes into the datagram: no UDP header here */
	s.size = 200;
	len = test_build(&s, frame);
	frame[14 + 20 + 2] = 0;		/* where a destination port would be: 53 */
	frame[14 + 20 + 3] = 53;
	expect_capture(&c, frame, len, 0,
		       "a later UDP fragment, 53 where a destination port would be");
	check_close(&c);
	return exercise_done();
}
