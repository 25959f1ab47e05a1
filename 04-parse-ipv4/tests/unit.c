// SPDX-License-Identifier: GPL-2.0
/* Unit tests for parse_ipv4.bpf.c: one check per frame, covering all of it at once -- the
 * verdict (XDP_DROP for a blocked source, XDP_PASS for everything else), the frame left
 * unchanged, and every counter: exactly 1 under the frame's heading, 0 under all the others.
 * The counters are zeroed before each frame. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <bpf/bpf.h>
#include "testing.h"
#include "stats.h"
#include "parse_ipv4.h"
#include "parse_ipv4.skel.h"

#define IPPROTO_GRE_ 47		/* a protocol the program does not parse: "ip-other" */

static const char *const names[COUNT_MAX] = COUNTER_NAMES;
static struct parse_ipv4_bpf *skel;
static int ncpus;
static __u64 *percpu;

static void zero_counters(void)
{
	__u32 key;

	memset(percpu, 0, ncpus * sizeof(*percpu));
	for (key = 0; key < COUNT_MAX; key++)
		bpf_map_update_elem(bpf_map__fd(skel->maps.counters), &key, percpu, BPF_ANY);
}

static int read_counters(__u64 *sum)
{
	__u32 key;
	int err;

	for (key = 0; key < COUNT_MAX; key++) {
		err = stats_percpu_sum(bpf_map__fd(skel->maps.counters), key, &sum[key],
				       sizeof(sum[key]));
		if (err)
			return err;
	}
	return 0;
}

/* Run one frame; one check for the verdict, the frame and every counter. */
static void expect(const void *frame, __u32 len, enum counter want, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void expect(const void *frame, __u32 len, enum counter want, const char *fmt, ...)
{
	__u32 want_verdict = want == COUNT_BLOCKED ? XDP_DROP : XDP_PASS;
	static struct xdp_result res;
	__u64 got[COUNT_MAX];
	char what[256];
	bool good;
	va_list ap;
	int err, i;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);

	zero_counters();
	err = xdp_run(bpf_program__fd(skel->progs.parse_ipv4), 1, frame, len, &res);
	if (!err)
		err = read_counters(got);
	good = !err && res.verdict == want_verdict && res.len == len &&
	       !memcmp(res.data, frame, len);
	for (i = 0; !err && i < COUNT_MAX; i++)
		good = good && got[i] == (i == (int)want);
	ok(good, "%s: %s, %s 1, the rest 0", what, xdp_action_name(want_verdict), names[want]);
	if (good)
		return;
	if (err) {
		diag("  the test run failed: %s", strerror(-err));
		return;
	}
	diag("  verdict %s, frame %s", xdp_action_name(res.verdict),
	     res.len == len && !memcmp(res.data, frame, len) ? "unchanged" : "CHANGED");
	for (i = 0; i < COUNT_MAX; i++)
		if (got[i])
			diag("  %s %llu", names[i], (unsigned long long)got[i]);
}

static __u8 frame[PKT_MAX];

static const char *proto_name(__u8 proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return "tcp";
	case IPPROTO_UDP:
		return "udp";
	case IPPROTO_ICMP:
		return "icmp";
	}
	return "gre";
}

static enum counter proto_counter(__u8 proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return COUNT_TCP;
	case IPPROTO_UDP:
		return COUNT_UDP;
	case IPPROTO_ICMP:
		return COUNT_ICMP;
	}
	return COUNT_IP_OTHER;
}

/* The transport header's length as the packet builder writes it (none for GRE: we do not
 * parse it, so the program needs none of its bytes). */
static __u32 l4_len(__u8 proto)
{
	return proto == IPPROTO_TCP ? 20 : proto == IPPROTO_GRE_ ? 0 : 8;
}

static const char *l4_name(__u8 proto)
{
	return proto == IPPROTO_TCP ? "TCP header" : proto == IPPROTO_UDP ? "UDP header" :
	       "ICMP header";
}

static const __u8 protos[] = { IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP, IPPROTO_GRE_ };

