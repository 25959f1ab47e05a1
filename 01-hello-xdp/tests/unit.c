// SPDX-License-Identifier: GPL-2.0
/* Unit tests for hello.bpf.c: every frame passes, unchanged, and produces exactly one
 * ring-buffer event with its length, EtherType and ingress interface. */
#include <string.h>
#include <linux/if_ether.h>
#include <netinet/in.h>
#include "testing.h"
#include "hello.h"
#include "hello.skel.h"

#define MAX_EVENTS 8

struct seen {
	int n;
	struct hello_event ev[MAX_EVENTS];
};

static int on_event(void *ctx, void *data, size_t size)
{
	struct seen *s = ctx;

	if (s->n < MAX_EVENTS && size >= sizeof(struct hello_event))
		memcpy(&s->ev[s->n], data, sizeof(struct hello_event));
	s->n++;
	return 0;
}

struct frame {
	const char *what;
	__u16 eth_proto, ip_proto;
	int vlans;
	__u32 size;		/* 0: headers only */
	__u32 cut;		/* truncate to this many bytes; 0: whole frame */
	__u16 want_proto;	/* the EtherType the event must carry */
};

static const struct frame frames[] = {
	{ "icmp echo, ping-sized", ETH_P_IP, IPPROTO_ICMP, 0, 98, 0, ETH_P_IP },
	{ "udp/ipv4, minimum frame", ETH_P_IP, IPPROTO_UDP, 0, 60, 0, ETH_P_IP },
	{ "udp/ipv4, full 1500-byte MTU", ETH_P_IP, IPPROTO_UDP, 0, 1514, 0, ETH_P_IP },
	{ "tcp syn", ETH_P_IP, IPPROTO_TCP, 0, 0, 0, ETH_P_IP },
	{ "udp/ipv6", ETH_P_IPV6, IPPROTO_UDP, 0, 0, 0, ETH_P_IPV6 },
	{ "arp request", ETH_P_ARP, 0, 0, 0, 0, ETH_P_ARP },
	{ "udp/ipv4 in an 802.1Q tag", ETH_P_IP, IPPROTO_UDP, 1, 0, 0, ETH_P_8021Q },
	{ "unknown EtherType 0x88b5", 0x88b5, 0, 0, 64, 0, 0x88b5 },
	{ "Ethernet header alone (14 bytes)", ETH_P_IP, IPPROTO_UDP, 0, 0, 14, ETH_P_IP },
	{ "truncated inside the IPv4 header", ETH_P_IP, IPPROTO_UDP, 0, 0, 20, ETH_P_IP },
	{ "truncated inside the UDP header", ETH_P_IP, IPPROTO_UDP, 0, 0, 37, ETH_P_IP },
};

int main(void)
{
	struct ring_buffer *rb = NULL;
	struct hello_bpf *skel;
	struct seen seen;
	size_t i;

	tap_require_root();
	skel = hello_bpf__open_and_load();
	if (!ok(skel != NULL, "hello.bpf.o loads into the kernel"))
		return tap_done();
	rb = ring_buffer__new(bpf_map__fd(skel->maps.events), on_event, &seen, NULL);
	if (!ok(rb != NULL, "the ring buffer opens"))
		goto out;

	for (i = 0; i < sizeof(frames) / sizeof(frames[0]); i++) {
		const struct frame *f = &frames[i];
		static __u8 buf[PKT_MAX];
		static struct xdp_result res;
		struct pkt_spec spec;
		int len, err;

		pkt_spec_init(&spec, f->eth_proto, f->ip_proto);
		spec.vlans = f->vlans;
		spec.vlan_id[0] = 100;
		spec.size = f->size;
		len = pkt_build(&spec, buf, sizeof(buf));
		if (f->cut)
			len = f->cut;

		memset(&seen, 0, sizeof(seen));
		err = xdp_run(bpf_program__fd(skel->progs.hello), 1, buf, len, &res);
		if (!ok(err == 0, "%s: the test run works", f->what))
			continue;
		ok(res.verdict == XDP_PASS, "%s: XDP_PASS (got %s)", f->what,
		   xdp_action_name(res.verdict));
		ok(res.len == (__u32)len && !memcmp(res.data, buf, len), "%s: frame unchanged",
		   f->what);
		ring_buffer__consume(rb);
		is_u64(seen.n, 1, "%s: exactly one event", f->what);
		is_u64(seen.ev[0].len, len, "%s: event length is %d", f->what, len);
		is_u64(seen.ev[0].eth_proto, f->want_proto, "%s: event EtherType is 0x%04x", f->what,
		       f->want_proto);
		is_u64(seen.ev[0].ifindex, 1, "%s: event ifindex is the ingress device's", f->what);
	}
out:
	ring_buffer__free(rb);
	hello_bpf__destroy(skel);
	return tap_done();
}
