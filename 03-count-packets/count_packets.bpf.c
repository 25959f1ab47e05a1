// SPDX-License-Identifier: GPL-2.0
/* 03: count every packet and every byte, and let them all through.
 *
 * New here: a map, the memory a program keeps between packets and shares with user space.
 * This one is a per-CPU array: one entry, and a copy of it for every CPU. XDP runs in softirq
 * context, one packet at a time on each CPU, so nothing else writes a CPU's copy while the
 * program does: a plain ++ is exact. The loader adds the copies up when it reads them.
 *
 * Why not one shared counter? Every CPU would have to update it atomically
 * (__sync_fetch_and_add), and the cache line holding it would bounce between CPUs on every
 * packet. On a Raspberry Pi with a 32-bit kernel it does not even load: the ARM JIT cannot
 * compile a 64-bit atomic add, and the kernel refuses the program ("NOT YET: opcode db"). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "count_packets.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct counters);
} stats SEC(".maps");

SEC("xdp")
int count_packets(struct xdp_md *ctx)
{
	__u32 key = 0;
	struct counters *c = bpf_map_lookup_elem(&stats, &key);

	/* An array lookup with a key below max_entries never fails. Recent verifiers see that
	 * for a constant key; older ones, like those of many Pi kernels, reject the program
	 * without this check ("invalid mem access 'map_value_or_null'"). And should it ever
	 * fail, counting must not cost a packet: pass. */
	if (!c)
		return XDP_PASS;
	c->packets++;
	c->bytes += ctx->data_end - ctx->data;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
