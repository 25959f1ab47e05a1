/* SPDX-License-Identifier: GPL-2.0 */
/* What lesson 04's checks share: run the learner's parse_ipv4 on one frame, with its counters
 * zeroed first, and judge the verdict and the heading the frame was counted under together, in
 * one line:
 *
 *	  ok     UDP to port 9: expected XDP_DROP under blocked, got XDP_DROP under blocked
 *	  WRONG  UDP to port 2304: expected XDP_PASS under udp, got XDP_DROP under blocked
 *
 * The counters are a per-CPU array (parse_ipv4.h): the check adds up every CPU's copy, as the
 * loader does. common/stats.c has that sum too, but checks link only common/exercise.c and the
 * packet code, so these few lines live here, beside the checks that use them. */
#ifndef COUNTED_H
#define COUNTED_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "exercise.h"
#include "parse_ipv4.h"

struct counted {
	int prog_fd;
	int counters_fd;
	int ncpus;
	__u64 *percpu;		/* one counter's copies, one per possible CPU */
};

/* Load the learner's parse_ipv4.bpf.o (exits with the verifier's words if it is refused). */
static inline void counted_load(struct counted *c, struct bpf_object **obj)
{
	struct bpf_map *map;

	c->prog_fd = exercise_load("parse_ipv4", "parse_ipv4", obj);
	map = bpf_object__find_map_by_name(*obj, "counters");
	c->ncpus = libbpf_num_possible_cpus();
	if (!map || c->ncpus <= 0) {
		printf("  WRONG  parse_ipv4.bpf.o has no map named counters\n");
		exit(1);
	}
	c->counters_fd = bpf_map__fd(map);
	c->percpu = calloc(c->ncpus, sizeof(*c->percpu));
	if (!c->percpu) {
		printf("  out of memory\n");
		exit(1);
	}
}

/* The end of counted_load: the copies, and the object. */
static inline void counted_close(struct counted *c, struct bpf_object *obj)
{
	free(c->percpu);
	c->percpu = NULL;
	bpf_object__close(obj);
}

/* "XDP_PASS under udp": what the program did with one frame; "and" joins the headings when it
 * counted more than one, "under no heading" when none. */
static inline const char *counted_run(struct counted *c, const void *frame, __u32 len,
				      char *buf, size_t size)
{
	static const char *const names[COUNT_MAX] = COUNTER_NAMES;
	static struct xdp_result res;
	const char *sep = " under ";
	size_t at;
	__u32 key;
	__u64 sum;
	int i, err;

	memset(c->percpu, 0, c->ncpus * sizeof(*c->percpu));
	for (key = 0; key < COUNT_MAX; key++)
		bpf_map_update_elem(c->counters_fd, &key, c->percpu, BPF_ANY);
	err = xdp_run(c->prog_fd, 0, frame, len, &res);
	if (err) {
		snprintf(buf, size, "a refused test run (%s)", strerror(-err));
		return buf;
	}
	at = snprintf(buf, size, "%s", xdp_action_name(res.verdict));
	for (key = 0; key < COUNT_MAX && at < size; key++) {
		if (bpf_map_lookup_elem(c->counters_fd, &key, c->percpu))
			continue;
		for (sum = 0, i = 0; i < c->ncpus; i++)
			sum += c->percpu[i];
		if (!sum)
			continue;
		if (sum == 1)
			at += snprintf(buf + at, size - at, "%s%s", sep, names[key]);
		else
			at += snprintf(buf + at, size - at, "%s%s (%llu times)", sep, names[key],
				       (unsigned long long)sum);
		sep = " and ";
	}
	if (at < size && !strcmp(sep, " under "))
		snprintf(buf + at, size - at, " under no heading");
	return buf;
}

/* One expectation: this frame gets this verdict and is counted under this heading. */
static inline bool expect_counted(struct counted *c, const void *frame, __u32 len, __u32 verdict,
				  enum counter want, const char *what)
{
	static const char *const names[COUNT_MAX] = COUNTER_NAMES;
	char w[64], g[160];

	snprintf(w, sizeof(w), "%s under %s", xdp_action_name(verdict), names[want]);
	return expect_str(what, w, counted_run(c, frame, len, g, sizeof(g)));
}

#endif
