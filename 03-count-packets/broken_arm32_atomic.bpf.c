// SPDX-License-Identifier: GPL-2.0
/* BROKEN ON 32-BIT ARM ONLY: on x86-64 and arm64 this program loads and counts right; a Raspberry
 * Pi running a 32-bit kernel with the BPF JIT on refuses it. `make` does not build it (`make
 * broken` does); tests/verifier.c checks what can be checked on the machine it runs on, and
 * README.md ("Break it") explains.
 *
 * It is count_packets.bpf.c with one shared counter instead of a copy per CPU: a plain array, so
 * that CPUs receiving at the same time must add atomically (__sync_fetch_and_add). For 64-bit
 * counters that is the instruction "lock *(u64 *)(r0 + 0) += r1", opcode 0xdb, and the 32-bit
 * ARM JIT has no translation for it: it gives up ("NOT YET: opcode db" in the kernel log), and
 * the load fails. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "count_packets.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);	/* one value, shared by every CPU */
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct counters);
} stats SEC(".maps");

SEC("xdp")
int broken_arm32_atomic(struct xdp_md *ctx)
{
	__u32 key = 0;
	struct counters *c = bpf_map_lookup_elem(&stats, &key);

	if (!c)
		return XDP_PASS;
	__sync_fetch_and_add(&c->packets, 1);
	__sync_fetch_and_add(&c->bytes, ctx->data_end - ctx->data);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
