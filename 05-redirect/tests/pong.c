// SPDX-License-Identifier: GPL-2.0
/* Unit tests for pong.bpf.c, the XDP_TX variant, with bpf_prog_test_run_opts. The program is
 * told it is 192.0.2.1/24 and 198.51.100.7/24 at 02:00:c0:00:02:01. An ICMP echo request to one
 * of those addresses and that MAC, from a unicast source, without IP options, comes back as
 * XDP_TX, turned into its echo reply -- MACs and IP addresses swapped, TTL 64, type 0,
 * identifier, sequence number and data as they were, both checksums valid, byte for byte the
 * reply built from scratch -- and is counted as answered. Everything else (requests for other
 * addresses or MACs, from broadcast, multicast or zero sources, with options; replies, other
 * ICMP types, UDP, fragments, tagged, truncated frames) comes back as XDP_PASS, unchanged,
 * counted as passed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <bpf/bpf.h>
#include "testing.h"
#include "stats.h"
#include "pong.h"
#include "pong.skel.h"

static struct pong_bpf *skel;
static __u8 frame[PKT_MAX];
static struct xdp_result res;

static void zero_counters(void)
{
	static __u64 zero[1024];	/* one per possible CPU */
	__u32 key;

	for (key = 0; key < PONG_MAX; key++)
		bpf_map__update_elem(skel->maps.counters, &key, sizeof(key), zero,
				     sizeof(zero[0]) * stats_ncpus(), BPF_ANY);
}

static __u64 counter(__u32 key)
{
	__u64 n = 0;

	stats_percpu_sum(bpf_map__fd(skel->maps.counters), key, &n, sizeof(n));
	return n;
}

static int run(const void *f, __u32 len)
{
	int err;

	zero_counters();
	err = xdp_run(bpf_program__fd(skel->progs.pong), 0, f, len, &res);
	if (err)
		diag("  the test run failed: %s", strerror(-err));
	return err;
}

/* The echo request f (IPv4 at l3) came back as its reply. One check. */
static bool answered(const __u8 *f, __u32 len, size_t l3)
{
	const __u8 *ip = res.data + l3, *in = f + l3;
	size_t ihl = (in[0] & 15) * 4, tot = (size_t)in[2] << 8 | in[3];
	bool good;

	if (run(f, len))
		return false;
	good = res.verdict == XDP_TX && res.len == len &&
	       !memcmp(res.data, f + 6, 6) && !memcmp(res.data + 6, f, 6) &&	/* MACs swapped */
	       !memcmp(res.data + 12, f + 12, l3 - 12) &&
	       !memcmp(ip, in, 8) && ip[8] == 64 && ip[9] == in[9] &&		/* a fresh TTL */
	       !memcmp(ip + 12, in + 16, 4) && !memcmp(ip + 16, in + 12, 4) &&	/* addresses */
	       pkt_ipv4_csum_ok(ip) &&
	       ip[ihl] == 0 && ip[ihl + 1] == 0 &&				/* type 0 code 0 */
	       !memcmp(ip + ihl + 4, in + ihl + 4, len - l3 - ihl - 4) &&	/* id, seq, data */
	       pkt_csum(ip + ihl, tot - ihl, 0) == 0 &&
	       counter(PONG_ANSWERED) == 1 && counter(PONG_PASSED) == 0;
	if (!good)
		diag("  verdict %s, ttl %u, type %u, ip checksum %s, icmp checksum %s, "
		     "answered %llu", xdp_action_name(res.verdict), ip[8], ip[ihl],
		     pkt_ipv4_csum_ok(ip) ? "ok" : "BAD",
		     pkt_csum(ip + ihl, tot - ihl, 0) ? "BAD" : "ok",
		     (unsigned long long)counter(PONG_ANSWERED));
	return good;
}

static bool passed(const __u8 *f, __u32 len)
{
	bool good;

	if (run(f, len))
		return false;
	good = res.verdict == XDP_PASS && res.len == len && !memcmp(res.data, f, len) &&
	       counter(PONG_PASSED) == 1 && counter(PONG_ANSWERED) == 0;
	if (!good)
		diag("  verdict %s, frame %s", xdp_action_name(res.verdict),
		     res.len == len && !memcmp(res.data, f, len) ? "unchanged" : "CHANGED");
	return good;
}

/* The reply, byte for byte: the frame the builder makes for it from scratch, with checksums
 * summed in full, against the one the program made from the request. */
