// SPDX-License-Identifier: GPL-2.0
/* make bench: lesson 03 the way its README says not to do it. One counter for all CPUs, in a
 * plain array, updated with atomic adds; xdp_cost runs it next to 03's per-CPU counter, on one
 * CPU and on every CPU at once, where the atomics make the CPUs take turns at the cache line.
 *
 * An object of its own: the 32-bit ARM JIT cannot compile a 64-bit atomic add, and a kernel
 * that refuses this program should cost the bench this one row, not the whole table. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "../03-count-packets/count_packets.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct counters);
} shared SEC(".maps");

SEC("xdp")
int count_shared(struct xdp_md *ctx)
{
	__u32 key = 0;
	struct counters *c = bpf_map_lookup_elem(&shared, &key);

	if (!c)
		return XDP_PASS;
	/* The result is unused, so clang emits the plain atomic add (lock xadd on x86-64). */
	__sync_fetch_and_add(&c->packets, 1);
	__sync_fetch_and_add(&c->bytes, ctx->data_end - ctx->data);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
