// SPDX-License-Identifier: GPL-2.0
/* Unit tests for redirect.bpf.c's redirect program, with bpf_prog_test_run_opts: the verdict,
 * the frame as the program left it (data_out) and the counters, for every frame.
 *
 * A forwarded frame comes back as XDP_REDIRECT with the route's MACs, the TTL one lower, an IPv4
 * checksum that verifies, and every other byte as it was. TTL 1 or 0, anything not IPv4, tagged,
 * broadcast, malformed or truncated frames come back as XDP_PASS, unchanged, counted as passed.
 * The route is found in any slot up to the last, counted in that slot's port; not past an unused
 * slot. A test run does not carry the redirect out (tests/net.c does). It runs in a network
 * namespace of its own, whose loopback device is the one interface the route names. */
#define _GNU_SOURCE		/* unshare */
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_ether.h>
#include <bpf/bpf.h>
#include "testing.h"
#include "stats.h"
#include "redirect.h"
#include "redirect.skel.h"

#define LO	1	/* the loopback device's ifindex in a new network namespace */

static const struct route route = {
	.in_ifindex = LO,
	.out_ifindex = LO,
	.own_mac = { 0x02, 0x00, 0xc0, 0x00, 0x02, 0x01 },	/* pkt_spec_init()'s dst_mac */
	.src_mac = { 0x02, 0x00, 0xcb, 0x00, 0x71, 0x01 },
	.dst_mac = { 0x02, 0x00, 0xcb, 0x00, 0x71, 0x02 },
};
static struct redirect_bpf *skel;
static __u8 frame[PKT_MAX];
static struct xdp_result res;

static void zero_counters(void)
{
	static struct counters zero[1024];	/* one per possible CPU */
	__u32 port;

	for (port = 0; port < PORTS_MAX; port++)
		bpf_map__update_elem(skel->maps.counters, &port, sizeof(port), zero,
				     sizeof(zero[0]) * stats_ncpus(), BPF_ANY);
}

/* One port's counters, summed over the CPUs. */
static struct counters port_counters(__u32 port)
{
	struct counters c = { 0 };

	stats_percpu_sum(bpf_map__fd(skel->maps.counters), port, &c, sizeof(c));
	return c;
}

/* Every port's: a frame counted anywhere shows here. */
static struct counters counters(void)
{
	struct counters all = { 0 }, c;
	__u32 port;

	for (port = 0; port < PORTS_MAX; port++) {
		c = port_counters(port);
		all.attempted += c.attempted;
		all.passed += c.passed;
		all.failed += c.failed;
	}
	return all;
}

/* Write routes into the slots from 0: the route for lo in slot lo_slot, one for another
 * interface (ifindex 100, 101, ...; none exists here) in every other slot below used, and the
 * slots from used on unused. */
static int set_routes(__u32 lo_slot, __u32 used)
{
	__u32 slot;

	for (slot = 0; slot < PORTS_MAX; slot++) {
		struct route rt = { 0 };

		if (slot == lo_slot)
			rt = route;
		else if (slot < used)
			rt.in_ifindex = 100 + slot;
		if (bpf_map__update_elem(skel->maps.routes, &slot, sizeof(slot), &rt, sizeof(rt),
					 BPF_ANY)) {
			diag("cannot write the route in slot %u: %s", slot, strerror(errno));
			return -1;
		}
	}
	return 0;
}

static int run(const void *f, __u32 len)
{
	int err;

	zero_counters();
	err = xdp_run(bpf_program__fd(skel->progs.redirect), LO, f, len, &res);
	if (err)
		diag("  the test run failed: %s", strerror(-err));
	return err;
}

/* The frame is forwarded: XDP_REDIRECT, new MACs, TTL - 1, a valid checksum, nothing else
 * changed, counted once as redirected. One check. */