static bool exact_reply(const char *saddr, const char *daddr, __u8 ttl)
{
	static __u8 want[PKT_MAX];
	struct pkt_spec s;
	int len, wlen;

	pkt_spec_init(&s, ETH_P_IP, IPPROTO_ICMP);
	inet_pton(AF_INET, saddr, &s.saddr);
	inet_pton(AF_INET, daddr, &s.daddr);
	s.ttl = ttl;
	s.size = 98;
	len = test_build(&s, frame);
	memcpy(s.dst_mac, frame + 6, 6);
	memcpy(s.src_mac, frame, 6);
	s.saddr = s.daddr;
	inet_pton(AF_INET, saddr, &s.daddr);
	s.ttl = 64;
	s.icmp_type = 0;
	wlen = test_build(&s, want);
	if (run(frame, len))
		return false;
	if (res.verdict != XDP_TX || res.len != (__u32)wlen || memcmp(res.data, want, wlen)) {
		diag("  verdict %s, length %u, bytes %s", xdp_action_name(res.verdict), res.len,
		     res.len == (__u32)wlen && !memcmp(res.data, want, wlen) ? "same" : "DIFFER");
		return false;
	}
	return true;
}

static void test_answered(void)
{
	static const int sizes[] = { 0, 43, 98, 99, 1514 };
	struct pkt_spec s;
	unsigned int i;
	int len, bad;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		pkt_spec_init(&s, ETH_P_IP, IPPROTO_ICMP);
		s.size = sizes[i];
		len = test_build(&s, frame);
		ok(answered(frame, len, ETH_HLEN), "echo request, %d bytes: XDP_TX, MACs and "
		   "addresses swapped, TTL 64, type 0, checksums valid, answered 1", len);
	}
	ok(exact_reply("192.0.2.2", "192.0.2.1", 64), "echo request from 192.0.2.2 to 192.0.2.1, "
	   "TTL 64: the reply, byte for byte");
	ok(exact_reply("192.0.2.2", "192.0.2.1", 1), "... TTL 1: the reply leaves with TTL 64, "
	   "byte for byte");
	ok(exact_reply("203.0.113.9", "198.51.100.7", 255), "... from 203.0.113.9 to our other "
	   "address 198.51.100.7, TTL 255: byte for byte");

	/* random identifiers, sequence numbers, sources, TTLs and data, to either address */
	srandom(7);
	for (i = 0, bad = 0; i < 5000 && bad < 5; i++) {
		size_t ihl = 20, at, n;
		__u32 src;

		pkt_spec_init(&s, ETH_P_IP, IPPROTO_ICMP);
		s.icmp_id = random();
		s.icmp_seq = random();
		do	/* a unicast source: 1-223, not 127, not one of our broadcasts */
			src = random();
		while (src >> 24 == 0 || src >> 24 == 127 || src >> 24 >= 224 ||
		       src == 0xc00002ff || src == 0xc63364ff);
		s.saddr.s_addr = htonl(src);
		if (random() % 2)
			inet_pton(AF_INET, "198.51.100.7", &s.daddr);
		s.ttl = 1 + random() % 255;
		s.size = ETH_HLEN + ihl + 8 + random() % 300;
		len = test_build(&s, frame);
		for (at = ETH_HLEN + ihl + 8; at < (size_t)len; at++)
			frame[at] = random();
		n = len - ETH_HLEN - ihl;
		frame[ETH_HLEN + ihl + 2] = frame[ETH_HLEN + ihl + 3] = 0;
		memcpy(frame + ETH_HLEN + ihl + 2,
		       &(__u16){ pkt_csum(frame + ETH_HLEN + ihl, n, 0) }, 2);
		bad += !answered(frame, len, ETH_HLEN);
	}
	ok(!bad, "5000 random echo requests: each answered with TTL 64 and valid checksums");
}

/* One echo request from saddr to daddr, otherwise pkt_spec_init()'s: passed unchanged? */
static bool request_passed(const char *saddr, const char *daddr)
{
	struct pkt_spec s;
	int len;

	pkt_spec_init(&s, ETH_P_IP, IPPROTO_ICMP);
	inet_pton(AF_INET, saddr, &s.saddr);
	inet_pton(AF_INET, daddr, &s.daddr);
	len = test_build(&s, frame);
	return passed(frame, len);
}

