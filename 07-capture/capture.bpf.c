// SPDX-License-Identifier: GPL-2.0
/* 07: see what XDP sees. Copy the first snaplen bytes of every frame (or of one in
 * sample_every), with its real length and the verdict, into a ring buffer that the loader
 * reads and writes out as a capture file for tcpdump and Wireshark.
 *
 * New here: a ring buffer map, shared by every CPU, that keeps the samples in the order they
 * were written; bpf_xdp_load_bytes, a copy of a length the verifier cannot know in advance;
 * and settings in .rodata (const volatile) that the loader fills in before the load, so that
 * the verifier sees them as constants. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "capture.h"

const volatile __u32 snaplen = SNAPLEN_MAX;	/* -s */
const volatile __u32 sample_every = 1;		/* --sample: 1 keeps every frame */
const volatile __u32 verdict = XDP_PASS;	/* --verdict: what the frames get after capture */

/* Its size (a power of two, a multiple of the page size) is the loader's -B. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 21);
} samples SEC(".maps");

/* A sample is built here first: the ring takes a sample of the length the frame needs only
 * from bpf_ringbuf_output(), which copies it in; bpf_ringbuf_reserve() would want a constant
 * size, and a 60-byte frame would take a whole SNAPLEN_MAX in the ring. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct sample);
} scratch SEC(".maps");

/* Per CPU, so that ++ needs no atomics (lesson 03). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct counters);
} stats SEC(".maps");

SEC("xdp")
int capture(struct xdp_md *ctx)
{
	__u64 len, cap;		/* 64 bits: the registers the verifier follows (see below) */
	__u32 key = 0;
	struct counters *c = bpf_map_lookup_elem(&stats, &key);
	struct sample *s = bpf_map_lookup_elem(&scratch, &key);

	if (!c || !s)		/* never, for key 0; the verifier asks */
		return verdict;
	c->seen++;
	/* One in sample_every, counted down on each CPU: no division, and no count shared
	 * between CPUs (the 32-bit ARM JIT has no 64-bit atomics). */
	if (c->countdown) {
		c->countdown--;
		return verdict;
	}
	c->countdown = sample_every - 1;

	/* The frame's length. For a program without fragments (SEC("xdp"), not "xdp.frags") it
	 * is data_end - data; the helper gives it without subtracting packet pointers, which
	 * would take CAP_PERFMON. */
	len = bpf_xdp_get_buff_len(ctx);
	cap = len < snaplen ? len : snaplen;
	/* The verifier must see that the copy fits s->data and is not empty: it learns the
	 * range [1, SNAPLEN_MAX] from these two tests, on the register that is then passed.
	 * With a __u32 cap, clang 14 tests a zero-extended copy of it instead, and the
	 * verifier, which follows registers and not what the copy means, rejects the call ("R4
	 * min value is negative, either use unsigned or 'var &= const'"). */
	if (cap > SNAPLEN_MAX)
		cap = SNAPLEN_MAX;
	/* Not "cap < 1" alone: clang compiles it as "cap == 0", and the verifier of Linux 6.1
	 * (Debian 12's, the previous Pi OS's) learns no lower bound from "not zero": it refused
	 * the call ("R3 min value is outside of the allowed memory range"), where 6.12's accepts
	 * it. The empty asm hides what clang knows of cap (never negative), so that it keeps
	 * a signed "less than 1", from which every verifier learns cap >= 1. */
	asm volatile("" : "+r"(cap));
	if ((__s64)cap < 1)
		return verdict;
	if (bpf_xdp_load_bytes(ctx, 0, s->data, cap))
		return verdict;
	s->hdr.ktime_ns = bpf_ktime_get_ns();
	s->hdr.len = len;
	s->hdr.cap = cap;
	s->hdr.verdict = verdict;
	/* A full ring refuses the sample: count it, so that the loader can say how many. */
	if (bpf_ringbuf_output(&samples, s, sizeof(s->hdr) + cap, 0))
		c->lost++;
	else
		c->captured++;
	return verdict;
}

char LICENSE[] SEC("license") = "GPL";