static bool forwarded(const __u8 *f, __u32 len, size_t l3)
{
	const __u8 *ip = res.data + l3;
	struct counters c;
	bool good;
	size_t i;

	if (run(f, len))
		return false;
	c = counters();
	good = res.verdict == XDP_REDIRECT && res.len == len &&
	       !memcmp(res.data, route.dst_mac, 6) && !memcmp(res.data + 6, route.src_mac, 6) &&
	       ip[8] == f[l3 + 8] - 1 && pkt_ipv4_csum_ok(ip) &&
	       c.attempted == 1 && c.passed == 0 && c.failed == 0;
	for (i = 12; good && i < len; i++)	/* all else as it was: TTL and checksum aside */
		good = res.data[i] == f[i] || i == l3 + 8 || i == l3 + 10 || i == l3 + 11;
	if (!good)
		diag("  verdict %s, ttl %u -> %u, checksum %s, attempted %llu passed %llu "
		     "failed %llu", xdp_action_name(res.verdict), f[l3 + 8], ip[8],
		     pkt_ipv4_csum_ok(ip) ? "ok" : "BAD", (unsigned long long)c.attempted,
		     (unsigned long long)c.passed, (unsigned long long)c.failed);
	return good;
}

/* The frame goes to the stack: XDP_PASS, unchanged, counted once as passed (or not at all, for
 * an interface without a route). */
static bool passed(const __u8 *f, __u32 len, __u64 want_passed)
{
	struct counters c;
	bool good;

	if (run(f, len))
		return false;
	c = counters();
	good = res.verdict == XDP_PASS && res.len == len && !memcmp(res.data, f, len) &&
	       c.passed == want_passed && c.attempted == 0 && c.failed == 0;
	if (!good)
		diag("  verdict %s, frame %s, attempted %llu passed %llu failed %llu",
		     xdp_action_name(res.verdict),
		     res.len == len && !memcmp(res.data, f, len) ? "unchanged" : "CHANGED",
		     (unsigned long long)c.attempted, (unsigned long long)c.passed,
		     (unsigned long long)c.failed);
	return good;
}

static void test_forwarded(void)
{
	static const struct {
		__u8 proto;
		const char *name;
	} protos[] = { { IPPROTO_UDP, "udp" }, { IPPROTO_TCP, "tcp" }, { IPPROTO_ICMP, "icmp" } };
	struct pkt_spec s;
	unsigned int p;
	int len, ttl;

	for (p = 0; p < sizeof(protos) / sizeof(protos[0]); p++) {
		pkt_spec_init(&s, ETH_P_IP, protos[p].proto);
		len = test_build(&s, frame);
		ok(forwarded(frame, len, ETH_HLEN), "%s, TTL 64: XDP_REDIRECT, new MACs, TTL 63, "
		   "checksum valid, the rest unchanged, attempted 1", protos[p].name);
	}
	pkt_spec_init(&s, ETH_P_IP, IPPROTO_UDP);
	s.size = 1514;
	len = test_build(&s, frame);
	ok(forwarded(frame, len, ETH_HLEN), "udp, a full 1514-byte frame: forwarded");
	s.size = 0;
	s.ihl = 15;
	len = test_build(&s, frame);
	ok(forwarded(frame, len, ETH_HLEN), "udp, IHL 15 (40 bytes of options): forwarded, "
	   "options untouched");
	s.ihl = 0;
	s.frag = 1480 / 8;
	len = test_build(&s, frame);
	ok(forwarded(frame, len, ETH_HLEN), "a fragment (offset 1480): forwarded as it is");
	for (ttl = 2; ttl <= 255; ttl += 253) {
		s.frag = 0;
		s.ttl = ttl;
		len = test_build(&s, frame);
		ok(forwarded(frame, len, ETH_HLEN), "udp, TTL %d: forwarded with TTL %d", ttl,
		   ttl - 1);
	}
}

/* The incremental update against the whole sum, on random headers: every field, options, TTL
 * from 2 to 255. 20,000 frames, one check. */
