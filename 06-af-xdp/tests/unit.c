// SPDX-License-Identifier: GPL-2.0
/* Unit tests for lesson 06, in a network namespace of its own (the AF_XDP sockets here bind to
 * its interfaces, never to this machine's):
 *
 * - xsk_echo.bpf.c with bpf_prog_test_run_opts, told to take UDP port 7. While the XSKMAP is
 *   empty, a datagram for port 7 gets XDP_PASS (the stack has it, nothing is dropped), counted
 *   as "no socket" and on its queue. With an AF_XDP socket in the slot of queue 0 of lo: UDP
 *   over IPv4 and IPv6, untagged and with one or two VLAN tags, XDP_REDIRECT, counted as to the
 *   socket. XDP_PASS, frame unchanged, counted as passed, for everything else: other ports, TCP
 *   to port 7, ICMP, ARP, IPv4 fragments (first and later), IPv6 with a fragment header, frames
 *   for a group MAC, a UDP length that disagrees with IP's, frames cut short at every length.
 * - Queues: a veth with 4 receive queues, a socket on its queue 2: a datagram that arrives on
 *   queue 2 is redirected, one on queue 1 passed, and counted on queue 1.
 * - reply.c on built frames: the answer, byte for byte, is the frame the builder makes with
 *   MACs, addresses and ports swapped and TTL 64 (IPv4, IPv6, VLAN-tagged, IPv4 without a UDP
 *   checksum); a bad checksum, a forbidden source (0.0.0.0, 127/8, multicast, broadcast, an
 *   IPv6 multicast or unspecified source, a group MAC, port 0, port 7 itself) or a malformed
 *   frame gets no answer, and the frame is left as it came. */
#define _GNU_SOURCE		/* unshare */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <linux/if_ether.h>
#include <bpf/bpf.h>
#include "testing.h"
#include "stats.h"
#include "reply.h"
#include "xsk_echo.h"
#include "xsk_test.h"
#include "xsk_echo.skel.h"

static struct xsk_echo_bpf *skel;
static __u8 frame[PKT_MAX];
static struct xdp_result res;

static int sock_open(struct xsk_test *s, const char *ifname, __u32 queue)
{
	return xsk_test_open(s, ifname, queue, bpf_map__fd(skel->maps.xsks));
}

static void zero_counters(void)
{
	static __u64 zero[1024];	/* one per possible CPU */
	__u32 key;

	for (key = 0; key < XSK_MAX_QUEUES; key++) {
		if (key < XSK_MAX)
			bpf_map__update_elem(skel->maps.counters, &key, sizeof(key), zero,
					     sizeof(zero[0]) * stats_ncpus(), BPF_ANY);
		bpf_map__update_elem(skel->maps.queues, &key, sizeof(key), zero,
				     sizeof(zero[0]) * stats_ncpus(), BPF_ANY);
	}
}

static __u64 counter(struct bpf_map *map, __u32 key)
{
	__u64 n = 0;

	stats_percpu_sum(bpf_map__fd(map), key, &n, sizeof(n));
	return n;
}

/* One run of the program on f, as if it arrived on queue of ifindex. */
static int run_on(int ifindex, __u32 queue, const void *f, __u32 len)
{
	struct xdp_md ctx = {
		.data_end = len,
		.ingress_ifindex = ifindex,
		.rx_queue_index = queue,
	};
	LIBBPF_OPTS(bpf_test_run_opts, opts,
		.data_in = f,
		.data_size_in = len,
		.data_out = res.data,
		.data_size_out = sizeof(res.data),
		.ctx_in = &ctx,
		.ctx_size_in = sizeof(ctx),
		.repeat = 1,
	);

	zero_counters();
	if (bpf_prog_test_run_opts(bpf_program__fd(skel->progs.xsk_echo), &opts)) {
		diag("  the test run failed: %s", strerror(errno));
		return -errno;
	}
	res.verdict = opts.retval;
	res.len = opts.data_size_out;
	return 0;
}

