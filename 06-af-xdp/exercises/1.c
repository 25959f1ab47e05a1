// SPDX-License-Identifier: GPL-2.0
/* Exercise 1: answer one source only. The learner's xsk_echo.bpf.o sends to the socket only the
 * IPv4 datagrams for port 7 from 192.0.2.2, the lab's peer; from anyone else, over IPv6 too,
 * and to other ports, they go to the stack (XDP_PASS), never dropped. Run with
 * bpf_prog_test_run_opts in a network namespace of its own, with an AF_XDP socket on its lo in
 * the XSKMAP, so that a redirect has somewhere to go. */
#define _GNU_SOURCE		/* unshare */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include "exercise.h"
#include "xsk_test.h"

static __u8 frame[PKT_MAX];

/* A UDP datagram for port 7, from saddr (IPv4 or IPv6). */
static int build(const char *saddr, __u16 dport)
{
	struct pkt_spec s;

	pkt_spec_init(&s, strchr(saddr, ':') ? ETH_P_IPV6 : ETH_P_IP, IPPROTO_UDP);
	if (strchr(saddr, ':'))
		inet_pton(AF_INET6, saddr, &s.saddr6);
	else
		inet_pton(AF_INET, saddr, &s.saddr);
	s.dport = dport;
	s.size = 100;
	return test_build(&s, frame);
}

static void one(int fd, const char *saddr, __u16 dport, __u32 want)
{
	char what[96];
	int len = build(saddr, dport);

	snprintf(what, sizeof(what), "UDP from %s to port %u", saddr, dport);
	expect_verdict(fd, frame, len, want, what);
}

int main(void)
{
	struct bpf_object *obj;
	struct bpf_map *xsks;
	struct xsk_test s;
	int fd, err;

	exercise_start("Exercise 1: answer one source only (192.0.2.2)");
	/* a namespace of our own: the socket binds to its lo, not to this machine's */
	if (unshare(CLONE_NEWNET)) {
		printf("  cannot make a network namespace: %s\n", strerror(errno));
		return 1;
	}
	fd = exercise_load("xsk_echo", "xsk_echo", &obj);
	xsks = bpf_object__find_map_by_name(obj, "xsks");
	err = xsks ? xsk_test_open(&s, "lo", 0, bpf_map__fd(xsks)) : -ENOENT;
	if (err) {
		printf("  WRONG  an AF_XDP socket in the map xsks, as shipped: %s\n",
		       strerror(-err));
		bpf_object__close(obj);
		return 1;
	}
	one(fd, "192.0.2.2", 7, XDP_REDIRECT);
	one(fd, "192.0.2.3", 7, XDP_PASS);
	one(fd, "203.0.113.9", 7, XDP_PASS);
	one(fd, "2.0.192.0", 7, XDP_PASS);	/* 192.0.2.2 with its bytes the other way round */
	one(fd, "2001:db8::2", 7, XDP_PASS);
	one(fd, "192.0.2.2", 9, XDP_PASS);
	xsk_test_close(&s);
	bpf_object__close(obj);
	return exercise_done();
}
