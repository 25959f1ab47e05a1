// SPDX-License-Identifier: GPL-2.0
/* BROKEN ON PURPOSE: the verifier refuses to load this program, and that is the point. `make`
 * does not build it (`make broken` does); tests/verifier.c checks that the kernel refuses it, and
 * README.md ("Break it") shows what the verifier says and the one-line fix.
 *
 * It is parse_ethhdr() from common/parsing.h with its loop bound missing: it follows VLAN tags for
 * as long as there are any. Each tag is bounds-checked, so no read can go wrong -- but the verifier
 * must also know that the program ends, and it learns that by walking the loop one iteration at a
 * time. A frame can hold thousands of tags; the verifier gives up long before. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "parsing.h"

SEC("xdp")
int broken_unbounded_loop(struct xdp_md *ctx)
{
	struct hdr_cursor cur;
	struct ethhdr *eth;
	struct vlan_hdr *vh;
	__be16 eth_type;

	cursor_init(&cur, ctx);
	eth = cur.pos;
	if (!cursor_has(&cur, sizeof(*eth)))
		return XDP_PASS;
	eth_type = eth->h_proto;
	cursor_advance(&cur, sizeof(*eth));
	/* MISSING: a constant bound, for (i = 0; i < VLAN_MAX_DEPTH && ...; i++) */
	while (eth_type_is_vlan(eth_type)) {
		vh = cur.pos;
		if (!cursor_has(&cur, sizeof(*vh)))
			return XDP_PASS;
		eth_type = vh->h_vlan_encapsulated_proto;
		cursor_advance(&cur, sizeof(*vh));
	}
	return eth_type == bpf_htons(ETH_P_IP) ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
