// SPDX-License-Identifier: GPL-2.0
/* Unit tests for tunnel.bpf.c, with bpf_prog_test_run_opts: the verdict, the frame as the
 * program left it, and the counters.
 *
 * encap: every IPv4 frame to 192.0.2.0/24 of every size up to the MTU (an inner packet of
 * 1450 bytes for a wire of 1500) comes back as XDP_REDIRECT, 50 bytes longer: outer headers
 * byte for byte as this test writes them (its own checksum code, common/packets.c), the frame
 * behind them unchanged; and decap turns it back into the frame that went in. Ethernet padding
 * does not go into the tunnel. Frames too big, not IPv4, tagged, to other addresses, malformed
 * or truncated come back as XDP_PASS, unchanged.
 *
 * decap: VXLAN as the kernel's vxlan device sends it (its own IP id, no DF) loses its 50 bytes;
 * VXLAN to another VNI, port, address or MAC, from another source, fragmented, with IP options,
 * a wrong UDP length, no I flag, or cut short anywhere comes back as XDP_PASS, unchanged.
 *
 * The outer UDP source port: in 49152-65535, the same for every packet of a flow and every
 * fragment of a datagram, and spread over the range by the flows. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <bpf/bpf.h>
#include "testing.h"
#include "stats.h"
#include "tunnel.h"
#include "tunnel.skel.h"

#define WIRE_MTU	1500
#define INNER_MTU	(WIRE_MTU - 50)		/* the biggest inner IPv4 packet */
#define MAX_FRAME	(ETH_HLEN + INNER_MTU)	/* the biggest inner frame: 1464 */

static const __u8 wire_mac[6] = { 0x02, 0x00, 0xcb, 0x00, 0x71, 0x01 };
static const __u8 hop_mac[6] = { 0x02, 0x00, 0xcb, 0x00, 0x71, 0x02 };
static struct tunnel_bpf *skel;
static __u8 frame[PKT_MAX], outer[PKT_MAX];
static struct xdp_result res;

static void zero_counters(void)
{
	static __u64 zero[1024];	/* one per possible CPU */
	__u32 key;

	for (key = 0; key < TUNNEL_MAX; key++)
		bpf_map__update_elem(skel->maps.counters, &key, sizeof(key), zero,
				     sizeof(zero[0]) * stats_ncpus(), BPF_ANY);
}

static __u64 counter(__u32 key)
{
	__u64 n = 0;

	stats_percpu_sum(bpf_map__fd(skel->maps.counters), key, &n, sizeof(n));
	return n;
}

static int run(const struct bpf_program *prog, const void *f, __u32 len)
{
	int err;

	zero_counters();
	err = xdp_run(bpf_program__fd(prog), 0, f, len, &res);
	if (err)
		diag("  the test run failed: %s", strerror(-err));
	return err;
}

static void put16(__u8 *p, unsigned int v)
{
	p[0] = v >> 8;
	p[1] = v;
}

/* The 50 bytes the tunnel puts in front of an inner frame of inner_len bytes, written here
 * field by field from RFC 7348 and RFC 791, the checksum by common/packets.c. The source port
 * is the program's to choose: sport, in network order. */
static void want_outer(__u8 *w, unsigned int inner_len, const __u8 *sport, __u8 tos)
{
	__u8 *ip = w + 14, *udp = w + 34, *vx = w + 42;
	__u16 check;

	memset(w, 0, 50);
	memcpy(w, hop_mac, 6);
	memcpy(w + 6, wire_mac, 6);
	put16(w + 12, ETH_P_IP);
	ip[0] = 0x45;
	ip[1] = tos;
	put16(ip + 2, 20 + 8 + 8 + inner_len);
	ip[6] = 0x40;			/* DF, offset 0; id 0 */
	ip[8] = 64;
	ip[9] = IPPROTO_UDP;
	inet_pton(AF_INET, "203.0.113.1", ip + 12);
	inet_pton(AF_INET, "203.0.113.2", ip + 16);
	check = pkt_csum(ip, 20, 0);
	memcpy(ip + 10, &check, 2);
	memcpy(udp, sport, 2);
	put16(udp + 2, 4789);
	put16(udp + 4, 8 + 8 + inner_len);
	vx[0] = 0x08;
	vx[6] = 42;			/* VNI 42: 00 00 2a */
}

