// SPDX-License-Identifier: GPL-2.0
/* make bench's reference forwarder, to compare 05-redirect with: the least an XDP program can
 * do to forward a frame. New MAC addresses and a redirect through a device map; nothing is
 * parsed past the Ethernet header, no TTL, no counters, no tracepoints. It forwards every frame,
 * ARP and broadcasts included: fine between two veths of a bench lab, wrong anywhere else. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} out SEC(".maps");

/* Set by fwdmin before it loads the program: OUT's MAC and the next hop's. */
const volatile __u8 src_mac[ETH_ALEN];
const volatile __u8 dst_mac[ETH_ALEN];

SEC("xdp")
int fwdmin(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	int i;

	if ((void *)(eth + 1) > data_end)
		return XDP_DROP;
	for (i = 0; i < ETH_ALEN; i++) {
		eth->h_dest[i] = dst_mac[i];
		eth->h_source[i] = src_mac[i];
	}
	return bpf_redirect_map(&out, 0, 0);
}

char LICENSE[] SEC("license") = "GPL";
