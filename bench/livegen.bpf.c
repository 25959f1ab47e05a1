// SPDX-License-Identifier: GPL-2.0
/* make bench's traffic generator. bpf_prog_test_run_opts with BPF_F_TEST_XDP_LIVE_FRAMES (Linux
 * 5.18) runs this program on frames it builds from one template, and then does what the program
 * said: XDP_TX sends the frame out of the interface it "arrived" on. Every frame goes straight
 * to that driver's ndo_xdp_xmit, with no socket, no sk_buff and no qdisc on the way, which is
 * why this generates ten times what a packet socket can on the same CPU.
 *
 * The frames live in recycled pages: the next run may get the very page a receiver has just
 * rewritten in place (the stack's forwarding, lesson 05), so the headers go back first. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "bench.h"

struct bench_head head;		/* set by livegen before the first run */

SEC("xdp")
int gen(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u64 *word = data;
	int i;

	if (data + HEAD_LEN > data_end)
		return XDP_ABORTED;
#pragma unroll
	for (i = 0; i < HEAD_WORDS; i++)
		word[i] = head.word[i];
	return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