/* What the far end sends has the shape of what we send, the ends swapped: MACs and IPv4
 * addresses trade places, which leaves the checksum as it is. */
static void turn_around(__u8 *f)
{
	__u8 tmp[6];

	memcpy(tmp, f, 6);
	memcpy(f, f + 6, 6);
	memcpy(f + 6, tmp, 6);
	memcpy(tmp, f + 26, 4);
	memcpy(f + 26, f + 30, 4);
	memcpy(f + 30, tmp, 4);
}

static unsigned int port_of(const __u8 *f)
{
	return (unsigned int)f[34] << 8 | f[35];
}

/* encap(f) is the outer headers and then f's first inner_len bytes (all of f unless it is
 * padded), and decap of that, coming back from the far end, gives them back. One check. */
static bool round_trip(const __u8 *f, __u32 len, __u32 inner_len)
{
	static __u8 want[50], enc[PKT_MAX];
	__u32 enc_len;
	bool good;

	if (run(skel->progs.encap, f, len))
		return false;
	want_outer(want, inner_len, res.data + 34, f[15]);
	good = res.verdict == XDP_REDIRECT && res.len == inner_len + 50 &&
	       !memcmp(res.data, want, 50) && pkt_ipv4_csum_ok(res.data + 14) &&
	       port_of(res.data) >= 49152 && !memcmp(res.data + 50, f, inner_len) &&
	       counter(TUNNEL_ENCAP) == 1 && counter(TUNNEL_PASSED) == 0;
	if (!good) {
		diag("  encap: verdict %s, length %u (want %u), outer %s, checksum %s, port %u, "
		     "inner %s", xdp_action_name(res.verdict), res.len, inner_len + 50,
		     res.len >= 50 && !memcmp(res.data, want, 50) ? "ok" : "DIFFERS",
		     pkt_ipv4_csum_ok(res.data + 14) ? "ok" : "BAD", port_of(res.data),
		     res.len == inner_len + 50 && !memcmp(res.data + 50, f, inner_len) ? "same" :
		     "DIFFERS");
		return false;
	}
	enc_len = res.len;
	memcpy(enc, res.data, enc_len);
	turn_around(enc);
	if (run(skel->progs.decap, enc, enc_len))
		return false;
	good = res.verdict == XDP_REDIRECT && res.len == inner_len &&
	       !memcmp(res.data, f, inner_len) && counter(TUNNEL_DECAP) == 1;
	if (!good)
		diag("  decap: verdict %s, length %u (want %u)", xdp_action_name(res.verdict),
		     res.len, inner_len);
	return good;
}

/* The program left the frame alone and said XDP_PASS, counted as what. One check. */
static bool passed(const struct bpf_program *prog, const __u8 *f, __u32 len, __u32 counted)
{
	bool good;

	if (run(prog, f, len))
		return false;
	good = res.verdict == XDP_PASS && res.len == len && !memcmp(res.data, f, len) &&
	       counter(counted) == 1 && counter(TUNNEL_ENCAP) == 0 && counter(TUNNEL_DECAP) == 0;
	if (!good)
		diag("  verdict %s, frame %s", xdp_action_name(res.verdict),
		     res.len == len && !memcmp(res.data, f, len) ? "unchanged" : "CHANGED");
	return good;
}

static int build(__u8 ip_proto, __u32 size)
{
	struct pkt_spec s;

	pkt_spec_init(&s, ETH_P_IP, ip_proto);
	s.size = size;
	return test_build(&s, frame);
}