/* 0, 1 or 2 tags: a single 802.1Q tag; 802.1ad outside 802.1Q inside, as providers stack them */
static void set_vlans(struct pkt_spec *s, int vlans)
{
	s->vlans = vlans;
	s->vlan_tpid[0] = vlans == 2 ? ETH_P_8021AD : ETH_P_8021Q;
	s->vlan_id[0] = vlans == 2 ? 200 : 100;
	s->vlan_tpid[1] = ETH_P_8021Q;
	s->vlan_id[1] = 100;
}

static const char *vlan_text(int vlans)
{
	return vlans == 0 ? "no VLAN tag" : vlans == 1 ? "1 VLAN tag (802.1Q)" :
	       "2 VLAN tags (802.1ad, 802.1Q)";
}

static void test_protocols(void)
{
	struct pkt_spec s;
	unsigned int p;
	int v, len;

	for (p = 0; p < sizeof(protos); p++) {
		for (v = 0; v <= 2; v++) {
			pkt_spec_init(&s, ETH_P_IP, protos[p]);
			set_vlans(&s, v);
			len = test_build(&s, frame);
			expect(frame, len, proto_counter(protos[p]), "%s, %s, %d bytes",
			       proto_name(protos[p]), vlan_text(v), len);
		}
	}

	pkt_spec_init(&s, ETH_P_IP, IPPROTO_UDP);
	s.size = 60;
	len = test_build(&s, frame);
	expect(frame, len, COUNT_UDP, "udp, a minimum 60-byte frame, payload up to the end");
	s.size = 1514;
	len = test_build(&s, frame);
	expect(frame, len, COUNT_UDP, "udp, a full 1514-byte frame");

	/* The sender's datagram is 28 bytes; Ethernet pads the frame to 60 with zeros. */
	s.size = 0;
	len = test_build(&s, frame);
	memset(frame + len, 0, 60 - len);
	expect(frame, 60, COUNT_UDP, "udp, 42 bytes padded to 60: total length 28 < the frame");

	pkt_spec_init(&s, ETH_P_IP, IPPROTO_UDP);
	s.vlans = 1;
	s.vlan_tpid[0] = ETH_P_8021AD;
	len = test_build(&s, frame);
	expect(frame, len, COUNT_UDP, "udp, 1 VLAN tag (802.1ad)");
	s.vlans = 2;
	s.vlan_tpid[0] = s.vlan_tpid[1] = ETH_P_8021Q;
	len = test_build(&s, frame);
	expect(frame, len, COUNT_UDP, "udp, 2 VLAN tags (802.1Q, 802.1Q)");
}

static void test_not_ipv4(void)
{
	struct pkt_spec s;
	int v, len;

	for (v = 0; v <= 2; v++) {
		pkt_spec_init(&s, ETH_P_IPV6, IPPROTO_UDP);
		set_vlans(&s, v);
		len = test_build(&s, frame);
		expect(frame, len, COUNT_IPV6, "udp/ipv6, %s", vlan_text(v));

		pkt_spec_init(&s, ETH_P_ARP, 0);
		set_vlans(&s, v);
		len = test_build(&s, frame);
		expect(frame, len, COUNT_ARP, "arp request, %s", vlan_text(v));

		pkt_spec_init(&s, 0x88b5, 0);
		set_vlans(&s, v);
		s.size = 64;
		len = test_build(&s, frame);
		expect(frame, len, COUNT_OTHER, "unknown EtherType 0x88b5, %s", vlan_text(v));
	}

	pkt_spec_init(&s, 0x002e, 0);
	s.size = 60;
	len = test_build(&s, frame);
	expect(frame, len, COUNT_OTHER, "802.3 frame (a length, 46, where the EtherType goes)");

	/* Two tags, and where the EtherType should be, a third tag: we parse only two. */
	pkt_spec_init(&s, ETH_P_8021Q, 0);
	set_vlans(&s, 2);
	s.size = 64;
	len = test_build(&s, frame);
	expect(frame, len, COUNT_OTHER, "three VLAN tags: more than we parse");

	/* An IPv4 version field in an IPv6 frame: IPv6 is told by its EtherType alone. */
	pkt_spec_init(&s, ETH_P_IPV6, IPPROTO_UDP);
	s.ip_version = 4;
	len = test_build(&s, frame);
	expect(frame, len, COUNT_IPV6, "EtherType IPv6, version 4 inside: counted by EtherType");
}