/* The verdict and which counter went up by one, the others staying at 0. */
static bool outcome(int ifindex, __u32 queue, const void *f, __u32 len, __u32 verdict,
		    __u32 which)
{
	__u32 k;
	bool good;

	if (run_on(ifindex, queue, f, len))
		return false;
	good = res.verdict == verdict && res.len == len && !memcmp(res.data, f, len);
	for (k = 0; k < XSK_MAX; k++)
		good = good && counter(skel->maps.counters, k) == (k == which);
	/* the per-queue count: frames for our port, wherever they went */
	good = good && counter(skel->maps.queues, queue) == (which != XSK_PASSED);
	if (!good)
		diag("  verdict %s, to socket %llu, no socket %llu, passed %llu, queue %u: %llu",
		     xdp_action_name(res.verdict),
		     (unsigned long long)counter(skel->maps.counters, XSK_TO_SOCKET),
		     (unsigned long long)counter(skel->maps.counters, XSK_NO_SOCKET),
		     (unsigned long long)counter(skel->maps.counters, XSK_PASSED), queue,
		     (unsigned long long)counter(skel->maps.queues, queue));
	return good;
}

static bool redirected(const void *f, __u32 len)
{
	return outcome(1, 0, f, len, XDP_REDIRECT, XSK_TO_SOCKET);
}

static bool passed(const void *f, __u32 len)
{
	return outcome(1, 0, f, len, XDP_PASS, XSK_PASSED);
}

static void udp_spec(struct pkt_spec *s, __u16 eth_proto)
{
	pkt_spec_init(s, eth_proto, IPPROTO_UDP);
	s->dport = XSK_ECHO_PORT;
	s->size = 100;
}

static void test_empty_map(void)
{
	struct pkt_spec s;
	int len;

	udp_spec(&s, ETH_P_IP);
	len = test_build(&s, frame);
	ok(outcome(1, 0, frame, len, XDP_PASS, XSK_NO_SOCKET), "XSKMAP empty: UDP to port 7 "
	   "passes to the stack (not dropped), counted as no socket, on queue 0");
}

static void test_taken(void)
{
	static const struct { __u16 proto; int vlans; const char *name; } kinds[] = {
		{ ETH_P_IP, 0, "IPv4" }, { ETH_P_IPV6, 0, "IPv6" },
		{ ETH_P_IP, 1, "IPv4, one VLAN tag" }, { ETH_P_IPV6, 2, "IPv6, two VLAN tags" },
	};
	struct pkt_spec s;
	unsigned int i;
	int len;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		udp_spec(&s, kinds[i].proto);
		s.vlans = kinds[i].vlans;
		s.vlan_id[0] = 10;
		s.vlan_id[1] = 20;
		s.vlan_tpid[0] = kinds[i].vlans == 2 ? ETH_P_8021AD : ETH_P_8021Q;
		len = test_build(&s, frame);
		ok(redirected(frame, len), "UDP to port 7 over %s: XDP_REDIRECT to the socket, "
		   "counted", kinds[i].name);
	}
	udp_spec(&s, ETH_P_IP);
	s.size = 0;
	len = test_build(&s, frame);
	ok(redirected(frame, len), "an empty UDP datagram to port 7 (%d bytes): XDP_REDIRECT",
	   len);
}