static void test_encap(void)
{
	static const __u8 protos[] = { IPPROTO_UDP, IPPROTO_ICMP, IPPROTO_TCP };
	static const char *const names[] = { "udp", "icmp", "tcp" };
	struct pkt_spec s;
	unsigned int i, n, first, bad;
	int len;

	for (i = 0; i < 3; i++) {
		first = build(protos[i], 0);	/* headers only: the smallest */
		for (n = first, bad = 0; n <= MAX_FRAME && bad < 5; n++) {
			len = build(protos[i], n);
			bad += !round_trip(frame, len, len);
		}
		ok(!bad, "%s frames of every size from %u to %u bytes: outer headers byte for byte, "
		   "checksum valid, decap(encap(f)) == f", names[i], first, MAX_FRAME);
	}

	/* the TOS, ECN bits and all, goes to the outer header */
	pkt_spec_init(&s, ETH_P_IP, IPPROTO_UDP);
	len = test_build(&s, frame);
	frame[15] = 0xb9;		/* DSCP 46 (EF), ECN 01 */
	frame[24] = frame[25] = 0;
	memcpy(frame + 24, &(__u16){ pkt_csum(frame + 14, 20, 0) }, 2);
	ok(round_trip(frame, len, len), "TOS 0xb9 (EF, ECT(1)): the outer TOS is 0xb9 too");

	/* an IPv4 packet with options: the program strips none of it */
	pkt_spec_init(&s, ETH_P_IP, IPPROTO_UDP);
	s.ihl = 8;
	s.size = 300;
	len = test_build(&s, frame);
	ok(round_trip(frame, len, len), "a packet with 12 bytes of IP options: tunnelled whole");

	/* Ethernet padding: a 43-byte frame padded to 60 goes in as 43 bytes */
	len = build(IPPROTO_UDP, 43);
	memset(frame + len, 0, 60 - len);
	ok(round_trip(frame, 60, len), "a %d-byte UDP frame padded to 60: 17 bytes of padding "
	   "trimmed (adjust_tail), %d + 50 bytes go out", len, len);
	len = build(IPPROTO_ICMP, 0);
	memset(frame + len, 0xee, 60 - len);
	ok(round_trip(frame, 60, len), "a %d-byte ICMP frame padded to 60 with 0xee: trimmed too",
	   len);
}

static void test_too_big(void)
{
	unsigned int n, bad;
	int len;

	len = build(IPPROTO_UDP, MAX_FRAME);
	ok(round_trip(frame, len, len), "an inner IPv4 packet of exactly %d bytes (%d on the "
	   "wire with 50 more): tunnelled", INNER_MTU, WIRE_MTU);
	for (n = MAX_FRAME + 1, bad = 0; n <= ETH_HLEN + WIRE_MTU; n++) {
		len = build(IPPROTO_UDP, n);
		bad += !passed(skel->progs.encap, frame, len, TUNNEL_TOO_BIG);
	}
	ok(!bad, "frames of %d to %d bytes, too big for the tunnel: passed unchanged, counted "
	   "too big (%u wrong)", MAX_FRAME + 1, ETH_HLEN + WIRE_MTU, bad);
}

