// SPDX-License-Identifier: GPL-2.0
/* BROKEN ON PURPOSE: the verifier refuses to load this program, and that is the point. `make`
 * does not build it (`make broken` does); tests/verifier.c checks that the kernel refuses it, and
 * README.md ("Break it") shows what the verifier says and the one-line fix.
 *
 * It is hello.bpf.c with one line missing: it reads the EtherType without first proving that the
 * 14-byte Ethernet header is inside the packet. A 10-byte frame would make that read run off its
 * end, so the verifier does not let the program in at all. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "hello.h"

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

SEC("xdp")
int broken_no_bounds_check(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct hello_event *e;

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return XDP_PASS;

	e->len = data_end - data;
	e->ifindex = ctx->ingress_ifindex;
	e->pad = 0;
	/* MISSING: if ((void *)(eth + 1) <= data_end) */
	e->eth_proto = bpf_ntohs(eth->h_proto);
	bpf_ringbuf_submit(e, 0);

	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
