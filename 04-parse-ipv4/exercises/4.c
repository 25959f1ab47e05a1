// SPDX-License-Identifier: GPL-2.0
/* Exercise 4: a bounds check of your own. UDP to port 53 carries a DNS message, which starts
 * with a 12-byte header; its flags' top bit (QR) is 0 in a query and 1 in a response. Queries
 * are dropped and counted under blocked, responses pass as udp, and a datagram to port 53 too
 * short for the DNS header passes as malformed.
 *
 * No helper reads past the UDP header, so the learner proves those bytes are there: in the
 * frame, or the verifier refuses the program (the check then shows its words), and in the
 * datagram -- the frame with Ethernet padding after an empty datagram tells the two apart. The
 * flags with and without RA (the low byte's top bit) tell a missing bpf_htons() apart. */
#include <string.h>
#include <linux/if_ether.h>
#include <netinet/in.h>
#include "counted.h"

#define DNS_PORT	53

static __u8 frame[PKT_MAX];

/* A DNS message: the 12-byte header (ID, flags, one question) and the question for
 * example.com, type A, class IN. */
static void dns_message(__u8 *p, __u16 flags)
{
	static const __u8 question[] = "\7example\3com\0\0\1\0\1";

	memset(p, 0, 12);
	p[0] = 0x12;
	p[1] = 0x34;
	p[2] = flags >> 8;
	p[3] = flags & 0xff;
	p[5] = 1;			/* QDCOUNT: one question */
	memcpy(p + 12, question, sizeof(question) - 1);
}

#define DNS_FULL	(12 + sizeof("\7example\3com\0\0\1\0\1") - 1)

/* UDP sport -> dport with a DNS message of flags, cut to dns_len bytes (the IPv4 and UDP
 * lengths say so too); then the verdict and heading expected. */
static void dns(struct counted *c, __u16 sport, __u16 dport, __u16 flags, __u32 dns_len,
		int vlans, int ihl, __u32 verdict, enum counter want, const char *what)
{
	struct pkt_spec spec;
	__u8 msg[64];
	size_t l4;
	int len;

	pkt_spec_init(&spec, ETH_P_IP, IPPROTO_UDP);
	spec.sport = sport;
	spec.dport = dport;
	spec.vlans = vlans;
	spec.ihl = ihl;
	l4 = pkt_l3_offset(&spec) + (ihl ? ihl : 5) * 4;
	spec.size = l4 + 8 + dns_len;
	len = test_build(&spec, frame);
	dns_message(msg, flags);
	memcpy(frame + l4 + 8, msg, dns_len);	/* the checksum goes stale: no one checks it here */
	expect_counted(c, frame, len, verdict, want, what);
}

int main(void)
{
	struct bpf_object *obj;
	struct pkt_spec spec;
	struct counted c;
	int len;

	exercise_start("Exercise 4: drop DNS queries, with a bounds check of your own");
	counted_load(&c, &obj);
	dns(&c, 40000, DNS_PORT, 0x0100, DNS_FULL, 0, 0, XDP_DROP, COUNT_BLOCKED,
	    "a DNS query (flags 0x0100)");
	dns(&c, 40000, DNS_PORT, 0x0180, DNS_FULL, 0, 0, XDP_DROP, COUNT_BLOCKED,
	    "a DNS query with RA set (flags 0x0180)");
	dns(&c, 53, 40000, 0x8180, DNS_FULL, 0, 0, XDP_PASS, COUNT_UDP,
	    "a DNS response (flags 0x8180), from port 53");
	dns(&c, 40000, DNS_PORT, 0x8180, DNS_FULL, 0, 0, XDP_PASS, COUNT_UDP,
	    "a DNS response (flags 0x8180), to port 53");
	dns(&c, 40000, DNS_PORT, 0x8100, DNS_FULL, 0, 0, XDP_PASS, COUNT_UDP,
	    "a DNS response with RA clear (flags 0x8100)");
	dns(&c, 53, 40000, 0x0100, DNS_FULL, 0, 0, XDP_PASS, COUNT_UDP,
	    "a query from port 53 to port 40000");
	dns(&c, 40000, 54, 0x0100, DNS_FULL, 0, 0, XDP_PASS, COUNT_UDP, "a query to port 54");
	dns(&c, 40000, DNS_PORT, 0x0100, DNS_FULL, 2, 7, XDP_DROP, COUNT_BLOCKED,
	    "a DNS query in two VLAN tags, with IPv4 options");
	dns(&c, 40000, DNS_PORT, 0x0000, 12, 0, 0, XDP_DROP, COUNT_BLOCKED,
	    "a DNS query of the 12-byte header alone");
	dns(&c, 40000, DNS_PORT, 0x0100, 11, 0, 0, XDP_PASS, COUNT_MALFORMED,
	    "11 bytes of a query's header: 1 short");
	dns(&c, 40000, DNS_PORT, 0x0100, 3, 0, 0, XDP_PASS, COUNT_MALFORMED,
	    "3 bytes of a query's header, where the frame ends");

	/* An empty datagram to port 53 in a minimal Ethernet frame: 42 bytes of headers, then 18
	 * bytes of zeros that pad the frame to 60. Read as DNS they would be a query. */
	pkt_spec_init(&spec, ETH_P_IP, IPPROTO_UDP);
	spec.dport = DNS_PORT;
	len = test_build(&spec, frame);
	memset(frame + len, 0, 60 - len);
	expect_counted(&c, frame, 60, XDP_PASS, COUNT_MALFORMED,
		       "an empty datagram to port 53, then 18 bytes of Ethernet padding");
	counted_close(&c, obj);
	return exercise_done();
}
