// SPDX-License-Identifier: GPL-2.0
/* The two smallest XDP programs, for kernel-config/probe: if they load, attach to a veth and
 * run, the kernel can load, attach and run the lessons' programs. Built with the lessons'
 * rules (UAPI headers, no CO-RE), so a failure here is the kernel's, not the build's. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/* Attached to a veth in the checker's namespace: lets everything through. */
SEC("xdp")
int probe_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

/* Run with BPF_F_TEST_XDP_LIVE_FRAMES (as make bench does): the test frames must go nowhere. */
SEC("xdp")
int probe_drop(struct xdp_md *ctx)
{
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
