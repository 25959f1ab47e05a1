// SPDX-License-Identifier: GPL-2.0
/* Unit tests for pong.bpf.c, the XDP_TX variant, with bpf_prog_test_run_opts: an ICMP echo
 * request comes back as XDP_TX, turned into its echo reply -- MACs and IP addresses swapped,
 * type 0, identifier, sequence number, data and TTL as they were, both checksums valid -- and is
 * counted as answered. Everything else (replies, other ICMP types, UDP, fragments, broadcast,
 * tagged, truncated frames) comes back as XDP_PASS, unchanged, counted as passed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
	       !memcmp(ip, in, 12) &&						/* TTL too */
	       !memcmp(ip + 12, in + 16, 4) && !memcmp(ip + 16, in + 12, 4) &&	/* addresses */
	       !memcmp(ip + 20, in + 20, ihl - 20) &&				/* options */
	       pkt_ipv4_csum_ok(ip) &&
	       ip[ihl] == 0 && ip[ihl + 1] == 0 &&				/* type 0 code 0 */
	       !memcmp(ip + ihl + 4, in + ihl + 4, len - l3 - ihl - 4) &&	/* id, seq, data */
	       pkt_csum(ip + ihl, tot - ihl, 0) == 0 &&
	       counter(PONG_ANSWERED) == 1 && counter(PONG_PASSED) == 0;
	if (!good)
		diag("  verdict %s, type %u, ip checksum %s, icmp checksum %s, answered %llu",
		     xdp_action_name(res.verdict), ip[ihl], pkt_ipv4_csum_ok(ip) ? "ok" : "BAD",
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
		   "addresses swapped, type 0, checksums valid, answered 1", len);
	}
	pkt_spec_init(&s, ETH_P_IP, IPPROTO_ICMP);
	s.ihl = 9;
	s.ttl = 7;
	len = test_build(&s, frame);
	ok(answered(frame, len, ETH_HLEN), "echo request with 16 bytes of IP options, TTL 7: "
	   "answered, options and TTL kept");

	/* random identifiers, sequence numbers, addresses and data */
	srandom(7);
	for (i = 0, bad = 0; i < 5000 && bad < 5; i++) {
		size_t ihl = 20, at, n;

		pkt_spec_init(&s, ETH_P_IP, IPPROTO_ICMP);
		s.icmp_id = random();
		s.icmp_seq = random();
		s.saddr.s_addr = random();
		s.daddr.s_addr = random();
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
	ok(!bad, "5000 random echo requests: each answered with valid checksums");
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
	skel = pong_bpf__open_and_load();
	if (!skel) {
		diag("cannot load pong.bpf.o: %s", strerror(errno));
		return 1;
	}
	test_answered();
	test_passed();
	pong_bpf__destroy(skel);
	return tap_done();
}
