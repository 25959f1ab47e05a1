// SPDX-License-Identifier: GPL-2.0
/* make bench: the programs the per-packet table measures the lessons' programs against.
 *
 * empty: XDP_PASS and nothing else, the baseline. bpf_prog_test_run_opts itself costs a few
 * nanoseconds per repeat (its loop, its timer, resetting the context), and so does calling any
 * program; a lesson's row minus this one is what the lesson's own code costs.
 *
 * count_shared: lesson 03 the way its README says not to do it: one counter for all CPUs, in a
 * plain array, updated with atomic adds. The bench runs it next to 03's per-CPU counter, on one
 * CPU and on every CPU at once, where the atomics make the CPUs take turns at the cache line.
 * (A 32-bit ARM kernel refuses this program: its JIT has no 64-bit atomic add.)
 *
 * restore: writes the frame's headers back (bench.h says why), then tail-calls the program
 * under test, which the user side put in slot 0 of under_test. Its baseline is the same
 * program tail-calling empty. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "../03-count-packets/count_packets.h"
#include "bench.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct counters);
} shared SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} under_test SEC(".maps");

/* Set by the user side before each measurement; not const, so every run reads it. */
struct bench_head head;

SEC("xdp")
int empty(struct xdp_md *ctx)
{
	return XDP_PASS;
}

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

SEC("xdp")
int restore(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u64 *word = data;
	int i;

	if (data + HEAD_LEN > data_end)
		return XDP_ABORTED;
	/* 8-byte stores whatever the frame's alignment: fine for the verifier on every
	 * architecture with efficient unaligned access (x86-64, arm64, ARMv7). */
#pragma unroll
	for (i = 0; i < HEAD_WORDS; i++)
		word[i] = head.word[i];
	bpf_tail_call(ctx, &under_test, 0);
	return XDP_ABORTED;		/* slot 0 is empty: the user side forgot it */
}

char LICENSE[] SEC("license") = "GPL";