static void test_passed(void)
{
	struct pkt_spec s;
	int len, cut, bad = 0;

	udp_spec(&s, ETH_P_IP);
	s.dport = 9;
	len = test_build(&s, frame);
	ok(passed(frame, len), "UDP to port 9: XDP_PASS, counted as passed");
	udp_spec(&s, ETH_P_IP);
	s.sport = XSK_ECHO_PORT;
	s.dport = 40000;
	len = test_build(&s, frame);
	ok(passed(frame, len), "UDP from port 7 to port 40000: XDP_PASS");
	pkt_spec_init(&s, ETH_P_IP, IPPROTO_TCP);
	s.dport = XSK_ECHO_PORT;
	len = test_build(&s, frame);
	ok(passed(frame, len), "TCP to port 7: XDP_PASS");
	pkt_spec_init(&s, ETH_P_IP, IPPROTO_ICMP);
	len = test_build(&s, frame);
	ok(passed(frame, len), "ICMP echo request: XDP_PASS");
	pkt_spec_init(&s, ETH_P_ARP, 0);
	len = test_build(&s, frame);
	ok(passed(frame, len), "ARP: XDP_PASS");

	udp_spec(&s, ETH_P_IP);
	s.frag = 0x2000;	/* more fragments, offset 0: the first one */
	len = test_build(&s, frame);
	ok(passed(frame, len), "the first IPv4 fragment of a datagram to port 7: XDP_PASS");
	udp_spec(&s, ETH_P_IP);
	s.frag = 185;		/* offset 1480, the last fragment */
	len = test_build(&s, frame);
	ok(passed(frame, len), "a later IPv4 fragment: XDP_PASS");
	udp_spec(&s, ETH_P_IPV6);
	s.ip_proto = 44;	/* a fragment header follows the IPv6 header */
	len = test_build(&s, frame);
	ok(passed(frame, len), "IPv6 with a fragment header: XDP_PASS");

	udp_spec(&s, ETH_P_IP);
	memset(s.dst_mac, 0xff, 6);
	len = test_build(&s, frame);
	ok(passed(frame, len), "UDP to port 7 for the broadcast MAC: XDP_PASS");
	udp_spec(&s, ETH_P_IPV6);
	memcpy(s.dst_mac, "\x33\x33\x00\x00\x00\x01", 6);
	len = test_build(&s, frame);
	ok(passed(frame, len), "UDP to port 7 for an IPv6 multicast MAC: XDP_PASS");

	udp_spec(&s, ETH_P_IP);
	len = test_build(&s, frame);
	frame[ETH_HLEN + 20 + 4] ^= 0x01;	/* the UDP length, one off */
	ok(passed(frame, len), "UDP to port 7 whose UDP length disagrees with IPv4's: XDP_PASS");

	udp_spec(&s, ETH_P_IP);
	len = test_build(&s, frame);
	/* from the 14 bytes of an Ethernet header: a test run wants at least those */
	for (cut = ETH_HLEN; cut < len; cut++)
		if (!passed(frame, cut) && ++bad == 1)
			diag("  cut to %d bytes", cut);
	ok(!bad, "UDP to port 7 cut short at every length from 14 to %d: XDP_PASS each time",
	   len - 1);
	udp_spec(&s, ETH_P_IPV6);
	len = test_build(&s, frame);
	for (bad = 0, cut = ETH_HLEN; cut < len; cut++)
		if (!passed(frame, cut) && ++bad == 1)
			diag("  cut to %d bytes", cut);
	ok(!bad, "UDP/IPv6 to port 7 cut short at every length from 14 to %d: XDP_PASS each "
	   "time", len - 1);
}

/* A socket on queue 2 of a veth with four receive queues. */
static void test_queues(void)
{
	struct xsk_test s = { 0 };
	struct pkt_spec p;
	int ifindex, len, err;

	if (system("ip link add q0 numrxqueues 4 numtxqueues 4 type veth peer name q1 && "
		   "ip link set q0 up && ip link set q1 up")) {
		ok(false, "a veth with 4 receive queues");
		return;
	}
	ifindex = (int)if_nametoindex("q0");
	err = sock_open(&s, "q0", 2);
	if (!ok(!err, "an AF_XDP socket on queue 2 of a veth with 4 receive queues"))
		diag("  %s", strerror(-err));
	udp_spec(&p, ETH_P_IP);
	len = test_build(&p, frame);
	ok(outcome(ifindex, 2, frame, len, XDP_REDIRECT, XSK_TO_SOCKET),
	   "UDP to port 7 on queue 2: XDP_REDIRECT to the socket, counted on queue 2");
	ok(outcome(ifindex, 1, frame, len, XDP_PASS, XSK_NO_SOCKET),
	   "UDP to port 7 on queue 1, which has no socket: XDP_PASS, counted on queue 1");
	xsk_test_close(&s);
	ok(outcome(ifindex, 2, frame, len, XDP_PASS, XSK_NO_SOCKET),
	   "the socket closed: the kernel emptied its slot, and queue 2's frames pass");
}