static void test_encap_passes(void)
{
	struct pkt_spec s;
	unsigned int n, bad;
	int len;

	pkt_spec_init(&s, ETH_P_IP, IPPROTO_UDP);
	inet_pton(AF_INET, "198.51.100.1", &s.daddr);
	len = test_build(&s, frame);
	ok(passed(skel->progs.encap, frame, len, TUNNEL_PASSED), "udp to 198.51.100.1, not "
	   "behind the tunnel: passed unchanged");
	inet_pton(AF_INET, "192.0.3.1", &s.daddr);
	len = test_build(&s, frame);
	ok(passed(skel->progs.encap, frame, len, TUNNEL_PASSED), "... to 192.0.3.1, just past "
	   "192.0.2.0/24: passed");
	pkt_spec_init(&s, ETH_P_ARP, 0);
	len = test_build(&s, frame);
	ok(passed(skel->progs.encap, frame, len, TUNNEL_PASSED), "arp: passed (IPv4 only)");
	pkt_spec_init(&s, ETH_P_IPV6, IPPROTO_ICMPV6);
	len = test_build(&s, frame);
	ok(passed(skel->progs.encap, frame, len, TUNNEL_PASSED), "ICMPv6: passed");
	pkt_spec_init(&s, ETH_P_IP, IPPROTO_UDP);
	s.vlans = 1;
	s.vlan_id[0] = 5;
	len = test_build(&s, frame);
	ok(passed(skel->progs.encap, frame, len, TUNNEL_PASSED), "udp in a VLAN tag: passed");
	pkt_spec_init(&s, ETH_P_IP, IPPROTO_UDP);
	s.ip_version = 6;
	len = test_build(&s, frame);
	ok(passed(skel->progs.encap, frame, len, TUNNEL_PASSED), "IPv4 EtherType, version 6 "
	   "in the header: passed");
	pkt_spec_init(&s, ETH_P_IP, IPPROTO_UDP);
	s.len_delta = 1;
	len = test_build(&s, frame);
	ok(passed(skel->progs.encap, frame, len, TUNNEL_PASSED), "total length 1 more than the "
	   "frame holds: passed");

	len = build(IPPROTO_UDP, 100);
	for (n = ETH_HLEN, bad = 0; n < 100; n++)
		bad += !passed(skel->progs.encap, frame, n, TUNNEL_PASSED);
	ok(!bad, "a 100-byte udp frame cut to each length from 14 to 99: passed unchanged (%u "
	   "wrong)", bad);
}

/* The frame the kernel's vxlan device at the far end would send us with f inside: its own id,
 * no DF, a port of its own choosing. Into outer; returns the length. */
static __u32 kernel_vxlan(const __u8 *f, __u32 len)
{
	static const __u8 sport[2] = { 0x9a, 0x5b };

	want_outer(outer, len, sport, 0);
	outer[18] = 0x12;		/* id 0x1234 */
	outer[19] = 0x34;
	outer[20] = 0;			/* no DF */
	outer[24] = outer[25] = 0;
	memcpy(outer + 24, &(__u16){ pkt_csum(outer + 14, 20, 0) }, 2);
	memcpy(outer + 50, f, len);
	turn_around(outer);
	return len + 50;
}

static void fix_ip_csum(__u8 *f)
{
	f[24] = f[25] = 0;
	memcpy(f + 24, &(__u16){ pkt_csum(f + 14, 20, 0) }, 2);
}

static bool decap_passes(const __u8 *f, __u32 len)
{
	return passed(skel->progs.decap, f, len, TUNNEL_PASSED);
}

