// SPDX-License-Identifier: GPL-2.0
/* Exercise 3: mark what you forward. Every frame redirect forwards leaves with DSCP CS1 (the TOS
 * byte's top six bits 8: 0x20), its ECN bits (the low two) as they came, the TTL one lower and
 * an IPv4 checksum that verifies; nothing else in it changes but the MACs. A frame passed to
 * the stack (TTL 1) leaves unmarked. Frames with other TOS values, with IP options, with ECN
 * bits set, and one already CS1, each run through the learner's program with
 * bpf_prog_test_run_opts, in a network namespace of its own whose loopback device is the port
 * the route leaves through. A forgotten checksum update, or one that takes the TOS byte for the
 * wrong half of its 16-bit word (a missing bpf_htons()), shows as "checksum BAD". */
#define _GNU_SOURCE		/* unshare */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <linux/if_ether.h>
#include <netinet/in.h>
#include "exercise.h"
#include "redirect.h"

#define LO	1	/* the loopback device's ifindex in a new network namespace */
#define CS1	0x20	/* DSCP 8 in the TOS byte's top six bits */

static const struct route route = {
	.in_ifindex = LO,
	.out_ifindex = LO,
	.own_mac = { 0x02, 0x00, 0xc0, 0x00, 0x02, 0x01 },	/* pkt_spec_init()'s dst_mac */
	.src_mac = { 0x02, 0x00, 0xcb, 0x00, 0x71, 0x01 },
	.dst_mac = { 0x02, 0x00, 0xcb, 0x00, 0x71, 0x02 },
};
static __u8 frame[PKT_MAX];
static struct xdp_result res;

/* Fill the maps the way the loader does, for one port: frames arriving on lo leave through lo. */
static int fill_maps(struct bpf_object *obj)
{
	struct bpf_map *routes = bpf_object__find_map_by_name(obj, "routes");
	struct bpf_map *ports = bpf_object__find_map_by_name(obj, "out_ports");
	struct bpf_map *slots = bpf_object__find_map_by_name(obj, "out_slots");
	__u32 lo = LO, slot = 0;

	if (!routes || !ports || !slots ||
	    bpf_map__update_elem(routes, &slot, sizeof(slot), &route, sizeof(route), BPF_ANY) ||
	    bpf_map__update_elem(ports, &lo, sizeof(lo), &lo, sizeof(lo), BPF_ANY) ||
	    bpf_map__update_elem(slots, &lo, sizeof(lo), &slot, sizeof(slot), BPF_ANY)) {
		printf("  WRONG  redirect.bpf.o's maps routes, out_ports and out_slots, as shipped: "
		       "%s\n", strerror(errno ? errno : ENOENT));
		return -1;
	}
	return 0;
}

/* A UDP frame with this TOS, TTL and IHL (0: no options), its checksum summed again. */
static int build(__u8 tos, __u8 ttl, __u8 ihl)
{
	struct pkt_spec s;
	__u8 *ip = frame + ETH_HLEN;
	__u16 sum;
	int len;

	pkt_spec_init(&s, ETH_P_IP, IPPROTO_UDP);
	s.ttl = ttl;
	s.ihl = ihl;
	s.size = 120;
	len = test_build(&s, frame);
	ip[1] = tos;
	ip[10] = ip[11] = 0;
	sum = pkt_csum(ip, (ip[0] & 15) * 4, 0);
	memcpy(ip + 10, &sum, 2);
	return len;
}

/* What the program did to the frame, in the words of the expectation. */
static void describe(int len, char *got, size_t size)
{
	const __u8 *ip = res.data + ETH_HLEN;
	int i, other = 0;

	for (i = 12; i < len && (__u32)i < res.len; i++)	/* MACs, TOS, TTL, checksum aside */
		other += res.data[i] != frame[i] && i != ETH_HLEN + 1 && i != ETH_HLEN + 8 &&
			 i != ETH_HLEN + 10 && i != ETH_HLEN + 11;
	snprintf(got, size, "%s, TOS 0x%02x, TTL %u, checksum %s", xdp_action_name(res.verdict),
		 ip[1], ip[8], pkt_ipv4_csum_ok(ip) ? "ok" : "BAD");
	if (other)
		snprintf(got + strlen(got), size - strlen(got), ", %d other byte%s changed", other,
			 other == 1 ? "" : "s");
	if (res.len != (__u32)len)
		snprintf(got + strlen(got), size - strlen(got), ", %u bytes long", res.len);
}

static void forwarded(int fd, __u8 tos, __u8 ttl, __u8 ihl, const char *what)
{
	char want[96], got[128], line[128];
	int len = build(tos, ttl, ihl), err = xdp_run(fd, LO, frame, len, &res);

	snprintf(line, sizeof(line), "%s, TOS 0x%02x, TTL %u", what, tos, ttl);
	snprintf(want, sizeof(want), "XDP_REDIRECT, TOS 0x%02x, TTL %u, checksum ok",
		 CS1 | (tos & 3), ttl - 1);
	if (err)
		snprintf(got, sizeof(got), "a refused test run (%s)", strerror(-err));
	else
		describe(len, got, sizeof(got));
	expect_str(line, want, got);
}

static void passed(int fd, __u8 tos, __u8 ttl, const char *what)
{
	char want[96], got[128], line[128];
	int len = build(tos, ttl, 0), err = xdp_run(fd, LO, frame, len, &res);

	snprintf(line, sizeof(line), "%s, TOS 0x%02x, TTL %u", what, tos, ttl);
	snprintf(want, sizeof(want), "XDP_PASS, TOS 0x%02x, TTL %u, checksum ok", tos, ttl);
	if (err)
		snprintf(got, sizeof(got), "a refused test run (%s)", strerror(-err));
	else
		describe(len, got, sizeof(got));
	expect_str(line, want, got);
}

int main(void)
{
	struct bpf_object *obj;
	int fd;

	exercise_start("Exercise 3: mark what you forward (DSCP CS1), checksum and all");
	/* a namespace of our own: nothing here touches this machine's interfaces */
	if (unshare(CLONE_NEWNET)) {
		printf("  cannot make a network namespace: %s\n", strerror(errno));
		return 1;
	}
	fd = exercise_load("redirect", "redirect", &obj);
	if (fill_maps(obj)) {
		bpf_object__close(obj);
		return 1;
	}
	forwarded(fd, 0x00, 64, 0, "best effort");
	forwarded(fd, 0xb8, 64, 0, "EF (voice)");
	forwarded(fd, 0x03, 64, 0, "ECN CE (congestion seen)");
	forwarded(fd, 0xb9, 200, 0, "EF with ECT(1)");
	forwarded(fd, 0x4a, 2, 7, "AF21 with ECT(0), 8 bytes of IP options");
	forwarded(fd, 0x20, 64, 0, "already CS1");
	forwarded(fd, 0xff, 255, 0, "every TOS bit set");
	passed(fd, 0xb8, 1, "EF, passed to the stack");
	bpf_object__close(obj);
	return exercise_done();
}
