// SPDX-License-Identifier: GPL-2.0
/* Exercise 1: carry ARP too. encap tunnels an ARP packet whose target address (who is asked
 * for) is behind the tunnel, as it does IPv4: the same 50 bytes in front, outer TOS 0, the
 * Ethernet padding trimmed (an ARP packet is 28 bytes: a 42-byte frame). ARP for anyone else
 * is passed as it came, and IPv4 goes as before. Each frame runs through the learner's encap
 * with bpf_prog_test_run_opts. */
#include <errno.h>
#include <linux/if_ether.h>
#include "tunnel_check.h"

static __u8 frame[PKT_MAX];
static struct xdp_result res;

/* An ARP packet from a (192.0.2.1) asking for, or answering about, target. */
static int arp(__u16 op, const char *target, __u32 size)
{
	struct pkt_spec s;
	int len;

	pkt_spec_init(&s, ETH_P_ARP, 0);
	inet_pton(AF_INET, "192.0.2.1", &s.saddr);
	inet_pton(AF_INET, target, &s.daddr);
	memcpy(s.src_mac, (__u8[]){ 0x02, 0x00, 0xc0, 0x00, 0x02, 0x01 }, 6);
	memset(s.dst_mac, 0xff, 6);
	s.size = size;
	len = test_build(&s, frame);
	frame[21] = op;			/* the opcode's low byte: 1 request, 2 reply */
	return len;
}

static void describe(char *got, size_t size, __u32 len, __u32 inner_len, __u8 tos)
{
	if (res.verdict != XDP_REDIRECT)
		snprintf(got, size, "%s, %u bytes", xdp_action_name(res.verdict), res.len);
	else if (check_wrapped(res.data, res.len, frame, inner_len, tos))
		snprintf(got, size, "XDP_REDIRECT, %u + 50 bytes, the outer headers right",
			 inner_len);
	else if (res.len == len + VXLAN_OVERHEAD && len != inner_len)
		snprintf(got, size, "XDP_REDIRECT, %u + 50 bytes (the padding went along)", len);
	else
		snprintf(got, size, "XDP_REDIRECT, %u bytes, the outer headers or the frame WRONG",
			 res.len);
}

static void tunnelled(int fd, __u32 len, __u32 inner_len, __u8 tos, const char *what)
{
	char want[96], got[128];
	int err = xdp_run(fd, 0, frame, len, &res);

	snprintf(want, sizeof(want), "XDP_REDIRECT, %u + 50 bytes, the outer headers right",
		 inner_len);
	if (err)
		snprintf(got, sizeof(got), "a refused test run (%s)", strerror(-err));
	else
		describe(got, sizeof(got), len, inner_len, tos);
	expect_str(what, want, got);
}

static void passed(int fd, __u32 len, const char *what)
{
	int err = xdp_run(fd, 0, frame, len, &res);

	expect_str(what, "XDP_PASS, unchanged",
		   err ? "a refused test run" : res.verdict == XDP_PASS && res.len == len &&
		   !memcmp(res.data, frame, len) ? "XDP_PASS, unchanged" :
		   res.verdict == XDP_PASS ? "XDP_PASS, CHANGED" : xdp_action_name(res.verdict));
}

int main(void)
{
	struct tunnel_bpf *skel;
	struct pkt_spec s;
	int fd, len;

	exercise_start("Exercise 1: carry ARP too");
	skel = check_load();
	fd = bpf_program__fd(skel->progs.encap);

	len = arp(1, "192.0.2.2", 0);
	tunnelled(fd, len, len, 0, "a's ARP request for 192.0.2.2 (b)");
	len = arp(2, "192.0.2.2", 0);
	tunnelled(fd, len, len, 0, "a's ARP reply to 192.0.2.2");
	len = arp(1, "192.0.2.200", 60);
	tunnelled(fd, len, 42, 0, "an ARP request for 192.0.2.200, padded to 60 bytes");
	len = arp(1, "198.51.100.1", 0);
	passed(fd, len, "an ARP request for 198.51.100.1, not behind the tunnel");
	len = arp(1, "192.0.2.2", 0);
	passed(fd, 41, "an ARP request cut to 41 bytes");

	pkt_spec_init(&s, ETH_P_IP, IPPROTO_UDP);
	inet_pton(AF_INET, "192.0.2.1", &s.saddr);
	inet_pton(AF_INET, "192.0.2.2", &s.daddr);
	s.size = 200;
	len = test_build(&s, frame);
	tunnelled(fd, len, len, 0, "IPv4 from a to b, as before");
	s.size = 14 + CHECK_INNER_MTU + 1;
	len = test_build(&s, frame);
	passed(fd, len, "IPv4 too big for the tunnel, as before");
	tunnel_bpf__destroy(skel);
	return exercise_done();
}