static void test_decap(void)
{
	struct pkt_spec s;
	__u32 len, olen, n, bad;

	pkt_spec_init(&s, ETH_P_IP, IPPROTO_ICMP);
	s.size = 98;
	len = test_build(&s, frame);
	olen = kernel_vxlan(frame, len);
	ok(!run(skel->progs.decap, outer, olen) && res.verdict == XDP_REDIRECT && res.len == len &&
	   !memcmp(res.data, frame, len) && counter(TUNNEL_DECAP) == 1,
	   "VXLAN as the kernel sends it (id 0x1234, no DF), a 98-byte ping inside: XDP_REDIRECT, "
	   "the ping exactly");
	pkt_spec_init(&s, ETH_P_ARP, 0);
	len = test_build(&s, frame);
	olen = kernel_vxlan(frame, len);
	ok(!run(skel->progs.decap, outer, olen) && res.verdict == XDP_REDIRECT && res.len == len &&
	   !memcmp(res.data, frame, len), "... an ARP request inside: decapsulated too (the far "
	   "side's frames are all for our LAN)");
	/* trailing bytes after the outer packet: not the inner frame's */
	len = build(IPPROTO_UDP, 0);
	olen = kernel_vxlan(frame, len);
	memset(outer + olen, 0, 20);
	ok(!run(skel->progs.decap, outer, olen + 20) && res.verdict == XDP_REDIRECT &&
	   res.len == len && !memcmp(res.data, frame, len), "... with 20 bytes after the outer "
	   "packet: trimmed, the %u-byte frame exactly", len);

	len = build(IPPROTO_ICMP, 98);
	olen = kernel_vxlan(frame, len);
	memcpy(outer + 300, outer, olen);	/* the good one, to damage copies of */
#define DAMAGED(what, stmt) do {					\
		memcpy(outer, outer + 300, olen);			\
		stmt;							\
		ok(decap_passes(outer, olen), "VXLAN " what ": passed unchanged"); \
	} while (0)
	DAMAGED("to VNI 43", outer[48] = 43);
	DAMAGED("to VNI 42 + 65536", outer[46] = 1);
	DAMAGED("to port 4790", outer[37] = 0xb6);
	DAMAGED("to port 8472 (Linux's default)", put16(outer + 36, 8472));
	DAMAGED("without the I flag", outer[42] = 0);
	DAMAGED("from 203.0.113.3, not the far end", (outer[29] = 3, fix_ip_csum(outer)));
	DAMAGED("to 203.0.113.9, not us", (outer[33] = 9, fix_ip_csum(outer)));
	DAMAGED("to another MAC", outer[5] = 0x09);
	DAMAGED("in a first fragment (MF)", (outer[20] = 0x20, fix_ip_csum(outer)));
	DAMAGED("in a later fragment", (outer[21] = 1, fix_ip_csum(outer)));
	DAMAGED("with a UDP length 1 short", put16(outer + 38, olen - 34 - 1));
	DAMAGED("as TCP", (outer[23] = IPPROTO_TCP, fix_ip_csum(outer)));
	DAMAGED("with the IPv6 EtherType", put16(outer + 12, ETH_P_IPV6));

	/* outer IPv4 options: 4 of them, so the 50 bytes are not the outer headers */
	memcpy(outer, outer + 300, 34);
	outer[14] = 0x46;
	put16(outer + 16, olen - 14 + 4);
	memset(outer + 34, 1, 4);	/* NOPs */
	memcpy(outer + 38, outer + 300 + 34, olen - 34);
	put16(outer + 42, olen - 34 + 4 - 4);
	fix_ip_csum(outer);
	ok(decap_passes(outer, olen + 4), "VXLAN with 4 bytes of outer IP options: passed");

	/* only a VXLAN header and less than a whole inner Ethernet header, and every cut */
	memcpy(outer, outer + 300, olen);
	put16(outer + 16, 20 + 8 + 8 + 13);
	put16(outer + 38, 8 + 8 + 13);
	fix_ip_csum(outer);
	ok(decap_passes(outer, 50 + 13), "VXLAN with 13 bytes inside, no whole Ethernet header: "
	   "passed");
	memcpy(outer, outer + 300, olen);
	for (n = 14, bad = 0; n < olen; n++)
		bad += !decap_passes(outer, n);
	ok(!bad, "VXLAN with a %u-byte ping inside, cut to each length from 14 to %u: passed "
	   "unchanged (%u wrong)", len, olen - 1, bad);
}

static unsigned int encap_port(const __u8 *f, __u32 len)
{
	if (run(skel->progs.encap, f, len) || res.verdict != XDP_REDIRECT)
		return 0;
	return port_of(res.data);
}

