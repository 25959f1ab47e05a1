// SPDX-License-Identifier: GPL-2.0
/* Exercise 2: tag what comes out of the tunnel. Every frame decap takes out of VXLAN leaves
 * with an 802.1Q tag pushed in: TPID 0x8100, priority 0, VLAN ID 42 (the VNI), between the
 * MACs and the EtherType; every other byte as it was, the frame 4 bytes longer. VXLAN to
 * another VNI is still passed unchanged, and encap works as before. Each frame runs through the
 * learner's programs with bpf_prog_test_run_opts. */
#include <errno.h>
#include <linux/if_ether.h>
#include "tunnel_check.h"

static __u8 inner[PKT_MAX], frame[PKT_MAX], want[PKT_MAX];
static struct xdp_result res;

/* The VXLAN frame the far end sends with inner (len bytes) inside, into frame. */
static __u32 from_far(__u32 len, __u8 vni)
{
	__u8 *ip = frame + 14, *udp = frame + 34;
	__u16 sum;

	memset(frame, 0, VXLAN_OVERHEAD);
	memcpy(frame, check_wire_mac, 6);
	memcpy(frame + 6, check_hop_mac, 6);
	frame[12] = 0x08;
	ip[0] = 0x45;
	ip[2] = (len + 36) >> 8;
	ip[3] = len + 36;
	ip[8] = 64;
	ip[9] = IPPROTO_UDP;
	inet_pton(AF_INET, "203.0.113.2", ip + 12);
	inet_pton(AF_INET, "203.0.113.1", ip + 16);
	sum = pkt_csum(ip, 20, 0);
	memcpy(ip + 10, &sum, 2);
	udp[0] = 0xc3;
	udp[1] = 0x50;
	udp[2] = 0x12;
	udp[3] = 0xb5;
	udp[4] = (len + 16) >> 8;
	udp[5] = len + 16;
	frame[42] = 0x08;
	frame[48] = vni;
	memcpy(frame + VXLAN_OVERHEAD, inner, len);
	return len + VXLAN_OVERHEAD;
}

static void tagged(int fd, __u32 len, const char *what)
{
	__u32 olen = from_far(len, 42);
	int err = xdp_run(fd, 0, frame, olen, &res);
	char got[96];

	memcpy(want, inner, 12);
	memcpy(want + 12, (__u8[]){ 0x81, 0x00, 0x00, 0x2a }, 4);
	memcpy(want + 16, inner + 12, len - 12);
	if (err)
		snprintf(got, sizeof(got), "a refused test run (%s)", strerror(-err));
	else if (res.verdict == XDP_REDIRECT && res.len == len + 4 && !memcmp(res.data, want, len + 4))
		snprintf(got, sizeof(got), "XDP_REDIRECT, %u bytes, tagged 81 00 00 2a", len + 4);
	else if (res.len >= 16)
		snprintf(got, sizeof(got), "%s, %u bytes, bytes 12-15 %02x %02x %02x %02x%s",
			 xdp_action_name(res.verdict), res.len, res.data[12], res.data[13],
			 res.data[14], res.data[15], res.len == len + 4 &&
			 !memcmp(res.data + 12, want + 12, 4) ? ", other bytes WRONG" : "");
	else
		snprintf(got, sizeof(got), "%s, %u bytes", xdp_action_name(res.verdict), res.len);
	snprintf((char *)want, sizeof(want), "XDP_REDIRECT, %u bytes, tagged 81 00 00 2a", len + 4);
	expect_str(what, (char *)want, got);
}

int main(void)
{
	struct tunnel_bpf *skel;
	struct pkt_spec s;
	__u32 len, olen;
	int decap, encap;

	exercise_start("Exercise 2: tag what comes out of the tunnel (802.1Q, VLAN 42)");
	skel = check_load();
	decap = bpf_program__fd(skel->progs.decap);
	encap = bpf_program__fd(skel->progs.encap);

	pkt_spec_init(&s, ETH_P_IP, IPPROTO_ICMP);
	s.size = 98;
	len = test_build(&s, inner);
	tagged(decap, len, "VXLAN 42 with a 98-byte ping inside");
	pkt_spec_init(&s, ETH_P_ARP, 0);
	len = test_build(&s, inner);
	tagged(decap, len, "VXLAN 42 with an ARP request inside");
	pkt_spec_init(&s, ETH_P_IP, IPPROTO_UDP);
	s.size = ETH_HLEN + CHECK_INNER_MTU;
	len = test_build(&s, inner);
	tagged(decap, len, "VXLAN 42 with a 1464-byte UDP frame inside");
	memset(inner, 0x5a, 14);
	tagged(decap, 14, "VXLAN 42 with a bare 14-byte Ethernet header inside");

	pkt_spec_init(&s, ETH_P_IP, IPPROTO_ICMP);
	len = test_build(&s, inner);
	olen = from_far(len, 43);
	memcpy(want, frame, olen);
	expect_str("VXLAN to VNI 43", "XDP_PASS, unchanged",
		   xdp_run(decap, 0, frame, olen, &res) ? "a refused test run" :
		   res.verdict == XDP_PASS && res.len == olen && !memcmp(res.data, want, olen) ?
		   "XDP_PASS, unchanged" : xdp_action_name(res.verdict));

	pkt_spec_init(&s, ETH_P_IP, IPPROTO_UDP);
	s.size = 200;
	len = test_build(&s, inner);
	expect_str("encap of a 200-byte UDP frame, as before", "XDP_REDIRECT, 200 + 50 bytes",
		   xdp_run(encap, 0, inner, len, &res) ? "a refused test run" :
		   check_wrapped(res.data, res.len, inner, len, 0) ?
		   "XDP_REDIRECT, 200 + 50 bytes" : xdp_action_name(res.verdict));
	tunnel_bpf__destroy(skel);
	return exercise_done();
}
