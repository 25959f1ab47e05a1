// SPDX-License-Identifier: GPL-2.0
/* Exercise 4: a histogram of frame sizes, in a second map. Besides counting every frame in
 * stats, the program counts it in sizes, a map of 6 slots of struct counters: slot k for the
 * frames of k * 256 to k * 256 + 255 bytes. A frame of 1536 bytes or more has no slot: it is
 * counted in stats only. Frames on both sides of every slot's edges, and past the last one, must
 * pass, and afterwards each slot must hold exactly its frames and their bytes. */
#include <stdio.h>
#include <linux/if_ether.h>
#include <netinet/in.h>
#include "exercise.h"
#include "slots.h"

#define SLOTS 6
#define SLOT_BYTES 256

int main(void)
{
	static const __u32 sizes[] = {
		14, 60, 98, 255, 256, 511, 512, 1000, 1514, 1535, 1536, 2000,
	};
	__u64 packets[SLOTS] = { 0 }, bytes[SLOTS] = { 0 }, all_bytes = 0;
	struct bpf_map *stats, *hist;
	struct bpf_object *obj;
	__u8 frame[PKT_MAX];
	struct pkt_spec spec;
	char what[64];
	size_t i;
	__u32 len, slot;
	int fd;

	exercise_start("Exercise 4: a histogram of frame sizes");
	fd = exercise_load("count_packets", NULL, &obj);
	stats = slots_map(obj, "stats");
	hist = slots_map(obj, "sizes");
	if (hist)
		expect_u64("slots in sizes", SLOTS, bpf_map__max_entries(hist));
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		pkt_spec_init(&spec, ETH_P_IP, IPPROTO_UDP);
		spec.size = sizes[i] < 60 ? 60 : sizes[i];
		test_build(&spec, frame);
		len = sizes[i];		/* below 60 bytes: the same frame, cut short */
		snprintf(what, sizeof(what), "a %u-byte frame", len);
		expect_verdict(fd, frame, len, XDP_PASS, what);
		all_bytes += len;
		slot = len / SLOT_BYTES;
		if (slot < SLOTS) {
			packets[slot]++;
			bytes[slot] += len;
		}
	}
	if (stats)
		expect_slot(stats, 0, "stats, every frame", i, all_bytes);
	for (slot = 0; hist && slot < SLOTS; slot++) {
		snprintf(what, sizeof(what), "sizes slot %u (%u to %u bytes)", slot,
			 slot * SLOT_BYTES, slot * SLOT_BYTES + SLOT_BYTES - 1);
		expect_slot(hist, slot, what, packets[slot], bytes[slot]);
	}
	bpf_object__close(obj);
	return exercise_done();
}
