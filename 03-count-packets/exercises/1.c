// SPDX-License-Identifier: GPL-2.0
/* Exercise 1: count per XDP action. The program drops frames over 500 bytes and passes the
 * rest, and counts each frame in the slot of its verdict: frames around the threshold and far
 * from it must get the right verdict, and afterwards the slots XDP_ABORTED to XDP_REDIRECT
 * must hold exactly the frames and bytes given each verdict. */
#include <stdio.h>
#include <linux/if_ether.h>
#include <netinet/in.h>
#include "exercise.h"
#include "slots.h"

int main(void)
{
	static const __u32 sizes[] = { 60, 98, 499, 500, 501, 1042, 1514 };
	__u64 packets[XDP_REDIRECT + 1] = { 0 }, bytes[XDP_REDIRECT + 1] = { 0 };
	struct bpf_object *obj;
	struct bpf_map *map;
	__u8 frame[PKT_MAX];
	struct pkt_spec spec;
	char what[64];
	__u32 action, want;
	size_t i;
	int fd, len;

	exercise_start("Exercise 1: count per XDP action");
	fd = exercise_load("count_packets", NULL, &obj);
	map = slots_map(obj, "stats");
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		pkt_spec_init(&spec, ETH_P_IP, IPPROTO_ICMP);
		spec.size = sizes[i];
		len = test_build(&spec, frame);
		want = len > 500 ? XDP_DROP : XDP_PASS;
		snprintf(what, sizeof(what), "a %d-byte ping", len);
		expect_verdict(fd, frame, len, want, what);
		packets[want]++;
		bytes[want] += len;
	}
	for (action = XDP_ABORTED; map && action <= XDP_REDIRECT; action++) {
		snprintf(what, sizeof(what), "slot %s (%u)", xdp_action_name(action), action);
		expect_slot(map, action, what, packets[action], bytes[action]);
	}
	bpf_object__close(obj);
	return exercise_done();
}
