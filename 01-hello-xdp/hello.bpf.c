// SPDX-License-Identifier: GPL-2.0
/* 01: the smallest XDP program that shows it runs. It lets every packet through
 * (XDP_PASS) and tells user space about each one through a BPF ring buffer.
 *
 * Why not bpf_printk()? It needs CONFIG_BPF_EVENTS, which a kernel only has with kprobe or
 * uprobe events (make check says whether yours does); without it the verifier rejects it
 * ("unknown func bpf_trace_printk#6"). A ring buffer works on every kernel since 5.8 and is
 * how real programs report events. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "hello.h"

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);	/* bytes; a power of two and a page multiple */
} events SEC(".maps");

SEC("xdp")
int hello(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct hello_event *e;

	/* If the ring buffer is full (user space is too slow), skip the event: the packet
	 * must never wait for us. */
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return XDP_PASS;

	e->len = data_end - data;
	e->ifindex = ctx->ingress_ifindex;
	e->pad = 0;
	/* The verifier refuses any packet read it cannot prove is inside the packet. */
	if ((void *)(eth + 1) <= data_end)
		e->eth_proto = bpf_ntohs(eth->h_proto);
	else
		e->eth_proto = 0;
	bpf_ringbuf_submit(e, 0);

	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