static void test_ihl(void)
{
	struct pkt_spec s;
	unsigned int p;
	int ihl, len;

	for (p = 0; p < sizeof(protos); p++) {
		for (ihl = 6; ihl <= 15; ihl++) {
			pkt_spec_init(&s, ETH_P_IP, protos[p]);
			s.ihl = ihl;
			len = test_build(&s, frame);
			expect(frame, len, proto_counter(protos[p]),
			       "%s, IHL %d: %d bytes of options skipped", proto_name(protos[p]),
			       ihl, (ihl - 5) * 4);
		}
	}
	pkt_spec_init(&s, ETH_P_IP, IPPROTO_UDP);
	s.ihl = 15;
	set_vlans(&s, 2);
	len = test_build(&s, frame);
	expect(frame, len, COUNT_UDP, "udp, IHL 15, %s", vlan_text(2));

	for (ihl = 0; ihl < 5; ihl++) {
		/* the builder writes 20 bytes whatever the IHL; patch the field itself */
		pkt_spec_init(&s, ETH_P_IP, IPPROTO_UDP);
		len = test_build(&s, frame);
		frame[ETH_HLEN] = 0x40 | ihl;
		expect(frame, len, COUNT_MALFORMED, "udp, IHL %d < 5", ihl);
	}

	/* IHL 15 says 60 bytes of header; the frame has the 28-byte datagram only. */
	pkt_spec_init(&s, ETH_P_IP, IPPROTO_UDP);
	len = test_build(&s, frame);
	frame[ETH_HLEN] = 0x4f;
	expect(frame, len, COUNT_MALFORMED, "udp, IHL 15 in a 42-byte frame (total length 28)");
	s.size = 60;
	len = test_build(&s, frame);
	frame[ETH_HLEN] = 0x4f;
	expect(frame, len, COUNT_MALFORMED, "udp, IHL 15 in a 60-byte frame (total length 46)");
	/* and total length agrees with IHL, but the frame is shorter than both */
	frame[ETH_HLEN + 3] = 60 + 8;
	expect(frame, len, COUNT_MALFORMED, "udp, IHL 15 and total length 68 in a 60-byte frame");
}

