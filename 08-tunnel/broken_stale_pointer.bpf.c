// SPDX-License-Identifier: GPL-2.0
/* BROKEN ON PURPOSE: the verifier refuses to load this program, and that is the point. `make`
 * does not build it (`make broken` does); tests/verifier.c checks that the kernel refuses it, and
 * README.md ("Break it") shows what the verifier says and the fix.
 *
 * tunnel.bpf.c's encap, cut to the mistake: it makes room in front with bpf_xdp_adjust_head()
 * and then writes the new Ethernet header through the pointer it had before. The helper may
 * have moved the frame; the verifier forgets every packet pointer at the call, and the old one
 * is a number to it now, not a place in the packet. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "tunnel.h"

SEC("xdp")
int broken_stale_pointer(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > data_end)
		return XDP_PASS;
	if (bpf_xdp_adjust_head(ctx, -VXLAN_OVERHEAD))
		return XDP_PASS;
	/* MISSING: eth = (void *)(long)ctx->data, and a check against ctx->data_end */
	eth->h_proto = bpf_htons(ETH_P_IP);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
