// SPDX-License-Identifier: GPL-2.0
/* Exercise 2: drop only frames over 500 bytes. The program decides on the frame's length,
 * which the context holds (data_end - data), without reading the packet: frames around the
 * threshold, and far from it, must get the right verdict. */
#include <string.h>
#include <linux/if_ether.h>
#include <netinet/in.h>
#include "exercise.h"

int main(void)
{
	static const __u32 sizes[] = { 60, 98, 499, 500, 501, 1042, 1514 };
	struct bpf_object *obj;
	__u8 frame[PKT_MAX];
	struct pkt_spec spec;
	char what[64];
	size_t i;
	int fd, len;

	exercise_start("Exercise 2: drop only frames over 500 bytes");
	fd = exercise_load("drop_all", NULL, &obj);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		pkt_spec_init(&spec, ETH_P_IP, IPPROTO_ICMP);
		spec.size = sizes[i];
		len = test_build(&spec, frame);
		snprintf(what, sizeof(what), "a %d-byte ping", len);
		expect_verdict(fd, frame, len, len > 500 ? XDP_DROP : XDP_PASS, what);
	}
	bpf_object__close(obj);
	return exercise_done();
}