static void test_header_fields(void)
{
	static const __u8 versions[] = { 0, 5, 6, 15 };
	struct pkt_spec s;
	unsigned int i;
	int len;

	for (i = 0; i < sizeof(versions); i++) {
		pkt_spec_init(&s, ETH_P_IP, IPPROTO_UDP);
		len = test_build(&s, frame);
		frame[ETH_HLEN] = versions[i] << 4 | 5;
		expect(frame, len, COUNT_MALFORMED, "udp, IP version %u in an IPv4 frame",
		       versions[i]);
	}

	pkt_spec_init(&s, ETH_P_IP, IPPROTO_UDP);
	s.len_delta = 1;
	len = test_build(&s, frame);
	expect(frame, len, COUNT_MALFORMED, "udp, total length 1 byte more than the frame");
	s.len_delta = 1000;
	len = test_build(&s, frame);
	expect(frame, len, COUNT_MALFORMED, "udp, total length 1000 bytes more than the frame");
	s.len_delta = -9;
	len = test_build(&s, frame);
	expect(frame, len, COUNT_MALFORMED, "udp, total length 19 < the 20-byte header");
	s.len_delta = -28;
	len = test_build(&s, frame);
	expect(frame, len, COUNT_MALFORMED, "udp, total length 0");

	/* The frame holds a whole UDP header, but the datagram ends before it: padding. */
	pkt_spec_init(&s, ETH_P_IP, IPPROTO_UDP);
	s.size = 60;
	s.len_delta = -(60 - ETH_HLEN - 20);
	len = test_build(&s, frame);
	expect(frame, len, COUNT_MALFORMED,
	       "udp, total length 20 in a 60-byte frame: no UDP header, only padding");
	s.len_delta = -(60 - ETH_HLEN - 27);
	len = test_build(&s, frame);
	expect(frame, len, COUNT_MALFORMED, "udp, total length 27: 7 bytes of UDP header");
	s.len_delta = -(60 - ETH_HLEN - 28);
	len = test_build(&s, frame);
	expect(frame, len, COUNT_UDP, "udp, total length 28 in a 60-byte frame: just the header");

	pkt_spec_init(&s, ETH_P_IP, IPPROTO_GRE_);
	len = test_build(&s, frame);
	expect(frame, len, COUNT_IP_OTHER, "gre, total length 20: an empty datagram is valid");

	/* TCP's data offset, like IHL, is a header length in 32-bit words. */
	pkt_spec_init(&s, ETH_P_IP, IPPROTO_TCP);
	len = test_build(&s, frame);
	for (i = 0; i < 5; i++) {
		frame[ETH_HLEN + 20 + 12] = i << 4;
		expect(frame, len, COUNT_MALFORMED, "tcp, data offset %u < 5", i);
	}
	frame[ETH_HLEN + 20 + 12] = 6 << 4;
	expect(frame, len, COUNT_MALFORMED, "tcp, data offset 6: 24 bytes, the datagram has 20");
	s.size = ETH_HLEN + 20 + 24;
	len = test_build(&s, frame);
	frame[ETH_HLEN + 20 + 12] = 6 << 4;
	expect(frame, len, COUNT_TCP, "tcp, data offset 6 with 24 bytes in the datagram");
	frame[ETH_HLEN + 20 + 12] = 15 << 4;
	expect(frame, len, COUNT_MALFORMED, "tcp, data offset 15: 60 bytes, the datagram has 24");
}

struct hdr_span {
	const char *name;
	__u32 start, end;
};

/* Every cut of one kind of frame: proto, v VLAN tags, IHL ihl. */
static void cut_everywhere(__u8 proto, int v, int ihl)
{
	static const char *const where[3] = { "before", "1 byte into", "1 byte short of" };
	__u32 l3 = ETH_HLEN + 4 * v, ip_end = l3 + 4 * ihl, n = 0, h, k;
	char what[128];
	struct hdr_span hdr[5];
	struct pkt_spec s;
	int len;

	hdr[n++] = (struct hdr_span){ "Ethernet header", 0, ETH_HLEN };
	if (v >= 1)
		hdr[n++] = (struct hdr_span){ "first VLAN tag", 14, 18 };
	if (v == 2)
		hdr[n++] = (struct hdr_span){ "second VLAN tag", 18, 22 };
	hdr[n++] = (struct hdr_span){ "IPv4 header", l3, ip_end };
	if (l4_len(proto))
		hdr[n++] = (struct hdr_span){ l4_name(proto), ip_end, ip_end + l4_len(proto) };

	snprintf(what, sizeof(what), "%s, %s, IHL %d", proto_name(proto), vlan_text(v), ihl);
	pkt_spec_init(&s, ETH_P_IP, proto);
	set_vlans(&s, v);
	s.ihl = ihl;
	len = test_build(&s, frame);
	if (!ok((__u32)len == hdr[n - 1].end, "%s: %d bytes of headers", what, len))
		return;
	for (h = 0; h < n; h++) {
		__u32 cuts[3] = { hdr[h].start, hdr[h].start + 1, hdr[h].end - 1 };

		for (k = 0; k < 3; k++) {
			if (cuts[k] < ETH_HLEN)
				continue;	/* test_too_short() */
			s.len_delta = 0;
			test_build(&s, frame);
			expect(frame, cuts[k], COUNT_MALFORMED, "%s, cut to %u bytes: %s the %s",
			       what, cuts[k], where[k], hdr[h].name);
			if (cuts[k] < ip_end)
				continue;
			s.len_delta = (int)cuts[k] - len;
			test_build(&s, frame);
			expect(frame, cuts[k], COUNT_MALFORMED,
			       "%s, cut to %u bytes: %s the %s, total length %u", what, cuts[k],
			       where[k], hdr[h].name, cuts[k] - l3);
		}
	}
}

