// SPDX-License-Identifier: GPL-2.0
/* Exercise 3: answer "fragmentation needed". An IPv4 packet too big for the tunnel, with DF
 * set and no IP options, comes back to its sender as ICMP destination unreachable, code 4
 * (RFC 792, RFC 1191), sent with XDP_TX: 70 bytes -- Ethernet back to the sender's MAC from
 * the MAC it was sent to; IPv4 from the tunnel's own address (203.0.113.1) to the sender,
 * 56 bytes long, TTL 64, protocol 1, not a fragment, its checksum right; ICMP type 3 code 4,
 * 2 bytes of 0 and the next-hop MTU 1450, its checksum right; then the packet's IPv4 header
 * and the first 8 bytes after it, exactly. Without DF the packet is passed as before, and a
 * packet that fits is tunnelled as before. Each frame runs through the learner's encap with
 * bpf_prog_test_run_opts. */
#include <errno.h>
#include <linux/if_ether.h>
#include "tunnel_check.h"

#define ANSWER_LEN	(14 + 20 + 8 + 20 + 8)

static __u8 frame[PKT_MAX];
static struct xdp_result res;

/* What is wrong with res as the answer to frame, or "" if nothing. */
static const char *wrong_answer(void)
{
	const __u8 *ip = res.data + 14, *icmp = res.data + 34, *old = frame + 14;
	__u8 local[4];

	inet_pton(AF_INET, "203.0.113.1", local);
	if (res.verdict != XDP_TX)
		return "the verdict";
	if (res.len != ANSWER_LEN)
		return "the length";
	if (memcmp(res.data, frame + 6, 6) || memcmp(res.data + 6, frame, 6) ||
	    res.data[12] != 0x08 || res.data[13] != 0x00)
		return "the Ethernet header";
	if (ip[0] != 0x45 || ip[2] != 0 || ip[3] != 56 || ip[8] != 64 || ip[9] != 1 ||
	    (ip[6] & 0x3f) || ip[7] || memcmp(ip + 12, local, 4) || memcmp(ip + 16, old + 12, 4))
		return "the IPv4 header";
	if (!pkt_ipv4_csum_ok(ip))
		return "the IPv4 checksum";
	if (icmp[0] != 3 || icmp[1] != 4 || icmp[4] || icmp[5] ||
	    ((unsigned int)icmp[6] << 8 | icmp[7]) != CHECK_INNER_MTU)
		return "the ICMP header (type, code, MTU)";
	if (pkt_csum(icmp, 36, 0))
		return "the ICMP checksum";
	if (memcmp(icmp + 8, old, 28))
		return "the packet's header and 8 bytes quoted";
	return "";
}

static void answered(int fd, __u32 len, const char *what)
{
	int err = xdp_run(fd, 0, frame, len, &res);
	char got[96];

	if (err)
		snprintf(got, sizeof(got), "a refused test run (%s)", strerror(-err));
	else if (!*wrong_answer())
		snprintf(got, sizeof(got), "XDP_TX, 70 bytes, all right");
	else
		snprintf(got, sizeof(got), "%s, %u bytes, %s WRONG", xdp_action_name(res.verdict),
			 res.len, wrong_answer());
	expect_str(what, "XDP_TX, 70 bytes, all right", got);
}

static int build(__u8 proto, __u32 size, bool df)
{
	struct pkt_spec s;

	pkt_spec_init(&s, ETH_P_IP, proto);
	inet_pton(AF_INET, "192.0.2.1", &s.saddr);
	inet_pton(AF_INET, "192.0.2.2", &s.daddr);
	memcpy(s.src_mac, (__u8[]){ 0x02, 0x00, 0xc0, 0x00, 0x02, 0x01 }, 6);
	memcpy(s.dst_mac, (__u8[]){ 0x02, 0x00, 0xc0, 0x00, 0x02, 0x02 }, 6);
	s.frag = df ? 0x4000 : 0;
	s.size = size;
	return test_build(&s, frame);
}

int main(void)
{
	struct tunnel_bpf *skel;
	int fd, len;

	exercise_start("Exercise 3: answer \"fragmentation needed\"");
	skel = check_load();
	fd = bpf_program__fd(skel->progs.encap);

	len = build(IPPROTO_ICMP, 14 + CHECK_INNER_MTU + 1, true);
	answered(fd, len, "a 1451-byte ping with DF (ping -M do -s 1423)");
	len = build(IPPROTO_UDP, 1514, true);
	answered(fd, len, "a 1500-byte UDP datagram with DF");
	len = build(IPPROTO_TCP, 1000 + 14 + CHECK_INNER_MTU, true);
	answered(fd, len, "a 2450-byte TCP segment with DF");

	len = build(IPPROTO_UDP, 1514, false);
	memcpy(frame + 2000, frame, len);
	expect_str("a 1500-byte UDP datagram without DF", "XDP_PASS, unchanged",
		   xdp_run(fd, 0, frame, len, &res) ? "a refused test run" :
		   res.verdict == XDP_PASS && res.len == (__u32)len &&
		   !memcmp(res.data, frame + 2000, len) ? "XDP_PASS, unchanged" :
		   xdp_action_name(res.verdict));
	len = build(IPPROTO_UDP, 14 + CHECK_INNER_MTU, true);
	expect_str("a 1450-byte UDP datagram with DF, which fits", "XDP_REDIRECT, tunnelled",
		   xdp_run(fd, 0, frame, len, &res) ? "a refused test run" :
		   check_wrapped(res.data, res.len, frame, len, 0) ? "XDP_REDIRECT, tunnelled" :
		   xdp_action_name(res.verdict));
	tunnel_bpf__destroy(skel);
	return exercise_done();
}