static void test_ports(void)
{
	static unsigned char seen[16384];
	unsigned int i, p, first, distinct = 0, low = 65535, high = 0, same = 1;
	struct pkt_spec s;
	int len;

	pkt_spec_init(&s, ETH_P_IP, IPPROTO_UDP);
	s.size = 60;
	len = test_build(&s, frame);
	first = encap_port(frame, len);
	for (i = 0; i < 20; i++) {
		s.size = 60 + 50 * i;
		s.ip_id = i;
		len = test_build(&s, frame);
		same &= encap_port(frame, len) == first;
	}
	ok(first && same, "one UDP flow, 20 packets of different sizes and ids: one source port "
	   "(%u)", first);

	srandom(8);
	for (i = 0; i < 1000; i++) {
		pkt_spec_init(&s, ETH_P_IP, i % 3 ? IPPROTO_UDP : IPPROTO_TCP);
		s.saddr.s_addr = htonl(0xc0000200 | (random() & 0xff));
		s.sport = random();
		s.dport = random();
		len = test_build(&s, frame);
		p = encap_port(frame, len);
		if (p < low)
			low = p;
		if (p > high)
			high = p;
		if (p >= 49152 && !seen[p - 49152]++)
			distinct++;
	}
	ok(low >= 49152 && high <= 65535, "1000 random flows: source ports from %u to %u, within "
	   "49152-65535", low, high);
	/* 1000 balls in 16384 bins: about 30 collisions for an even hash */
	ok(distinct >= 950, "... %u different ports (at least 950 for a hash that spreads)",
	   distinct);

	pkt_spec_init(&s, ETH_P_IP, IPPROTO_UDP);
	s.sport = 1000;
	len = test_build(&s, frame);
	first = encap_port(frame, len);
	s.sport = 1001;
	len = test_build(&s, frame);
	ok(encap_port(frame, len) != first, "UDP port 1000 and 1001 between the same hosts: "
	   "different source ports");

	pkt_spec_init(&s, ETH_P_IP, IPPROTO_UDP);
	s.size = 200;
	s.frag = 0x2000;		/* MF: the first fragment, with the ports */
	len = test_build(&s, frame);
	first = encap_port(frame, len);
	s.frag = 0x2000 | 176 / 8;
	len = test_build(&s, frame);
	p = encap_port(frame, len);
	s.frag = 352 / 8;		/* the last */
	len = test_build(&s, frame);
	ok(first && p == first && encap_port(frame, len) == first, "three fragments of one UDP "
	   "datagram: one source port");
}

int main(void)
{
	tap_require_root();
	skel = tunnel_bpf__open();
	if (!skel) {
		diag("cannot open tunnel.bpf.o: %s", strerror(errno));
		return 1;
	}
	/* the tunnel as the loader would set it up in the lab (lab/lab up tunnel) */
	skel->rodata->cfg.lan_ifindex = 1;
	skel->rodata->cfg.wire_ifindex = 1;
	memcpy((__u8 *)skel->rodata->cfg.wire_mac, wire_mac, 6);
	memcpy((__u8 *)skel->rodata->cfg.next_hop_mac, hop_mac, 6);
	inet_pton(AF_INET, "203.0.113.1", (void *)&skel->rodata->cfg.local);
	inet_pton(AF_INET, "203.0.113.2", (void *)&skel->rodata->cfg.remote);
	inet_pton(AF_INET, "192.0.2.0", (void *)&skel->rodata->cfg.net);
	inet_pton(AF_INET, "255.255.255.0", (void *)&skel->rodata->cfg.mask);
	skel->rodata->cfg.vni = 42;
	skel->rodata->cfg.port = VXLAN_PORT;
	skel->rodata->cfg.inner_mtu = INNER_MTU;
	if (tunnel_bpf__load(skel)) {
		diag("cannot load tunnel.bpf.o: %s", strerror(errno));
		return 1;
	}
	test_encap();
	test_too_big();
	test_encap_passes();
	test_decap();
	test_ports();
	tunnel_bpf__destroy(skel);
	return tap_done();
}
