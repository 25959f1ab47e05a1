// SPDX-License-Identifier: GPL-2.0
/* Unit tests for drop_all.bpf.c: XDP_DROP for every frame shape the builders make, well-formed,
 * damaged or cut short, and for every length from a bare Ethernet header to a full MTU. */
#include <string.h>
#include <linux/if_ether.h>
#include <netinet/in.h>
#include "testing.h"
#include "drop_all.skel.h"

#define MTU_FRAME (ETH_HLEN + 1500)	/* the largest frame a 1500-byte MTU lets in, no tags */

struct shape {
	const char *what;
	__u16 eth_proto;
	__u8 ip_proto;
	int vlans;
	__u8 ihl;
	__u16 frag;
	__u8 ip_version;
	int len_delta;
};

/* what, EtherType, IP protocol; the rest by name */
#define S(w, e, p) .what = (w), .eth_proto = (e), .ip_proto = (p)

static const struct shape shapes[] = {
	{ S("udp/ipv4", ETH_P_IP, IPPROTO_UDP) },
	{ S("tcp syn", ETH_P_IP, IPPROTO_TCP) },
	{ S("icmp echo", ETH_P_IP, IPPROTO_ICMP) },
	{ S("ipv4, protocol 253", ETH_P_IP, 253) },
	{ S("udp/ipv6", ETH_P_IPV6, IPPROTO_UDP) },
	{ S("icmpv6 echo", ETH_P_IPV6, IPPROTO_ICMPV6) },
	{ S("arp request", ETH_P_ARP, 0) },
	{ S("unknown EtherType 0x88b5", 0x88b5, 0) },
	{ S("udp/ipv4 in an 802.1Q tag", ETH_P_IP, IPPROTO_UDP), .vlans = 1 },
	{ S("udp/ipv4 in two tags (QinQ)", ETH_P_IP, IPPROTO_UDP), .vlans = 2 },
	{ S("udp/ipv4 with 40 bytes of options (IHL 15)", ETH_P_IP, IPPROTO_UDP), .ihl = 15 },
	{ S("udp/ipv4, a non-first fragment", ETH_P_IP, IPPROTO_UDP), .frag = 1480 / 8 },
	{ S("ipv4 with version 5 (damaged)", ETH_P_IP, IPPROTO_UDP), .ip_version = 5 },
	{ S("ipv4 total length 100 past the frame (damaged)", ETH_P_IP, IPPROTO_UDP),
	  .len_delta = 100 },
};

static void spec_for(struct pkt_spec *spec, const struct shape *s, __u32 size)
{
	pkt_spec_init(spec, s->eth_proto, s->ip_proto);
	spec->vlans = s->vlans;
	spec->vlan_tpid[0] = s->vlans == 2 ? ETH_P_8021AD : ETH_P_8021Q;
	spec->vlan_id[0] = 100;
	spec->vlan_id[1] = 200;
	spec->ihl = s->ihl;
	spec->frag = s->frag;
	spec->ip_version = s->ip_version;
	spec->len_delta = s->len_delta;
	spec->size = size;
}

/* Run the program on the first len bytes of frame; 0 if it returned XDP_DROP. */
static int drops(int prog_fd, const void *frame, int len, __u32 *verdict)
{
	static struct xdp_result res;
	int err = xdp_run(prog_fd, 1, frame, len, &res);

	*verdict = res.verdict;
	return err ? err : res.verdict == XDP_DROP ? 0 : 1;
}

int main(void)
{
	static __u8 buf[PKT_MAX];
	struct drop_all_bpf *skel;
	struct pkt_spec spec;
	int prog_fd, len, err, failed = 0, first_failed = 0;
	__u32 verdict = 0, i;

	tap_require_root();
	skel = drop_all_bpf__open_and_load();
	if (!ok(skel != NULL, "drop_all.bpf.o loads into the kernel"))
		return tap_done();
	prog_fd = bpf_program__fd(skel->progs.drop_all);

	/* Every shape three ways: headers only, as large as the MTU allows (tags on top), and cut
	 * to a bare Ethernet header. */
	for (i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		const struct shape *s = &shapes[i];
		__u32 mtu_frame = MTU_FRAME + 4 * s->vlans;

		spec_for(&spec, s, 0);
		len = pkt_build(&spec, buf, sizeof(buf));
		err = drops(prog_fd, buf, len, &verdict);
		ok(err == 0, "%s, headers only (%d bytes): XDP_DROP (got %s)", s->what, len,
		   err < 0 ? strerror(-err) : xdp_action_name(verdict));
		err = drops(prog_fd, buf, ETH_HLEN, &verdict);
		ok(err == 0, "%s, cut to 14 bytes: XDP_DROP (got %s)", s->what,
		   err < 0 ? strerror(-err) : xdp_action_name(verdict));

		spec_for(&spec, s, mtu_frame);
		len = pkt_build(&spec, buf, sizeof(buf));
		err = drops(prog_fd, buf, len, &verdict);
		ok(err == 0 && len == (int)mtu_frame, "%s, %u bytes (MTU 1500): XDP_DROP (got %s)",
		   s->what, mtu_frame, err < 0 ? strerror(-err) : xdp_action_name(verdict));
	}

	/* Every length from 14 to 1514: built to that size when the headers fit, cut to it when
	 * they do not. One check for all of them, and the first that failed if any did. */
	for (i = ETH_HLEN; i <= MTU_FRAME; i++) {
		pkt_spec_init(&spec, ETH_P_IP, IPPROTO_UDP);
		spec.size = i;
		len = pkt_build(&spec, buf, sizeof(buf));
		if (len > (int)i)
			len = i;
		if (len != (int)i || drops(prog_fd, buf, len, &verdict)) {
			if (!failed++)
				first_failed = i;
		}
	}
	ok(failed == 0, "udp/ipv4 at every length from 14 to %d bytes: XDP_DROP for all %d",
	   MTU_FRAME, MTU_FRAME - ETH_HLEN + 1);
	if (failed)
		diag("  %d lengths failed, the first at %d bytes (%s)", failed, first_failed,
		     xdp_action_name(verdict));

	drop_all_bpf__destroy(skel);
	return tap_done();
}