static void test_checksum_fuzz(void)
{
	struct pkt_spec s;
	int i, len, bad = 0;

	srandom(5);
	for (i = 0; i < 20000 && bad < 5; i++) {
		pkt_spec_init(&s, ETH_P_IP, random() % 2 ? IPPROTO_UDP : IPPROTO_ICMP);
		s.ttl = 2 + random() % 254;
		s.ihl = random() % 3 ? 0 : 5 + random() % 11;
		s.ip_id = random();
		s.saddr.s_addr = random();
		s.daddr.s_addr = random();
		s.frag = random() % 4 ? 0 : random() & 0x3fff;
		s.size = ETH_HLEN + 60 + random() % 200;
		len = test_build(&s, frame);
		frame[ETH_HLEN + 1] = random();		/* TOS */
		/* the builder's checksum covered TOS as 0: sum the header again */
		frame[ETH_HLEN + 10] = frame[ETH_HLEN + 11] = 0;
		memcpy(frame + ETH_HLEN + 10,
		       &(__u16){ pkt_csum(frame + ETH_HLEN, (frame[ETH_HLEN] & 15) * 4, 0) }, 2);
		if (!forwarded(frame, len, ETH_HLEN)) {
			diag("  frame %d, ttl %u, checksum %02x%02x", i, s.ttl,
			     frame[ETH_HLEN + 10], frame[ETH_HLEN + 11]);
			bad++;
		}
	}
	ok(!bad && i == 20000, "20000 random IPv4 headers: each forwarded, TTL - 1, the updated "
	   "checksum verifies");
}

static void test_passed(void)
{
	struct pkt_spec s;
	int len, ttl, n, bad;

	for (ttl = 0; ttl <= 1; ttl++) {
		pkt_spec_init(&s, ETH_P_IP, IPPROTO_ICMP);
		s.ttl = ttl;
		len = test_build(&s, frame);
		ok(passed(frame, len, 1), "icmp, TTL %d: XDP_PASS, unchanged, passed 1 (the stack "
		   "drops it, or says 'time exceeded')", ttl);
	}
	pkt_spec_init(&s, ETH_P_ARP, 0);
	len = test_build(&s, frame);
	ok(passed(frame, len, 1), "arp request: passed unchanged");
	pkt_spec_init(&s, ETH_P_IPV6, IPPROTO_UDP);
	len = test_build(&s, frame);
	ok(passed(frame, len, 1), "udp/ipv6: passed unchanged");
	pkt_spec_init(&s, 0x88b5, 0);
	s.size = 60;
	len = test_build(&s, frame);
	ok(passed(frame, len, 1), "EtherType 0x88b5: passed unchanged");
	pkt_spec_init(&s, ETH_P_IP, IPPROTO_UDP);
	s.vlans = 1;
	s.vlan_id[0] = 100;
	len = test_build(&s, frame);
	ok(passed(frame, len, 1), "udp in a VLAN tag: passed (a VLAN interface's business)");
	pkt_spec_init(&s, ETH_P_IP, IPPROTO_UDP);
	memset(s.dst_mac, 0xff, 6);
	len = test_build(&s, frame);
	ok(passed(frame, len, 1), "udp to ff:ff:ff:ff:ff:ff: a broadcast is not forwarded");
	memcpy(s.dst_mac, (__u8[]){ 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 }, 6);
	len = test_build(&s, frame);
	ok(passed(frame, len, 1), "udp to 01:00:5e:00:00:01: nor is multicast");
	memcpy(s.dst_mac, (__u8[]){ 0x02, 0x00, 0xc0, 0x00, 0x02, 0x09 }, 6);
	len = test_build(&s, frame);
	ok(passed(frame, len, 1), "udp to 02:00:c0:00:02:09, another host's MAC: passed (the "
	   "stack drops it as PACKET_OTHERHOST)");
	s.dst_mac[0] = 0x12;
	len = test_build(&s, frame);
	ok(passed(frame, len, 1), "udp to 12:00:c0:00:02:01, our MAC but its first byte: passed");
	memcpy(s.dst_mac, route.own_mac, 6);
	s.dst_mac[5] ^= 0x80;
	len = test_build(&s, frame);
	ok(passed(frame, len, 1), "udp to 02:00:c0:00:02:81, our MAC but its last byte: passed");

	pkt_spec_init(&s, ETH_P_IP, IPPROTO_UDP);
	s.ip_version = 6;
	len = test_build(&s, frame);
	ok(passed(frame, len, 1), "EtherType IPv4, version 6: passed unchanged");
	s.ip_version = 0;
	s.len_delta = 1;
	len = test_build(&s, frame);
	ok(passed(frame, len, 1), "IPv4 total length 1 byte beyond the frame: passed unchanged");
	s.len_delta = 0;
	len = test_build(&s, frame);
	frame[ETH_HLEN] = 0x44;
	ok(passed(frame, len, 1), "IPv4 IHL 4: passed unchanged");

	/* every length from the bare Ethernet header to one byte short of the IPv4 datagram */
	pkt_spec_init(&s, ETH_P_IP, IPPROTO_UDP);
	s.size = 100;
	len = test_build(&s, frame);
	for (n = ETH_HLEN, bad = 0; n < len; n++)
		bad += !passed(frame, n, 1);
	ok(!bad, "udp cut to each of %d..%d bytes: passed unchanged, no crash (%d wrong)",
	   ETH_HLEN, len - 1, bad);
}