/* Each check pong makes before it answers, one frame each. */
static void test_not_ours(void)
{
	struct pkt_spec s;
	int len;

	ok(request_passed("192.0.2.2", "203.0.113.2"), "echo request to 203.0.113.2, not our "
	   "address (a router forwards it): passed");
	ok(request_passed("192.0.2.2", "192.0.2.255"), "... to our subnet's broadcast address: "
	   "passed");
	ok(request_passed("0.0.0.0", "192.0.2.1"), "... from 0.0.0.0: passed");
	ok(request_passed("255.255.255.255", "192.0.2.1"), "... from 255.255.255.255: passed");
	ok(request_passed("224.0.0.1", "192.0.2.1"), "... from 224.0.0.1, multicast: passed");
	ok(request_passed("239.255.255.250", "192.0.2.1"), "... from 239.255.255.250, multicast: "
	   "passed");
	ok(request_passed("192.0.2.255", "192.0.2.1"), "... from 192.0.2.255, our subnet's "
	   "broadcast: passed");
	ok(request_passed("198.51.100.255", "192.0.2.1"), "... from 198.51.100.255, our other "
	   "subnet's broadcast: passed");
	ok(request_passed("127.0.0.1", "192.0.2.1"), "... from 127.0.0.1, loopback: passed");

	pkt_spec_init(&s, ETH_P_IP, IPPROTO_ICMP);
	memcpy(s.dst_mac, (__u8[]){ 0x02, 0x00, 0xc0, 0x00, 0x02, 0x09 }, 6);
	len = test_build(&s, frame);
	ok(passed(frame, len), "echo request to our address at another host's MAC: passed");
	s.dst_mac[0] = 0x01;
	len = test_build(&s, frame);
	ok(passed(frame, len), "... at 01:00:c0:00:02:09, a multicast MAC: passed");

	pkt_spec_init(&s, ETH_P_IP, IPPROTO_ICMP);
	s.ihl = 6;
	len = test_build(&s, frame);
	ok(passed(frame, len), "echo request with 4 bytes of IP options: passed (the stack "
	   "answers options)");
	s.ihl = 9;
	s.ttl = 7;
	len = test_build(&s, frame);
	ok(passed(frame, len), "... with 16 bytes: passed");
}

static void test_passed(void)
{
	struct pkt_spec s;
	int len, n, bad;

	pkt_spec_init(&s, ETH_P_IP, IPPROTO_ICMP);
	s.icmp_type = 0;
	len = test_build(&s, frame);
	ok(passed(frame, len), "echo reply: passed unchanged (no ping-pong between two pongs)");
	s.icmp_type = 3;
	len = test_build(&s, frame);
	ok(passed(frame, len), "destination unreachable: passed unchanged");
	s.icmp_type = 8;
	len = test_build(&s, frame);
	frame[ETH_HLEN + 20 + 1] = 1;
	ok(passed(frame, len), "echo request with code 1: passed unchanged");
	s.frag = 0x2000;
	s.size = 200;
	len = test_build(&s, frame);
	ok(passed(frame, len), "the first fragment of an echo request: passed to the stack");
	s.frag = 1480 / 8;
	len = test_build(&s, frame);
	ok(passed(frame, len), "a later fragment: passed");
	s.frag = 0;
	s.size = 0;
	memset(s.dst_mac, 0xff, 6);
	len = test_build(&s, frame);
	ok(passed(frame, len), "echo request to ff:ff:ff:ff:ff:ff: passed (broadcast pings)");

	pkt_spec_init(&s, ETH_P_IP, IPPROTO_ICMP);
	s.vlans = 1;
	s.vlan_id[0] = 5;
	len = test_build(&s, frame);
	ok(passed(frame, len), "echo request in a VLAN tag: passed");
	pkt_spec_init(&s, ETH_P_IP, IPPROTO_UDP);
	len = test_build(&s, frame);
	ok(passed(frame, len), "udp: passed");
	pkt_spec_init(&s, ETH_P_IPV6, IPPROTO_ICMPV6);
	len = test_build(&s, frame);
	ok(passed(frame, len), "ICMPv6 echo request: passed (IPv4 only)");
	pkt_spec_init(&s, ETH_P_ARP, 0);
	len = test_build(&s, frame);
	ok(passed(frame, len), "arp: passed");

	pkt_spec_init(&s, ETH_P_IP, IPPROTO_ICMP);
	s.size = 80;
	len = test_build(&s, frame);
	for (n = ETH_HLEN, bad = 0; n < len; n++)
		bad += !passed(frame, n);
	ok(!bad, "echo request cut to each of %d..%d bytes: passed unchanged (%d wrong)", ETH_HLEN,
	   len - 1, bad);
}

int main(void)
{
	tap_require_root();
	skel = pong_bpf__open();
	if (!skel) {
		diag("cannot open pong.bpf.o: %s", strerror(errno));
		return 1;
	}
	/* who pong is, as its loader would say: pkt_spec_init()'s destination, and one more */
	memcpy((__u8 *)skel->rodata->own_mac, (__u8[]){ 0x02, 0x00, 0xc0, 0x00, 0x02, 0x01 }, 6);
	inet_pton(AF_INET, "192.0.2.1", (void *)&skel->rodata->own_addrs[0]);
	inet_pton(AF_INET, "198.51.100.7", (void *)&skel->rodata->own_addrs[1]);
	inet_pton(AF_INET, "192.0.2.255", (void *)&skel->rodata->own_bcasts[0]);
	inet_pton(AF_INET, "198.51.100.255", (void *)&skel->rodata->own_bcasts[1]);
	skel->rodata->n_addrs = 2;
	if (pong_bpf__load(skel)) {
		diag("cannot load pong.bpf.o: %s", strerror(errno));
		return 1;
	}
	test_answered();
	test_not_ours();
	test_passed();
	pong_bpf__destroy(skel);
	return tap_done();
}