/* Cut frames at every header boundary, 1 byte into each header and 1 byte before its end.
 * With the total length as built, the IPv4 check catches every cut; with the total length
 * shrunk to the cut (a sender that built a short datagram), the transport check must. */
static void test_truncation(void)
{
	unsigned int p;
	int v, ihl;

	for (p = 0; p < sizeof(protos); p++)
		for (v = 0; v <= 2; v++)
			for (ihl = 5; ihl <= 6; ihl++)
				cut_everywhere(protos[p], v, ihl);
}

/* bpf_prog_test_run refuses XDP frames shorter than an Ethernet header: the program cannot see
 * one on an Ethernet device either, but it checks anyway -- the verifier insists. */
static void test_too_short(void)
{
	static struct xdp_result res;
	struct pkt_spec s;

	pkt_spec_init(&s, ETH_P_IP, IPPROTO_UDP);
	test_build(&s, frame);
	is_u64(-xdp_run(bpf_program__fd(skel->progs.parse_ipv4), 1, frame, 13, &res), EINVAL,
	       "a 13-byte frame: the kernel refuses the test run (EINVAL)");
	is_u64(-xdp_run(bpf_program__fd(skel->progs.parse_ipv4), 1, frame, 1, &res), EINVAL,
	       "a 1-byte frame: the kernel refuses the test run (EINVAL)");
}

static void test_fragments(void)
{
	struct pkt_spec s;
	unsigned int p;
	int len;

	for (p = 0; p < sizeof(protos); p++) {
		const char *name = proto_name(protos[p]);

		pkt_spec_init(&s, ETH_P_IP, protos[p]);
		s.frag = 0x2000;		/* MF, offset 0 */
		s.size = 200;
		len = test_build(&s, frame);
		expect(frame, len, proto_counter(protos[p]),
		       "%s, first fragment (MF, offset 0): its transport header is parsed", name);
		s.frag = 0x2000 | 1480 / 8;
		len = test_build(&s, frame);
		expect(frame, len, COUNT_FRAGMENT, "%s, middle fragment (MF, offset 1480)", name);
		s.frag = 1480 / 8;
		len = test_build(&s, frame);
		expect(frame, len, COUNT_FRAGMENT, "%s, last fragment (offset 1480)", name);
		s.frag = 1;
		s.size = 0;
		len = test_build(&s, frame);
		expect(frame, len, COUNT_FRAGMENT, "%s, offset 8, nothing after the IPv4 header",
		       name);
	}
	pkt_spec_init(&s, ETH_P_IP, IPPROTO_UDP);
	set_vlans(&s, 2);
	s.frag = 0x2000 | 1;
	s.size = 100;
	len = test_build(&s, frame);
	expect(frame, len, COUNT_FRAGMENT, "udp, %s, fragment at offset 8", vlan_text(2));

	/* A first fragment must carry the whole transport header. */
	pkt_spec_init(&s, ETH_P_IP, IPPROTO_TCP);
	s.frag = 0x2000;
	len = test_build(&s, frame);
	s.len_delta = -8;
	test_build(&s, frame);
	expect(frame, len - 8, COUNT_MALFORMED, "tcp, first fragment with 12 bytes of TCP header");
	/* A later fragment with a bad IPv4 header is malformed, not a fragment. */
	pkt_spec_init(&s, ETH_P_IP, IPPROTO_UDP);
	s.frag = 185;
	s.len_delta = 1;
	len = test_build(&s, frame);
	expect(frame, len, COUNT_MALFORMED, "udp, fragment at offset 1480, total length too long");
}

