// SPDX-License-Identifier: GPL-2.0
/* Exercise 2: a small ring buffer, and the events it loses. The program's ring buffer holds
 * 4096 bytes, and a global variable `lost` counts the events that found it full, while every
 * frame still passes. Run on frames with nobody reading, as a loader that cannot keep up would
 * be, the ring buffer fills: exactly as many records as fit in it are kept, and every other
 * event must be counted in `lost`. Timing plays no part: the check reads when it chooses. */
#include <stdlib.h>
#include <string.h>
#include <linux/if_ether.h>
#include <netinet/in.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include "exercise.h"

#define RING_SIZE 4096
#define FLOOD 400

struct seen {
	__u64 n;
	size_t size;		/* the size of a record, as the program reserved it */
};

static int on_event(void *ctx, void *data, size_t size)
{
	struct seen *s = ctx;

	(void)data;
	s->n++;
	s->size = size;
	return 0;
}

/* The program's global variable NAME: in which map (.bss or .data) and where. A global is one
 * entry of a datasec in the object's BTF; libbpf made that section an array map of one value. */
struct global {
	struct bpf_map *map;
	__u32 offset, size;
};

static bool find_global(struct bpf_object *obj, const char *name, struct global *g)
{
	struct btf *btf = bpf_object__btf(obj);
	struct bpf_map *map;

	if (!btf)
		return false;
	bpf_object__for_each_map(map, obj) {
		const struct btf_type *sec;
		const struct btf_var_secinfo *vsi;
		int i;

		if (!bpf_map__is_internal(map))
			continue;
		sec = btf__type_by_id(btf, bpf_map__btf_value_type_id(map));
		if (!sec || !btf_is_datasec(sec))
			continue;
		vsi = btf_var_secinfos(sec);
		for (i = 0; i < btf_vlen(sec); i++, vsi++) {
			const struct btf_type *var = btf__type_by_id(btf, vsi->type);

			if (var && !strcmp(btf__name_by_offset(btf, var->name_off), name)) {
				g->map = map;
				g->offset = vsi->offset;
				g->size = vsi->size;
				return true;
			}
		}
	}
	return false;
}

/* The global's value now, as text: its number, or why there is none. */
static const char *global_now(const struct global *g, char *buf, size_t len)
{
	__u32 zero = 0;
	__u64 v = 0;
	__u8 *value;

	if (!g->map)
		return "no global variable named lost";
	if (g->size != sizeof(__u64) && g->size != sizeof(__u32)) {
		snprintf(buf, len, "a lost of %u bytes, not a number", g->size);
		return buf;
	}
	value = calloc(1, bpf_map__value_size(g->map));
	if (!value || bpf_map_lookup_elem(bpf_map__fd(g->map), &zero, value)) {
		free(value);
		return "a lost that cannot be read";
	}
	if (g->size == sizeof(__u64)) {
		memcpy(&v, value + g->offset, sizeof(v));
	} else {
		__u32 v32;	/* a __u32 lost counts as well as a __u64 */

		memcpy(&v32, value + g->offset, sizeof(v32));
		v = v32;
	}
	free(value);
	snprintf(buf, len, "%llu", (unsigned long long)v);
	return buf;
}

int main(void)
{
	struct ring_buffer *rb = NULL;
	struct bpf_map *map, *ring = NULL;
	struct global lost = { 0 };
	struct xdp_result res;
	struct bpf_object *obj;
	struct seen seen = { 0 };
	struct pkt_spec spec;
	__u8 frame[PKT_MAX];
	char what[128], want[32], got[64];
	__u64 passed = 0, record, fits;
	int fd, len, i;

	exercise_start("Exercise 2: a small ring buffer, and the events it loses");
	fd = exercise_load("hello", NULL, &obj);
	bpf_object__for_each_map(map, obj)
		if (bpf_map__type(map) == BPF_MAP_TYPE_RINGBUF && !ring)
			ring = map;
	if (!ring) {
		expect_str("a ring buffer map in hello.bpf.o", "one", "none");
		goto out;
	}
	expect_u64("the ring buffer's size in bytes (max_entries)", RING_SIZE,
		   bpf_map__max_entries(ring));
	find_global(obj, "lost", &lost);
	rb = ring_buffer__new(bpf_map__fd(ring), on_event, &seen, NULL);
	if (!rb) {
		expect_str("the ring buffer opens", "yes", "no");
		goto out;
	}

	pkt_spec_init(&spec, ETH_P_IP, IPPROTO_ICMP);
	spec.size = 98;
	len = test_build(&spec, frame);
	xdp_run(fd, 0, frame, len, &res);
	ring_buffer__consume(rb);
	expect_u64("events from 1 ping, read at once", 1, seen.n);
	expect_str("lost after it", "0", global_now(&lost, got, sizeof(got)));
	if (seen.n != 1 || !seen.size)
		goto out;

	/* Each record takes an 8-byte header and is rounded up to 8 bytes; the kernel keeps
	 * the producer less than the ring's size ahead of the reader, so size - 1 bytes hold
	 * records. */
	record = (seen.size + 8 + 7) / 8 * 8;
	fits = (RING_SIZE - 1) / record;
	seen.n = 0;
	for (i = 0; i < FLOOD; i++)
		if (!xdp_run(fd, 0, frame, len, &res) && res.verdict == XDP_PASS)
			passed++;
	snprintf(what, sizeof(what), "pings of %d passed while nobody read the ring buffer", FLOOD);
	expect_u64(what, FLOOD, passed);
	ring_buffer__consume(rb);
	snprintf(what, sizeof(what), "events kept of those %d: as many %llu-byte records as fit",
		 FLOOD, (unsigned long long)record);
	expect_u64(what, fits, seen.n);
	snprintf(want, sizeof(want), "%llu", (unsigned long long)(FLOOD - fits));
	snprintf(what, sizeof(what), "lost after them: the %llu events that did not fit",
		 (unsigned long long)(FLOOD - fits));
	expect_str(what, want, global_now(&lost, got, sizeof(got)));

	/* read, the ring buffer has room again: the next event is kept, and not lost */
	seen.n = 0;
	xdp_run(fd, 0, frame, len, &res);
	ring_buffer__consume(rb);
	expect_u64("events from 1 more ping, once the reader caught up", 1, seen.n);
	expect_str("lost after it (unchanged)", want, global_now(&lost, got, sizeof(got)));
out:
	ring_buffer__free(rb);
	bpf_object__close(obj);
	return exercise_done();
}