/* --- reply.c */

/* The request s, answered: the reply must be the frame built from s with both ends swapped. */
static bool answered_exactly(struct pkt_spec *s)
{
	static __u8 want[PKT_MAX];
	struct pkt_spec r = *s;
	__u16 port = 0, p;
	int len, wlen;

	len = test_build(s, frame);
	memcpy(r.dst_mac, s->src_mac, 6);
	memcpy(r.src_mac, s->dst_mac, 6);
	r.saddr = s->daddr;
	r.daddr = s->saddr;
	r.saddr6 = s->daddr6;
	r.daddr6 = s->saddr6;
	p = r.sport;
	r.sport = r.dport;
	r.dport = p;
	r.ttl = REPLY_TTL;
	wlen = test_build(&r, want);
	if (reply_make(frame, (__u32)len, &port) != REPLY_OK || port != s->sport || len != wlen ||
	    memcmp(frame, want, len)) {
		diag("  the reply differs from the one built from scratch, or the client's port "
		     "%u does", port);
		return false;
	}
	return true;
}

static bool unanswered(const struct pkt_spec *s, enum reply_verdict want, int damage_at)
{
	static __u8 copy[PKT_MAX];
	int len = test_build(s, frame);
	enum reply_verdict v;
	__u16 port;

	if (damage_at >= 0)
		frame[damage_at] ^= 0x40;
	memcpy(copy, frame, len);
	v = reply_make(frame, (__u32)len, &port);
	if (v != want || memcmp(copy, frame, len)) {
		diag("  verdict %d, want %d; frame %s", v, want,
		     memcmp(copy, frame, len) ? "CHANGED" : "unchanged");
		return false;
	}
	return true;
}

