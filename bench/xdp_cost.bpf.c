// SPDX-License-Identifier: GPL-2.0
/* make bench: the programs the per-packet table measures the lessons' programs against.
 *
 * empty: XDP_PASS and nothing else, the baseline. bpf_prog_test_run_opts itself costs a few
 * nanoseconds per repeat (its loop, its timer, resetting the context), and so does calling any
 * program; a lesson's row minus this one is what the lesson's own code costs.
 *
 * restore: puts the frame's start back where it was and writes its headers back (bench.h says
 * why), then tail-calls the program under test, which the user side put in slot 0 of
 * under_test. Its baseline is the same program tail-calling empty. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "bench.h"

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} under_test SEC(".maps");

/* Set by the user side before each measurement; not const, so every run reads it. */
struct bench_head head;
__u32 frame_len;		/* the frame's length as the measurement gave it */

SEC("xdp")
int empty(struct xdp_md *ctx)
{
	return XDP_PASS;
}

/* The interpreter runs a tail-called program on the stack of the program that called it. Linux
 * 6.12's (seen in Debian's armmp kernel with the JIT off, as on a 32-bit Pi) sizes that stack
 * by the caller's own use, so 05's redirect_fib, with its 64-byte struct bpf_fib_lookup, wrote
 * past restore's and the kernel crashed. restore touches the deepest word any program may use,
 * 512 bytes down, so that its stack is the largest: the verifier counts a program's stack to
 * the deepest word it writes. In assembly, as the compiler would drop or shrink an array that
 * nothing reads. */

SEC("xdp")
int restore(struct xdp_md *ctx)
{
	void *data, *data_end;
	__u64 *word;
	int i;

	asm volatile("*(u64 *)(r10 - 512) = %0" : : "r"(0ULL) : "memory");
	/* The kernel runs the repeats on one xdp_buff and never resets it: a program that grew
	 * the frame at the front (08's encap, by 50 bytes) or shrank it there (08's decap) leaves
	 * its start 50 bytes off for the next run. Moving the start by the difference in length
	 * puts it back, over the bytes the first run had (encap writes only in front of them,
	 * decap writes nothing), and the headers are written back below anyway. A change at the
	 * tail cannot be undone so: xdp_cost checks that two runs leave what one leaves. Called
	 * on every run, moved or not, so that the baseline pays for the call as every row behind
	 * restore does. */
	if (bpf_xdp_adjust_head(ctx, (int)(ctx->data_end - ctx->data) - (int)frame_len))
		return XDP_ABORTED;
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	word = data;
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