static int block(const char *addr, bool add)
{
	struct in_addr a;
	__u8 one = 1;

	inet_pton(AF_INET, addr, &a);
	if (add)
		return bpf_map__update_elem(skel->maps.blocklist, &a.s_addr, sizeof(a.s_addr), &one,
					    sizeof(one), BPF_ANY);
	return bpf_map__delete_elem(skel->maps.blocklist, &a.s_addr, sizeof(a.s_addr), 0);
}

static void test_blocklist(void)
{
	struct pkt_spec s;
	int len;

	if (!ok(block("192.0.2.3", true) == 0, "192.0.2.3 goes into the blocklist"))
		return;
	pkt_spec_init(&s, ETH_P_IP, IPPROTO_UDP);
	inet_pton(AF_INET, "192.0.2.3", &s.saddr);
	len = test_build(&s, frame);
	expect(frame, len, COUNT_BLOCKED, "udp from 192.0.2.3 (blocked)");
	pkt_spec_init(&s, ETH_P_IP, IPPROTO_UDP);
	len = test_build(&s, frame);
	expect(frame, len, COUNT_UDP, "udp from 192.0.2.2 (not blocked)");
	inet_pton(AF_INET, "192.0.2.3", &s.daddr);
	len = test_build(&s, frame);
	expect(frame, len, COUNT_UDP, "udp from 192.0.2.2 to 192.0.2.3: destinations do not count");

	pkt_spec_init(&s, ETH_P_IP, IPPROTO_ICMP);
	inet_pton(AF_INET, "192.0.2.3", &s.saddr);
	set_vlans(&s, 2);
	len = test_build(&s, frame);
	expect(frame, len, COUNT_BLOCKED, "icmp from 192.0.2.3, %s", vlan_text(2));
	s.vlans = 0;
	s.ihl = 15;
	len = test_build(&s, frame);
	expect(frame, len, COUNT_BLOCKED, "icmp from 192.0.2.3, IHL 15");
	s.ihl = 0;
	s.frag = 185;
	len = test_build(&s, frame);
	expect(frame, len, COUNT_BLOCKED, "a fragment from 192.0.2.3 (offset 1480)");
	s.frag = 0;
	len = test_build(&s, frame);
	s.len_delta = -4;
	test_build(&s, frame);
	expect(frame, len - 4, COUNT_BLOCKED,
	       "icmp from 192.0.2.3, ICMP header cut short: dropped before it is parsed");
	s.len_delta = 0;
	len = test_build(&s, frame);
	frame[ETH_HLEN] = 0x44;
	expect(frame, len, COUNT_MALFORMED,
	       "icmp from 192.0.2.3 with IHL 4: malformed, passed (the address is not trusted)");

	pkt_spec_init(&s, ETH_P_ARP, 0);
	inet_pton(AF_INET, "192.0.2.3", &s.saddr);
	len = test_build(&s, frame);
	expect(frame, len, COUNT_ARP, "arp from 192.0.2.3: not IPv4, not blocked");

	if (!ok(block("192.0.2.3", false) == 0, "192.0.2.3 leaves the blocklist"))
		return;
	pkt_spec_init(&s, ETH_P_IP, IPPROTO_UDP);
	inet_pton(AF_INET, "192.0.2.3", &s.saddr);
	len = test_build(&s, frame);
	expect(frame, len, COUNT_UDP, "udp from 192.0.2.3, no longer blocked");
}

int main(void)
{
	tap_require_root();
	skel = parse_ipv4_bpf__open_and_load();
	if (!ok(skel != NULL, "parse_ipv4.bpf.o loads: the verifier accepts every packet read"))
		return tap_done();
	ncpus = stats_ncpus();
	percpu = calloc(ncpus > 0 ? ncpus : 1, sizeof(*percpu));
	if (!ok(ncpus > 0 && percpu, "%d possible CPUs", ncpus))
		goto out;

	test_protocols();
	test_not_ipv4();
	test_ihl();
	test_header_fields();
	test_truncation();
	test_too_short();
	test_fragments();
	test_blocklist();
out:
	free(percpu);
	parse_ipv4_bpf__destroy(skel);
	return tap_done();
}
