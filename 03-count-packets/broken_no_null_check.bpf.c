// SPDX-License-Identifier: GPL-2.0
/* BROKEN ON PURPOSE: the verifier refuses to load this program, and that is the point. `make`
 * does not build it (`make broken` does); tests/verifier.c checks that the kernel refuses it, and
 * README.md ("Break it") shows what the verifier says and the one-line fix.
 *
 * count_packets.bpf.c counts per receive queue, and without the NULL check. With the constant key
 * 0, recent verifiers know the lookup cannot miss and let that pass; with a key that comes from the
 * packet's context, it can: a NIC with more queues than max_entries gives a key with no entry, and
 * then bpf_map_lookup_elem() returns NULL, which the program writes through. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "count_packets.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 64);		/* one entry per receive queue */
	__type(key, __u32);
	__type(value, struct counters);
} stats SEC(".maps");

SEC("xdp")
int broken_no_null_check(struct xdp_md *ctx)
{
	__u32 key = ctx->rx_queue_index;
	struct counters *c = bpf_map_lookup_elem(&stats, &key);

	/* MISSING: if (!c) return XDP_PASS; */
	c->packets++;
	c->bytes += ctx->data_end - ctx->data;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
