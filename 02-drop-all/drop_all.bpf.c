// SPDX-License-Identifier: GPL-2.0
/* 02: drop every packet, before the kernel has spent anything on it.
 *
 * Lesson 01 returned XDP_PASS; this one returns XDP_DROP. In native mode a NIC's driver runs
 * the program on the raw receive buffer, before it allocates an sk_buff, so a dropped frame
 * costs one program run and the buffer goes straight back to the driver: no sk_buff, no
 * netfilter, no routing, no socket ever sees it. That is what "before the stack" means, and why
 * XDP is where a machine sheds a flood. (On the lab's veth the peer's frame is an sk_buff
 * already and is freed; the stack still never sees it.)
 *
 * The program reads nothing, so it needs no bounds checks: any frame the driver hands it,
 * of any length, is dropped. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int drop_all(struct xdp_md *ctx)
{
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