/* forwarded(), and counted in this port: the slot the route is in. One check. */
static bool forwarded_in(__u32 port, const __u8 *f, __u32 len)
{
	__u64 attempted;

	if (!forwarded(f, len, ETH_HLEN))
		return false;
	attempted = port_counters(port).attempted;
	if (attempted != 1)
		diag("  attempted %llu in port %u", (unsigned long long)attempted, port);
	return attempted == 1;
}

/* The scan of the routes: the one for lo is found in any slot, up to the last, and the frame
 * counted in that slot's port; not past an unused slot, which ends the routes. */
static void test_slots(void)
{
	struct pkt_spec s;
	int len;

	pkt_spec_init(&s, ETH_P_IP, IPPROTO_UDP);
	len = test_build(&s, frame);
	ok(!set_routes(3, 3) && forwarded_in(3, frame, len), "the route in slot 3, after 3 for "
	   "other interfaces: forwarded, counted in port 3");
	ok(!set_routes(PORTS_MAX - 1, PORTS_MAX) && forwarded_in(PORTS_MAX - 1, frame, len),
	   "the route in the last slot, %d: forwarded, counted in port %d", PORTS_MAX - 1,
	   PORTS_MAX - 1);
	ok(!set_routes(PORTS_MAX, PORTS_MAX) && passed(frame, len, 0), "%d routes, none for the "
	   "interface it arrived on: passed unchanged, not counted", PORTS_MAX);
	ok(!set_routes(1, 0) && passed(frame, len, 0), "slot 0 unused, the route in slot 1: the "
	   "scan ends at slot 0: passed unchanged, not counted");
	ok(!set_routes(0, 1) && forwarded_in(0, frame, len), "the route back in slot 0: forwarded, "
	   "counted in port 0");
}

static void test_no_route(void)
{
	struct pkt_spec s;
	__u32 port = LO;
	int len;

	pkt_spec_init(&s, ETH_P_IP, IPPROTO_UDP);
	len = test_build(&s, frame);

	/* the devmap without the port: bpf_redirect_map() answers its fallback, XDP_PASS, and
	 * the program leaves the frame as it came */
	bpf_map__delete_elem(skel->maps.out_ports, &port, sizeof(port), 0);
	ok(passed(frame, len, 1), "no such interface in out_ports: passed unchanged, passed 1, "
	   "attempted 0");

	ok(!set_routes(PORTS_MAX, 0) && passed(frame, len, 0), "no route at all, every slot "
	   "unused: passed unchanged, not counted");
}

int main(void)
{
	__u32 slot = 0, lo = LO;

	tap_require_root();
	/* a namespace of our own: nothing here touches this machine's interfaces */
	if (unshare(CLONE_NEWNET)) {
		diag("cannot make a network namespace: %s", strerror(errno));
		return 1;
	}
	skel = redirect_bpf__open_and_load();
	if (!skel) {
		diag("cannot load redirect.bpf.o: %s", strerror(errno));
		return 1;
	}
	if (set_routes(0, 1) ||
	    bpf_map__update_elem(skel->maps.out_ports, &lo, sizeof(lo), &lo, sizeof(lo),
				 BPF_ANY) ||
	    bpf_map__update_elem(skel->maps.out_slots, &lo, sizeof(lo), &slot, sizeof(slot),
				 BPF_ANY)) {
		diag("cannot fill the maps: %s", strerror(errno));
		return 1;
	}
	test_forwarded();
	test_checksum_fuzz();
	test_passed();
	test_slots();
	test_no_route();
	redirect_bpf__destroy(skel);
	return tap_done();
}
