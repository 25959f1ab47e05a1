// SPDX-License-Identifier: GPL-2.0
/* Exercise 3: echo in the XDP program itself. The learner's xsk_echo.bpf.o answers IPv4
 * datagrams for port 7 with XDP_TX: MACs, IP addresses and UDP ports swapped, every other byte
 * as it came (TTL included), both checksums still valid. IPv6 datagrams still go to the socket
 * (XDP_REDIRECT), other ports to the stack. Run with bpf_prog_test_run_opts in a network
 * namespace of its own, with an AF_XDP socket on its lo in the XSKMAP. */
#define _GNU_SOURCE		/* unshare */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include "exercise.h"
#include "xsk_test.h"

static __u8 frame[PKT_MAX], want[PKT_MAX];
static struct xdp_result res;

static void spec(struct pkt_spec *s, __u16 proto, int vlans, __u32 size)
{
	pkt_spec_init(s, proto, IPPROTO_UDP);
	s->dport = 7;
	s->sport = 40123;
	s->vlans = vlans;
	s->vlan_id[0] = 10;
	s->size = size;
}

static const char *differ(size_t at, size_t n)
{
	return memcmp(res.data + at, want + at, n) ? "WRONG" : "ok";
}

/* The request s must come back as XDP_TX, turned into its answer. */
static void answered(int fd, struct pkt_spec *s, const char *what)
{
	struct pkt_spec r = *s;
	char got[128];
	int len = test_build(s, frame), wlen, err;
	size_t l3 = pkt_l3_offset(s);
	__u16 port;

	memcpy(r.dst_mac, s->src_mac, 6);
	memcpy(r.src_mac, s->dst_mac, 6);
	r.saddr = s->daddr;
	r.daddr = s->saddr;
	port = r.sport;
	r.sport = r.dport;
	r.dport = port;
	wlen = test_build(&r, want);
	err = xdp_run(fd, 1, frame, len, &res);
	if (err)
		snprintf(got, sizeof(got), "a refused test run (%s)", strerror(-err));
	else if (res.verdict != XDP_TX)
		snprintf(got, sizeof(got), "%s", xdp_action_name(res.verdict));
	else if (res.len != (__u32)wlen || memcmp(res.data, want, wlen))
		snprintf(got, sizeof(got), "XDP_TX, but MACs %s, addresses %s, ports %s, TTL %s, "
			 "%s", differ(0, 12), differ(l3 + 12, 8), differ(l3 + 20, 4),
			 differ(l3 + 8, 1), res.len != (__u32)wlen ? "length changed" :
			 "same length");
	else
		snprintf(got, sizeof(got), "XDP_TX, the answer");
	expect_str(what, "XDP_TX, the answer", got);
}

int main(void)
{
	struct bpf_object *obj;
	struct bpf_map *xsks;
	struct xsk_test sock;
	struct pkt_spec s;
	int fd, err, len;

	exercise_start("Exercise 3: echo in the XDP program itself (XDP_TX)");
	/* a namespace of our own: the socket binds to its lo, not to this machine's */
	if (unshare(CLONE_NEWNET)) {
		printf("  cannot make a network namespace: %s\n", strerror(errno));
		return 1;
	}
	fd = exercise_load("xsk_echo", "xsk_echo", &obj);
	xsks = bpf_object__find_map_by_name(obj, "xsks");
	err = xsks ? xsk_test_open(&sock, "lo", 0, bpf_map__fd(xsks)) : -ENOENT;
	if (err) {
		printf("  WRONG  an AF_XDP socket in the map xsks, as shipped: %s\n",
		       strerror(-err));
		bpf_object__close(obj);
		return 1;
	}
	spec(&s, ETH_P_IP, 0, 100);
	answered(fd, &s, "IPv4 UDP to port 7, 100 bytes");
	spec(&s, ETH_P_IP, 0, 0);
	s.ttl = 1;
	answered(fd, &s, "IPv4 UDP to port 7, headers only, TTL 1 (kept)");
	spec(&s, ETH_P_IP, 1, 1000);
	inet_pton(AF_INET, "203.0.113.9", &s.saddr);
	answered(fd, &s, "IPv4 UDP to port 7 from 203.0.113.9, a VLAN tag, 1000 bytes");
	spec(&s, ETH_P_IPV6, 0, 100);
	len = test_build(&s, frame);
	expect_verdict(fd, frame, len, XDP_REDIRECT, "IPv6 UDP to port 7 (still the socket's)");
	spec(&s, ETH_P_IP, 0, 100);
	s.dport = 9;
	len = test_build(&s, frame);
	expect_verdict(fd, frame, len, XDP_PASS, "IPv4 UDP to port 9");
	xsk_test_close(&sock);
	bpf_object__close(obj);
	return exercise_done();
}
