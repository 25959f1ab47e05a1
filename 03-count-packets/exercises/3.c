// SPDX-License-Identifier: GPL-2.0
/* Exercise 3: a shared counter with atomics. The map holds one value that every CPU updates,
 * and the updates are atomic: the check runs your program on two CPUs at the same time, many
 * times over, and the one value must count every run. A plain ++ on a shared value loses
 * updates when two CPUs add at once, and then the count comes out short.
 *
 * A 32-bit ARM kernel with its BPF JIT on cannot compile a 64-bit atomic add and refuses the
 * program (524, the kernel's ENOTSUPP): there the check says it cannot judge, and why. */
#define _GNU_SOURCE		/* pthread_setaffinity_np, CPU_SET */
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <linux/if_ether.h>
#include <netinet/in.h>
#include "exercise.h"
#include "slots.h"

#define KERNEL_ENOTSUPP 524	/* "the JIT could not do it"; user space has no name for it */
#define REPEAT 500000		/* runs per CPU per round: long enough for the two to overlap */
#define ROUNDS 8

struct runner {
	int prog_fd, cpu, err;
	const __u8 *frame;
	__u32 len;
	pthread_barrier_t *start;
};

/* On its own CPU, after the other runner is ready too: REPEAT runs of the program. */
static void *run(void *arg)
{
	struct runner *r = arg;
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = r->frame, .data_size_in = r->len,
		    .repeat = REPEAT);
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(r->cpu, &set);
	r->err = -pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	pthread_barrier_wait(r->start);
	if (!r->err && bpf_prog_test_run_opts(r->prog_fd, &opts))
		r->err = -errno;
	return NULL;
}

/* Does the kernel take the program at all? Only a JIT without 64-bit atomics is excused; any
 * other refusal is the learner's, and exercise_load() says so with the verifier's words. */
static void loads_here(void)
{
	char path[PATH_MAX];
	struct bpf_object *obj;
	int err;

	if (!test_path(path, sizeof(path), "../count_packets.bpf.o"))
		return;
	obj = bpf_object__open_file(path, NULL);
	if (!obj)
		return;
	err = bpf_object__load(obj);
	bpf_object__close(obj);
	if (err != -KERNEL_ENOTSUPP)
		return;
	printf("  this kernel cannot run it: its BPF JIT refused the program with 524\n"
	       "  (ENOTSUPP), which is what a 32-bit ARM JIT does with a 64-bit atomic add\n"
	       "  (the README's \"Break it\"); with the JIT off (sysctl\n"
	       "  net.core.bpf_jit_enable=0) the interpreter would run it\n");
	printf("Exercise 3: a shared counter with atomics: cannot be checked here\n");
	exit(1);
}

static const char *map_kind(enum bpf_map_type type)
{
	switch (type) {
	case BPF_MAP_TYPE_ARRAY:
		return "one value all CPUs share (BPF_MAP_TYPE_ARRAY)";
	case BPF_MAP_TYPE_PERCPU_ARRAY:
		return "a copy per CPU (BPF_MAP_TYPE_PERCPU_ARRAY)";
	default:
		return "another kind of map";
	}
}

int main(void)
{
	pthread_t threads[2];
	struct runner runners[2];
	pthread_barrier_t start;
	struct bpf_object *obj;
	struct bpf_map *map;
	struct pkt_spec spec;
	struct counters c = { 0 };
	cpu_set_t allowed;
	__u8 frame[PKT_MAX];
	int fd, len, cpu, n = 0, round, i;
	__u64 runs = 0;
	char what[128];

	exercise_start("Exercise 3: a shared counter with atomics");
	loads_here();
	fd = exercise_load("count_packets", NULL, &obj);
	map = slots_map(obj, "stats");
	if (!map)
		return exercise_done();
	expect_str("the map stats holds", map_kind(BPF_MAP_TYPE_ARRAY),
		   map_kind(bpf_map__type(map)));

	/* two CPUs we may run on: updates at the same time are what atomics are for */
	sched_getaffinity(0, sizeof(allowed), &allowed);
	for (cpu = 0; cpu < CPU_SETSIZE && n < 2; cpu++)
		if (CPU_ISSET(cpu, &allowed))
			runners[n++].cpu = cpu;
	if (n < 2)
		printf("  (only one CPU to run on: the check cannot run your program on two at"
		       " once, and counts one CPU's runs)\n");

	pkt_spec_init(&spec, ETH_P_IP, IPPROTO_ICMP);
	spec.size = 98;
	len = test_build(&spec, frame);
	pthread_barrier_init(&start, NULL, n);
	/* Rounds until the count falls short (a lost update) or all have run: a right program
	 * never falls short, so it runs them all. */
	for (round = 0; round < ROUNDS && c.packets == runs; round++) {
		for (i = 0; i < n; i++) {
			runners[i].prog_fd = fd;
			runners[i].frame = frame;
			runners[i].len = len;
			runners[i].start = &start;
			runners[i].err = 0;
			pthread_create(&threads[i], NULL, run, &runners[i]);
		}
		for (i = 0; i < n; i++) {
			pthread_join(threads[i], NULL);
			if (runners[i].err) {
				expect_str("a test run", "works", strerror(-runners[i].err));
				return exercise_done();
			}
		}
		runs += (__u64)n * REPEAT;
		if (slots_read(map, 0, &c))
			break;
	}
	pthread_barrier_destroy(&start);
	if (n == 2)
		snprintf(what, sizeof(what), "slot 0 after %llu runs, half on CPU %d and half on "
			 "CPU %d at the same time", (unsigned long long)runs, runners[0].cpu,
			 runners[1].cpu);
	else
		snprintf(what, sizeof(what), "slot 0 after %llu runs on CPU %d",
			 (unsigned long long)runs, runners[0].cpu);
	expect_slot(map, 0, what, runs, runs * len);
	bpf_object__close(obj);
	return exercise_done();
}
