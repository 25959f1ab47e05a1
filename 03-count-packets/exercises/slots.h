/* SPDX-License-Identifier: GPL-2.0 */
/* For the checks of lesson 03's exercises: a slot of a map of struct counters, read the way
 * user space sees it whichever kind of array the learner chose. A per-CPU array gives one copy
 * per possible CPU, added up here; a plain array gives its one shared value. Reading both lets
 * a check judge the counts, and leave the choice of map to the exercise that asks for it. */
#ifndef SLOTS_H
#define SLOTS_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "exercise.h"
#include "count_packets.h"

/* The map NAME of the learner's object, or NULL after a WRONG line that says what is missing:
 * an array whose values are struct counters. */
static inline struct bpf_map *slots_map(struct bpf_object *obj, const char *name)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, name);
	char what[64], got[64];

	if (!map) {
		snprintf(what, sizeof(what), "the map %s", name);
		expect_str(what, "in count_packets.bpf.o", "no map of that name");
		return NULL;
	}
	if (bpf_map__value_size(map) != sizeof(struct counters)) {
		snprintf(got, sizeof(got), "%u-byte values", bpf_map__value_size(map));
		expect_str("its values", "struct counters (16 bytes)", got);
		return NULL;
	}
	return map;
}

/* Slot key of map, every CPU's copy added up, into sum. Returns 0, or -ENOENT when the map has
 * no such slot, or another -errno. */
static inline int slots_read(struct bpf_map *map, __u32 key, struct counters *sum)
{
	int ncpus = bpf_map__type(map) == BPF_MAP_TYPE_PERCPU_ARRAY ? libbpf_num_possible_cpus()
								     : 1;
	struct counters *copies;
	int cpu, err = 0;

	if (ncpus < 0)
		return ncpus;
	if (key >= bpf_map__max_entries(map))
		return -ENOENT;
	copies = calloc(ncpus, sizeof(*copies));
	if (!copies)
		return -ENOMEM;
	if (bpf_map_lookup_elem(bpf_map__fd(map), &key, copies))
		err = -errno;
	memset(sum, 0, sizeof(*sum));
	for (cpu = 0; !err && cpu < ncpus; cpu++) {
		sum->packets += copies[cpu].packets;
		sum->bytes += copies[cpu].bytes;
	}
	free(copies);
	return err;
}

/* Two lines: slot key of map holds exactly want_packets and want_bytes. */
static inline void expect_slot(struct bpf_map *map, __u32 key, const char *what,
			       __u64 want_packets, __u64 want_bytes)
{
	struct counters c;
	char line[160], got[64];
	int err = slots_read(map, key, &c);

	if (err) {
		snprintf(line, sizeof(line), "%s, packets", what);
		if (err != -ENOENT) {
			expect_str(line, "a slot to read", strerror(-err));
			return;
		}
		snprintf(got, sizeof(got), "no such slot: the map has %u",
			 bpf_map__max_entries(map));
		expect_str(line, "a slot", got);
		return;
	}
	snprintf(line, sizeof(line), "%s, packets", what);
	expect_u64(line, want_packets, c.packets);
	snprintf(line, sizeof(line), "%s, bytes", what);
	expect_u64(line, want_bytes, c.bytes);
}

#endif
