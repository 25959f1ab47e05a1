// SPDX-License-Identifier: GPL-2.0
/* Exercise 1: block a port. UDP and TCP to port 9 (discard) are dropped and counted under
 * blocked; everything else is as before. The frames around it tell the near misses apart: the
 * ports next to 9, port 9 as the source, and port 2304, which is 9 with its two bytes swapped --
 * what a comparison without bpf_htons() matches on a little-endian machine. */
#include <linux/if_ether.h>
#include <netinet/in.h>
#include "counted.h"

static __u8 frame[PKT_MAX];

static void port(struct counted *c, __u8 proto, __u16 sport, __u16 dport, int vlans, int ihl,
		 __u32 verdict, enum counter want, const char *what)
{
	struct pkt_spec spec;
	int len;

	pkt_spec_init(&spec, ETH_P_IP, proto);
	spec.sport = sport;
	spec.dport = dport;
	spec.vlans = vlans;
	spec.ihl = ihl;
	len = test_build(&spec, frame);
	expect_counted(c, frame, len, verdict, want, what);
}

int main(void)
{
	struct bpf_object *obj;
	struct counted c;

	exercise_start("Exercise 1: drop UDP and TCP to port 9");
	counted_load(&c, &obj);
	port(&c, IPPROTO_UDP, 40000, 9, 0, 0, XDP_DROP, COUNT_BLOCKED, "UDP to port 9");
	port(&c, IPPROTO_UDP, 40000, 8, 0, 0, XDP_PASS, COUNT_UDP, "UDP to port 8");
	port(&c, IPPROTO_UDP, 40000, 10, 0, 0, XDP_PASS, COUNT_UDP, "UDP to port 10");
	port(&c, IPPROTO_UDP, 9, 40000, 0, 0, XDP_PASS, COUNT_UDP, "UDP from port 9 to 40000");
	port(&c, IPPROTO_UDP, 40000, 0x0900, 0, 0, XDP_PASS, COUNT_UDP,
	     "UDP to port 2304 (0x0900: 9 with its bytes swapped)");
	port(&c, IPPROTO_UDP, 40000, 9, 2, 8, XDP_DROP, COUNT_BLOCKED,
	     "UDP to port 9 in two VLAN tags, with IPv4 options");
	port(&c, IPPROTO_TCP, 40000, 9, 0, 0, XDP_DROP, COUNT_BLOCKED, "TCP to port 9");
	port(&c, IPPROTO_TCP, 40000, 80, 0, 0, XDP_PASS, COUNT_TCP, "TCP to port 80");
	port(&c, IPPROTO_TCP, 9, 40000, 0, 0, XDP_PASS, COUNT_TCP, "TCP from port 9 to 40000");
	port(&c, IPPROTO_TCP, 40000, 0x0900, 0, 0, XDP_PASS, COUNT_TCP,
	     "TCP to port 2304 (0x0900: 9 with its bytes swapped)");
	port(&c, IPPROTO_TCP, 40000, 9, 1, 6, XDP_DROP, COUNT_BLOCKED,
	     "TCP to port 9 in a VLAN tag, with IPv4 options");
	port(&c, IPPROTO_ICMP, 0, 0, 0, 0, XDP_PASS, COUNT_ICMP, "a ping (no ports)");
	counted_close(&c, obj);
	return exercise_done();
}
