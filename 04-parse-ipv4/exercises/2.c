// SPDX-License-Identifier: GPL-2.0
/* Exercise 2: parse IPv6. IPv6 TCP and UDP are counted under tcp and udp, other IPv6 under
 * ipv6, and an IPv6 header that is cut short, says another version, or claims more payload
 * than the frame holds, under malformed; all of them pass. The frames probe each check the task
 * asks for: the 40 bytes, the version, payload_len against the frame (read in the host's byte
 * order), and the payload length as the new end of the packet -- a UDP or TCP header beyond it
 * is not in the datagram, even when the frame goes on. */
#include <linux/if_ether.h>
#include <netinet/in.h>
#include "counted.h"

static __u8 frame[PKT_MAX];

/* An IPv6 frame: proto after the IPv6 header, size bytes in all (0: headers only), payload_len
 * off by delta, cut to cut bytes if cut > 0. */
static void v6(struct counted *c, __u8 proto, int vlans, __u32 size, int delta, int cut,
	       __u8 version, enum counter want, const char *what)
{
	struct pkt_spec spec;
	int len;

	pkt_spec_init(&spec, ETH_P_IPV6, proto);
	spec.dport = 5000;		/* not 9: exercise 1 blocks that one */
	spec.icmp_type = 128;		/* ICMPv6 echo request */
	spec.vlans = vlans;
	spec.size = size;
	spec.len_delta = delta;
	spec.ip_version = version;
	len = test_build(&spec, frame);
	if (cut > 0)
		len = cut;
	expect_counted(c, frame, len, XDP_PASS, want, what);
}

int main(void)
{
	struct bpf_object *obj;
	struct counted c;

	exercise_start("Exercise 2: parse IPv6, count its TCP and UDP");
	counted_load(&c, &obj);
	v6(&c, IPPROTO_UDP, 0, 0, 0, 0, 0, COUNT_UDP, "IPv6 UDP, headers only (payload_len 8)");
	v6(&c, IPPROTO_UDP, 0, 200, 0, 0, 0, COUNT_UDP, "IPv6 UDP in a 200-byte frame");
	v6(&c, IPPROTO_TCP, 0, 0, 0, 0, 0, COUNT_TCP, "IPv6 TCP SYN");
	v6(&c, IPPROTO_UDP, 2, 0, 0, 0, 0, COUNT_UDP, "IPv6 UDP in two VLAN tags");
	v6(&c, IPPROTO_ICMPV6, 0, 0, 0, 0, 0, COUNT_IPV6, "IPv6 ICMPv6 echo request");
	v6(&c, 0, 0, 0, 0, 0, 0, COUNT_IPV6, "IPv6 with a hop-by-hop header next");
	v6(&c, IPPROTO_UDP, 0, 80, -6, 0, 0, COUNT_UDP,
	   "IPv6 UDP, then 6 bytes of Ethernet trailer (payload_len 6 short of the frame)");
	v6(&c, IPPROTO_UDP, 0, 0, 0, 14 + 39, 0, COUNT_MALFORMED,
	   "IPv6 cut 1 byte short of its 40-byte header");
	v6(&c, IPPROTO_UDP, 0, 0, 0, 0, 4, COUNT_MALFORMED, "IPv6 header saying version 4");
	v6(&c, IPPROTO_UDP, 0, 100, 1, 0, 0, COUNT_MALFORMED,
	   "IPv6 UDP whose payload_len is 1 byte more than the frame holds");
	v6(&c, IPPROTO_UDP, 0, 0, 0, 14 + 40 + 4, 0, COUNT_MALFORMED,
	   "IPv6 UDP cut 4 bytes into the UDP header");
	v6(&c, IPPROTO_UDP, 0, 0, -4, 0, 0, COUNT_MALFORMED,
	   "IPv6 UDP, payload_len 4: the UDP header is not in the payload, though in the frame");
	v6(&c, IPPROTO_TCP, 0, 0, -1, 0, 0, COUNT_MALFORMED,
	   "IPv6 TCP, payload_len 19: the TCP header is not in the payload, though in the frame");
	counted_close(&c, obj);
	return exercise_done();
}