static void test_reply(void)
{
	static const char *const bad4[] = { "0.0.0.0", "127.0.0.1", "224.0.0.1", "239.1.2.3",
					    "255.255.255.255" };
	struct pkt_spec s;
	__u16 port;
	unsigned int i;
	int len, cut, bad = 0;

	udp_spec(&s, ETH_P_IP);
	ok(answered_exactly(&s), "reply.c: IPv4 UDP to port 7 becomes its answer, byte for byte "
	   "(MACs, addresses, ports swapped, TTL 64, checksums valid); the client's port 40000");
	udp_spec(&s, ETH_P_IP);
	s.ttl = 1;
	s.size = 1514;
	ok(answered_exactly(&s), "... a 1514-byte frame with TTL 1: answered at TTL 64");
	udp_spec(&s, ETH_P_IPV6);
	ok(answered_exactly(&s), "... IPv6: the answer byte for byte, hop limit 64");
	udp_spec(&s, ETH_P_IPV6);
	s.vlans = 2;
	s.vlan_id[0] = 10;
	s.vlan_id[1] = 20;
	ok(answered_exactly(&s), "... IPv6 with two VLAN tags: the tags stay as they were");
	udp_spec(&s, ETH_P_IP);
	len = test_build(&s, frame);
	frame[ETH_HLEN + 20 + 6] = frame[ETH_HLEN + 20 + 7] = 0;	/* no UDP checksum */
	ok(reply_make(frame, (__u32)len, &port) == REPLY_OK && !frame[ETH_HLEN + 26] &&
	   !frame[ETH_HLEN + 27], "... IPv4 without a UDP checksum (0): answered, still 0");

	udp_spec(&s, ETH_P_IP);
	ok(unanswered(&s, REPLY_BAD_CHECKSUM, ETH_HLEN + 20 + 8 + 3), "a payload byte changed "
	   "on the way (bad UDP checksum): no answer, frame unchanged");
	udp_spec(&s, ETH_P_IPV6);
	ok(unanswered(&s, REPLY_BAD_CHECKSUM, ETH_HLEN + 40 + 8), "... the same over IPv6");
	for (i = 0; i < sizeof(bad4) / sizeof(bad4[0]); i++) {
		udp_spec(&s, ETH_P_IP);
		inet_pton(AF_INET, bad4[i], &s.saddr);
		ok(unanswered(&s, REPLY_REFUSED, -1), "from %s: refused, unchanged", bad4[i]);
	}
	udp_spec(&s, ETH_P_IPV6);
	inet_pton(AF_INET6, "ff02::1", &s.saddr6);
	ok(unanswered(&s, REPLY_REFUSED, -1), "from ff02::1 (IPv6 multicast): refused");
	udp_spec(&s, ETH_P_IPV6);
	memset(&s.saddr6, 0, sizeof(s.saddr6));
	ok(unanswered(&s, REPLY_REFUSED, -1), "from :: (unspecified): refused");
	udp_spec(&s, ETH_P_IP);
	s.src_mac[0] |= 1;
	ok(unanswered(&s, REPLY_REFUSED, -1), "from a group MAC: refused");
	udp_spec(&s, ETH_P_IP);
	s.sport = 0;
	ok(unanswered(&s, REPLY_REFUSED, -1), "from port 0: refused");
	udp_spec(&s, ETH_P_IP);
	s.sport = XSK_ECHO_PORT;
	ok(unanswered(&s, REPLY_REFUSED, -1), "from port 7, another echo server: refused (no "
	   "echo loop)");
	pkt_spec_init(&s, ETH_P_IP, IPPROTO_TCP);
	ok(unanswered(&s, REPLY_MALFORMED, -1), "TCP: not for reply.c (malformed)");
	udp_spec(&s, ETH_P_IP);
	s.frag = 0x2000;
	ok(unanswered(&s, REPLY_MALFORMED, -1), "an IPv4 fragment: malformed, no answer");

	udp_spec(&s, ETH_P_IP);
	len = test_build(&s, frame);
	for (cut = 0; cut < len; cut++) {
		static __u8 copy[PKT_MAX];

		memcpy(copy, frame, len);
		if ((reply_make(copy, (__u32)cut, &port) != REPLY_MALFORMED ||
		     memcmp(copy, frame, len)) && ++bad == 1)
			diag("  cut to %d bytes", cut);
	}
	ok(!bad, "cut short at every length from 0 to %d: malformed, left alone", len - 1);
}

int main(void)
{
	struct xsk_test s = { 0 };
	int err;

	tap_require_root();
	/* a namespace of our own: its lo and its veth are ours to bind sockets to */
	if (unshare(CLONE_NEWNET)) {
		diag("unshare(CLONE_NEWNET): %s", strerror(errno));
		return 1;
	}
	test_reply();
	skel = xsk_echo_bpf__open();
	if (!ok(skel != NULL, "xsk_echo.bpf.o opens"))
		return tap_done();
	skel->rodata->port = htons(XSK_ECHO_PORT);
	if (!ok(!xsk_echo_bpf__load(skel), "xsk_echo.bpf.o loads"))
		goto out;

	test_empty_map();
	err = sock_open(&s, "lo", 0);
	if (!ok(!err, "an AF_XDP socket on queue 0 of lo, in the XSKMAP's slot 0")) {
		diag("  %s", strerror(-err));
		goto out;
	}
	test_taken();
	test_passed();
	xsk_test_close(&s);
	test_queues();
out:
	xsk_echo_bpf__destroy(skel);
	return tap_done();
}
