// SPDX-License-Identifier: GPL-2.0
/* xdp_cost: what one run of an XDP program costs, in nanoseconds per packet, next to a program
 * that does nothing (xdp_cost.bpf.c), measured in the same run.
 *
 * bpf_prog_test_run_opts runs a program `repeat` times on one frame, in the kernel, on this
 * CPU. Each call is timed with this thread's CPU clock, which stops while another task has the
 * CPU: a busy machine disturbs it less than a wall clock. Every program is measured once per
 * round and the rounds are interleaved, so load that comes and goes touches every row alike;
 * the table shows the median round, and the fastest and slowest to show the noise.
 *
 * The same buffer serves every repeat, so a program that rewrites the frame would measure its
 * own output from the second repeat on. xdp_cost runs each program once first and compares the
 * frame: one that changed it is measured behind `restore` (bench.h), against `restore` in front
 * of the empty program. restore also moves the frame's start back where it was, for a program
 * that grew or shrank the frame at the front (08's); xdp_cost checks that two runs of a program
 * behind it leave the frame one run leaves, and refuses to measure one that fails. A program
 * with a ring buffer that nobody reads fills it and then skips its events; it is measured as
 * it is and with a ring that holds a whole round. */
#define _GNU_SOURCE		/* sched_getcpu, CPU_SET */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <linux/if_ether.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "loader.h"		/* the exit codes */
#include "packets.h"
#include "bench.h"
#include "xdp_cost.skel.h"
#include "count_shared.skel.h"

#define SHARED_LABEL	"one shared array, atomic adds (count_shared.bpf.c)"

#define MAX_ROUNDS	99
#define MAX_SUBJECTS	32
#define MAX_THREADS	64

/* A frame and the interface it arrives on, as the options before an ITEM described them. */
struct frame {
	__u8 data[PKT_MAX];
	int len;
	int ifindex;
};

struct subject {
	char label[160];
	const struct frame *frame;
	int fd;				/* the program measured */
	int target_fd;			/* behind restore: the program it tail-calls; else -1 */
	const struct subject *base;	/* the row it is compared with, or NULL (a baseline) */
	__u32 verdict;
	struct ring_buffer *ring;	/* emptied after every round, or NULL */
	unsigned long long events;	/* what the ring took in the last round */
	double ns[MAX_ROUNDS];		/* per round */
	double ns_all[MAX_ROUNDS];	/* per round, every CPU at once (--atomics) */
};

static struct subject subjects[MAX_SUBJECTS];
static int nsubjects;
static struct bpf_object *objects[MAX_SUBJECTS];
static int nobjects;
static struct xdp_cost_bpf *skel;

static struct frame frames[MAX_SUBJECTS + 1];	/* one per ITEM, one for --atomics */
static int nframes;
static int repeat = 1000000, rounds = 5;

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: xdp_cost [options] ITEM...\n"
		"What one run of each XDP program costs, in ns per packet, next to an empty\n"
		"program: bpf_prog_test_run_opts with a repeat count. Prints Markdown tables.\n\n"
		"  ITEM                OBJECT.bpf.o: every XDP program in that object\n"
		"                      id:N=LABEL: the loaded program with id N (say, one that\n"
		"                      a loader attached, with the maps it filled)\n"
		"  -r, --repeat N      runs per measurement (default 1000000)\n"
		"  -n, --rounds N      how many times to measure each, median shown (default 5)\n"
		"      --atomics OBJ   a second table: OBJ's per-CPU counter (lesson 03) against\n"
		"                      one counter all CPUs add to atomically, on one CPU and on\n"
		"                      all of them at once\n"
		"  -h, --help          print this help\n\n"
		"The frame, for the ITEMs after these options (valid checksums):\n"
		"  -i, --iface IFACE   it arrives on IFACE (default lo); a program that looks up\n"
		"                      its routes by interface needs the one its loader set up\n"
		"  -t, --type TYPE     udp (default), icmp (an echo request), or vxlan: UDP to\n"
		"                      port 4789 with VXLAN in it, VNI 42, and in that a UDP\n"
		"                      frame from 192.0.2.2 to 192.0.2.1 (what the far end of\n"
		"                      lab/lab's tunnel sends); the options below then describe\n"
		"                      the outer headers, and --size the frame inside\n"
		"  -s, --size BYTES    its length, FCS not counted (default 60)\n"
		"      --src ADDR      IPv4 source (default 192.0.2.2)\n"
		"      --dst ADDR      IPv4 destination (default 192.0.2.1)\n"
		"      --src-mac MAC   (default 02:00:c0:00:02:02)\n"
		"      --dst-mac MAC   (default 02:00:c0:00:02:01)\n"
		"Needs root.\n");
}

static long number(const char *arg, long min, long max, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 0);
	if (errno || end == arg || *end || v < min || v > max) {
		fprintf(stderr, "xdp_cost: %s wants a number from %ld to %ld, not '%s'\n", what,
			min, max, arg);
		exit(EXIT_USAGE);
	}
	return v;
}

static double thread_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* Run fd n times on f; *ns is this thread's CPU time per run. Returns 0 or -errno. */
static int run(int fd, const struct frame *f, int n, double *ns)
{
	struct xdp_md ctx = { .data_end = f->len, .ingress_ifindex = f->ifindex };
	LIBBPF_OPTS(bpf_test_run_opts, opts,
		.data_in = f->data,
		.data_size_in = f->len,
		.ctx_in = &ctx,
		.ctx_size_in = sizeof(ctx),
		.repeat = n,
	);
	double start = thread_ns();

	if (bpf_prog_test_run_opts(fd, &opts))
		return -errno;
	*ns = (thread_ns() - start) / n;
	return 0;
}

/* Run fd n times on f, untimed; out gets the frame as the last run left it. Returns its length,
 * or -errno. */
static int output(int fd, const struct frame *f, int n, __u8 *out, __u32 *verdict)
{
	struct xdp_md ctx = { .data_end = f->len, .ingress_ifindex = f->ifindex };
	LIBBPF_OPTS(bpf_test_run_opts, opts,
		.data_in = f->data,
		.data_size_in = f->len,
		.data_out = out,
		.data_size_out = PKT_MAX,
		.ctx_in = &ctx,
		.ctx_size_in = sizeof(ctx),
		.repeat = n,
	);

	if (bpf_prog_test_run_opts(fd, &opts))
		return -errno;
	*verdict = opts.retval;
	return opts.data_size_out;
}

/* Whether one run of fd changes f: 0, or by how many bytes it grew it (negative: shrank), or
 * INT_MAX for a frame as long as it was but rewritten. *err is 0 or -errno. */
static int rewrites(int fd, const struct frame *f, __u32 *verdict, int *err)
{
	static __u8 out[PKT_MAX];
	int len = output(fd, f, 1, out, verdict);

	*err = len < 0 ? len : 0;
	if (len < 0 || len != f->len)
		return len - f->len;
	return memcmp(out, f->data, f->len) ? INT_MAX : 0;
}

static struct subject *new_subject(const char *label, int fd, const struct frame *f)
{
	struct subject *s;

	if (nsubjects == MAX_SUBJECTS) {
		fprintf(stderr, "xdp_cost: more than %d programs\n", MAX_SUBJECTS);
		exit(EXIT_USAGE);
	}
	s = &subjects[nsubjects++];
	snprintf(s->label, sizeof(s->label), "%s", label);
	s->fd = fd;
	s->frame = f;
	s->target_fd = -1;
	return s;
}

static const char *action(__u32 verdict)
{
	static const char *const names[] = { "XDP_ABORTED", "XDP_DROP", "XDP_PASS", "XDP_TX",
					     "XDP_REDIRECT" };

	return verdict < sizeof(names) / sizeof(names[0]) ? names[verdict] : "?";
}

/* A program is measured directly, or, if it rewrites the frame, behind restore. */
static int add_program(const char *label, int fd, const struct frame *f)
{
	static struct subject *restore_base;
	struct subject *s;
	__u32 verdict;
	int err, changed = rewrites(fd, f, &verdict, &err);

	if (err) {
		fprintf(stderr, "xdp_cost: the test run of %s failed: %s\n", label, strerror(-err));
		return EXIT_FAIL;
	}
	if (!changed) {
		new_subject(label, fd, f)->base = &subjects[0];
		return 0;
	}
	if (!restore_base) {
		restore_base = new_subject("restore, then the empty program (baseline for the "
					   "next rows)", bpf_program__fd(skel->progs.restore), f);
		restore_base->target_fd = bpf_program__fd(skel->progs.empty);
	}
	s = new_subject("", restore_base->fd, f);
	if (changed == INT_MAX)
		snprintf(s->label, sizeof(s->label), "%s (behind restore: it rewrites the frame)",
			 label);
	else
		snprintf(s->label, sizeof(s->label), "%s (behind restore: it %s the frame by %d "
			 "bytes)", label, changed > 0 ? "grows" : "shrinks", abs(changed));
	s->target_fd = fd;
	s->base = restore_base;
	return 0;
}

static size_t record_size;

static int on_event(void *ctx, void *data, size_t size)
{
	unsigned long long *events = ctx;

	(void)data;		/* only counted */
	(*events)++;
	/* what one event takes in the ring: an 8-byte header, the sample, 8-byte aligned */
	record_size = (8 + size + 7) & ~(size_t)7;
	return 0;
}

static struct bpf_map *ring_map(struct bpf_object *obj)
{
	struct bpf_map *map;

	bpf_object__for_each_map(map, obj)
		if (bpf_map__type(map) == BPF_MAP_TYPE_RINGBUF)
			return map;
	return NULL;
}

/* Load an object; ring_size > 0 sets the size of its ring buffer. */
static struct bpf_object *load_object(const char *path, __u32 ring_size)
{
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	int err;

	if (!obj) {
		fprintf(stderr, "xdp_cost: cannot open %s: %s (run make first)\n", path,
			strerror(errno));
		return NULL;
	}
	if (ring_size)
		bpf_map__set_max_entries(ring_map(obj), ring_size);
	err = bpf_object__load(obj);
	if (err) {
		fprintf(stderr, "xdp_cost: cannot load %s: %s\n", path, strerror(-err));
		bpf_object__close(obj);
		return NULL;
	}
	objects[nobjects++] = obj;
	return obj;
}

/* "01-hello-xdp/.build/hello.bpf.o" and "hello" make "01-hello-xdp: hello". */
static void label_of(char *buf, size_t len, const char *path, const char *prog)
{
	const char *end = strstr(path, "/.build"), *start;

	if (!end)
		end = strrchr(path, '/');
	if (!end) {
		snprintf(buf, len, "%s", prog);
		return;
	}
	for (start = end; start > path && start[-1] != '/'; start--)
		;
	snprintf(buf, len, "%.*s: %s", (int)(end - start), start, prog);
}

static int add_object(const char *path, const struct frame *f)
{
	struct bpf_object *obj = load_object(path, 0), *big;
	struct bpf_program *prog;
	struct bpf_map *ring;
	char label[96];
	int err, n = 0;

	if (!obj)
		return EXIT_FAIL;
	ring = ring_map(obj);
	bpf_object__for_each_program(prog, obj) {
		struct subject *s;
		unsigned long long fits;
		__u32 size;
		double ns;

		if (bpf_program__type(prog) != BPF_PROG_TYPE_XDP)
			continue;
		n++;
		label_of(label, sizeof(label), path, bpf_program__name(prog));
		if (!ring) {
			err = add_program(label, bpf_program__fd(prog), f);
			if (err)
				return err;
			continue;
		}
		/* One run tells the size of an event; the lesson's ring holds that many. */
		s = new_subject(label, bpf_program__fd(prog), f);
		s->base = &subjects[0];
		s->ring = ring_buffer__new(bpf_map__fd(ring), on_event, &s->events, NULL);
		if (!s->ring || run(s->fd, f, 1, &ns) || ring_buffer__consume(s->ring) != 1) {
			fprintf(stderr, "xdp_cost: %s: no event in its ring buffer after a run\n",
				label);
			return EXIT_FAIL;
		}
		fits = bpf_map__max_entries(ring) / record_size;
		snprintf(s->label, sizeof(s->label), "%s (its %u KiB ring full after %llu runs)",
			 label, bpf_map__max_entries(ring) / 1024, fits);
		/* ...and a second copy of the object with a ring that holds every event */
		if ((unsigned long long)repeat * record_size > 1U << 30) {
			fprintf(stderr, "xdp_cost: %s: a ring for %d events would exceed 1 GiB: "
				"use a smaller --repeat\n", label, repeat);
			return EXIT_USAGE;
		}
		for (size = 4096; size < (unsigned long long)repeat * record_size; size *= 2)
			;
		big = load_object(path, size);
		if (!big)
			return EXIT_FAIL;
		prog = bpf_object__find_program_by_name(big, bpf_program__name(prog));
		s = new_subject("", bpf_program__fd(prog), f);
		snprintf(s->label, sizeof(s->label), "%s (a %u %s ring: every event written)",
			 label, size >> 20 ? size >> 20 : size >> 10, size >> 20 ? "MiB" : "KiB");
		s->base = &subjects[0];
		s->ring = ring_buffer__new(bpf_map__fd(ring_map(big)), on_event, &s->events, NULL);
		if (!s->ring)
			return EXIT_FAIL;
		break;		/* the copy has the same programs: one of them is enough */
	}
	if (!n) {
		fprintf(stderr, "xdp_cost: no XDP program in %s\n", path);
		return EXIT_FAIL;
	}
	return 0;
}

static int add_id(const char *item, const struct frame *f)
{
	struct bpf_prog_info info = { 0 };
	__u32 info_len = sizeof(info);
	const char *label = strchr(item, '=');
	char *end;
	long id;
	int fd;

	errno = 0;
	id = strtol(item + 3, &end, 10);
	if (errno || end == item + 3 || id <= 0 || (*end && *end != '=')) {
		fprintf(stderr, "xdp_cost: '%s': want id:N or id:N=LABEL\n", item);
		return EXIT_USAGE;
	}
	fd = bpf_prog_get_fd_by_id(id);
	if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &info_len)) {
		fprintf(stderr, "xdp_cost: no program with id %ld: %s\n", id, strerror(errno));
		return EXIT_FAIL;
	}
	if (info.type != BPF_PROG_TYPE_XDP) {
		fprintf(stderr, "xdp_cost: program %ld is not an XDP program\n", id);
		return EXIT_FAIL;
	}
	return add_program(label ? label + 1 : info.name, fd, f);
}

/* Behind restore: s's frame is what restore writes back, and the program s measures goes in
 * its slot. Returns 0 or -errno. */
static int prepare(const struct subject *s)
{
	__u32 zero = 0;

	if (s->target_fd < 0)
		return 0;
	memcpy(skel->bss->head.word, s->frame->data, HEAD_LEN);
	skel->bss->frame_len = s->frame->len;
	if (bpf_map_update_elem(bpf_map__fd(skel->maps.under_test), &zero, &s->target_fd, 0))
		return -errno;
	return 0;
}

/* The verdict of s; and behind restore, whether restore gives the program the same frame on
 * every run: two runs must leave what one leaves, or every run after the first would measure
 * the program on a frame of its own making. Returns 0, or EXIT_FAIL after saying why. */
static int check(struct subject *s)
{
	static __u8 once[PKT_MAX], twice[PKT_MAX];
	int len = prepare(s) ?: output(s->fd, s->frame, 1, once, &s->verdict), len2 = 0;
	__u32 verdict = s->verdict;

	if (len >= 0 && s->target_fd >= 0)
		len2 = output(s->fd, s->frame, 2, twice, &verdict);
	if (len < 0 || len2 < 0) {
		fprintf(stderr, "xdp_cost: the test run of %s failed: %s\n", s->label,
			strerror(len < 0 ? -len : -len2));
		return EXIT_FAIL;
	}
	if (s->target_fd >= 0 && (len != len2 || verdict != s->verdict ||
				  memcmp(once, twice, len))) {
		fprintf(stderr, "xdp_cost: %s: two runs leave another frame than one: restore "
			"cannot undo what it does (restore writes the headers back and moves the "
			"start back, but cannot move the tail)\n", s->label);
		return EXIT_FAIL;
	}
	return 0;
}

/* One measurement of s on this thread. */
static int measure(const struct subject *s, double *ns)
{
	return prepare(s) ?: run(s->fd, s->frame, repeat, ns);
}

/* --atomics: every CPU runs the same program at the same time. */
struct worker {
	pthread_t thread;
	int cpu;
	const struct subject *s;
	pthread_barrier_t *start;
	double ns;
	int err;
};

static void *work(void *arg)
{
	struct worker *w = arg;
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(w->cpu, &set);
	w->err = pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	pthread_barrier_wait(w->start);
	if (!w->err)
		w->err = run(w->s->fd, w->s->frame, repeat, &w->ns);
	return NULL;
}

static int measure_all_cpus(const struct subject *s, double *ns)
{
	static struct worker workers[MAX_THREADS];
	pthread_barrier_t start;
	cpu_set_t allowed;
	int cpu, n = 0, i, err = 0;

	sched_getaffinity(0, sizeof(allowed), &allowed);
	for (cpu = 0; cpu < CPU_SETSIZE && n < MAX_THREADS; cpu++)
		if (CPU_ISSET(cpu, &allowed))
			workers[n++] = (struct worker){ .cpu = cpu, .s = s };
	pthread_barrier_init(&start, NULL, n);
	for (i = 0; i < n; i++) {
		workers[i].start = &start;
		if (pthread_create(&workers[i].thread, NULL, work, &workers[i])) {
			fprintf(stderr, "xdp_cost: cannot start a thread\n");
			exit(EXIT_FAIL);	/* the others wait at the barrier for ever */
		}
	}
	*ns = 0;
	for (i = 0; i < n; i++) {
		pthread_join(workers[i].thread, NULL);
		err = err ?: workers[i].err;
		*ns += workers[i].ns / n;
	}
	pthread_barrier_destroy(&start);
	return err;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The median of n values, and the smallest and largest. */
static double median(const double *v, int n, double *min, double *max)
{
	double sorted[MAX_ROUNDS];

	memcpy(sorted, v, n * sizeof(*v));
	qsort(sorted, n, sizeof(*sorted), cmp_double);
	if (min)
		*min = sorted[0];
	if (max)
		*max = sorted[n - 1];
	return n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

static void print_costs(void)
{
	int i;

	printf("| program | verdict | ns/packet | over its baseline | fastest–slowest round |\n");
	printf("|---|---|--:|--:|--:|\n");
	for (i = 0; i < nsubjects; i++) {
		const struct subject *s = &subjects[i];
		double min, max, ns = median(s->ns, rounds, &min, &max);
		char over[32] = "(baseline)";

		if (s->base)
			snprintf(over, sizeof(over), "%+.1f",
				 ns - median(s->base->ns, rounds, NULL, NULL));
		printf("| %s | %s | %.1f | %s | %.1f–%.1f |\n", s->label, action(s->verdict), ns,
		       over, min, max);
	}
}

/* refused: why the kernel would not load count_shared, or NULL. */
static void print_atomics(const struct subject *rows, int nrows, int ncpus, const char *refused)
{
	double base1 = median(rows[0].ns, rounds, NULL, NULL);
	double base_all = median(rows[0].ns_all, rounds, NULL, NULL);
	int i;

	printf("| counter | 1 CPU: ns/packet | over the empty program | %d CPUs at once: "
	       "ns/packet | over the empty program |\n", ncpus);
	printf("|---|--:|--:|--:|--:|\n");
	for (i = 0; i < nrows; i++) {
		double one = median(rows[i].ns, rounds, NULL, NULL);
		double all = median(rows[i].ns_all, rounds, NULL, NULL);

		if (i == 0)
			printf("| %s | %.1f | | %.1f | |\n", rows[i].label, one, all);
		else
			printf("| %s | %.1f | %+.1f | %.1f | %+.1f |\n", rows[i].label, one,
			       one - base1, all, all - base_all);
	}
	if (refused)
		printf("| %s | refused by this kernel: %s | | | |\n", SHARED_LABEL, refused);
}

/* --atomics OBJECT: the empty program, OBJECT's program, and count_shared if the kernel takes
 * it (the 32-bit ARM JIT cannot compile its 64-bit atomic adds). */
static int atomics(const char *path, const struct frame *f)
{
	struct subject rows[3] = {
		{ .label = "none (the empty program)", .fd = bpf_program__fd(skel->progs.empty),
		  .frame = f, .target_fd = -1 },
		{ .frame = f, .target_fd = -1 },
		{ .label = SHARED_LABEL, .frame = f, .target_fd = -1 },
	};
	struct count_shared_bpf *shared = count_shared_bpf__open_and_load();
	/* 524, ENOTSUPP, is the kernel's own: the C library has no name for it */
	const char *refused = shared ? NULL : errno == 524 ?
		"its JIT cannot compile it (ENOTSUPP; 32-bit ARM's has no 64-bit atomic add)" :
		strerror(errno);
	struct bpf_object *obj = load_object(path, 0);
	int r, i, err = EXIT_FAIL, nrows = shared ? 3 : 2;
	struct bpf_program *prog = NULL;
	cpu_set_t allowed;

	if (!obj)
		goto out;
	bpf_object__for_each_program(prog, obj)
		if (bpf_program__type(prog) == BPF_PROG_TYPE_XDP)
			break;
	if (!prog) {
		fprintf(stderr, "xdp_cost: no XDP program in %s\n", path);
		goto out;
	}
	label_of(rows[1].label, sizeof(rows[1].label), path, bpf_program__name(prog));
	strncat(rows[1].label, ", per-CPU array, plain ++",
		sizeof(rows[1].label) - strlen(rows[1].label) - 1);
	rows[1].fd = bpf_program__fd(prog);
	if (shared)
		rows[2].fd = bpf_program__fd(shared->progs.count_shared);

	for (r = 0; r < rounds; r++) {
		for (i = 0; i < nrows; i++) {
			err = measure(&rows[i], &rows[i].ns[r]) ?:
			      measure_all_cpus(&rows[i], &rows[i].ns_all[r]);
			if (err) {
				fprintf(stderr, "xdp_cost: the test run of %s failed: %s\n",
					rows[i].label, strerror(-err));
				err = EXIT_FAIL;
				goto out;
			}
		}
	}
	sched_getaffinity(0, sizeof(allowed), &allowed);
	print_atomics(rows, nrows, CPU_COUNT(&allowed), refused);
out:
	count_shared_bpf__destroy(shared);
	return err;
}

static int costs(void)
{
	cpu_set_t all, one;
	int r, i, err;

	/* One CPU for the whole table: the same caches, the same frequency for every row. The
	 * other CPUs are for --atomics afterwards. */
	sched_getaffinity(0, sizeof(all), &all);
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu(), &one);
	sched_setaffinity(0, sizeof(one), &one);
	for (i = 0; i < nsubjects; i++) {
		struct subject *s = &subjects[i];

		if (check(s))
			return EXIT_FAIL;
	}
	for (r = 0; r < rounds; r++) {
		for (i = 0; i < nsubjects; i++) {
			struct subject *s = &subjects[i];

			err = measure(s, &s->ns[r]);
			if (err) {
				fprintf(stderr, "xdp_cost: the test run of %s failed: %s\n",
					s->label, strerror(-err));
				return EXIT_FAIL;
			}
			if (s->ring) {
				s->events = 0;
				ring_buffer__consume(s->ring);
			}
		}
	}
	print_costs();
	sched_setaffinity(0, sizeof(all), &all);
	return 0;
}

/* -t vxlan: the frame that spec describes, but 50 bytes longer, from outer headers to UDP
 * port 4789 with a VXLAN header (VNI 42, lab/lab's tunnel) and then the frame that the
 * defaults describe, of spec's size, in front of it. The outer UDP checksum is 0, "none", as
 * Linux's vxlan device sends it. */
static int build_vxlan(const struct pkt_spec *spec, __u8 *buf, size_t cap)
{
	static const __u8 vxlan[8] = { 0x08, 0, 0, 0, 0, 0, 42, 0 };	/* flag I, VNI 42 */
	struct pkt_spec outer = *spec, inner;
	__u8 frame[PKT_MAX];
	int len;

	pkt_spec_init(&inner, ETH_P_IP, IPPROTO_UDP);
	inner.size = spec->size;
	len = pkt_build(&inner, frame, sizeof(frame));
	outer.ip_proto = IPPROTO_UDP;
	outer.dport = 4789;
	outer.size = 50 + len;
	if (len < 0 || pkt_build(&outer, buf, cap) < 0)
		return -1;
	memset(buf + 40, 0, 2);
	memcpy(buf + 42, vxlan, sizeof(vxlan));
	memcpy(buf + 50, frame, len);
	return 50 + len;
}

/* The frame the options so far describe, for the ITEM that follows them. */
static const struct frame *frame_of(const struct pkt_spec *spec, bool vxlan, int ifindex)
{
	struct frame *f = &frames[nframes++];

	f->len = vxlan ? build_vxlan(spec, f->data, sizeof(f->data)) :
		pkt_build(spec, f->data, sizeof(f->data));
	f->ifindex = ifindex;
	return f;
}

int main(int argc, char **argv)
{
	enum { O_SRC = 256, O_DST, O_SMAC, O_DMAC, O_ATOMICS };
	static const struct option opts[] = {
		{ "repeat", required_argument, NULL, 'r' },
		{ "rounds", required_argument, NULL, 'n' },
		{ "iface", required_argument, NULL, 'i' },
		{ "type", required_argument, NULL, 't' },
		{ "size", required_argument, NULL, 's' },
		{ "src", required_argument, NULL, O_SRC },
		{ "dst", required_argument, NULL, O_DST },
		{ "src-mac", required_argument, NULL, O_SMAC },
		{ "dst-mac", required_argument, NULL, O_DMAC },
		{ "atomics", required_argument, NULL, O_ATOMICS },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	/* What to measure, in order, each with the frame the options before it described. */
	struct { const char *arg; const struct frame *frame; } items[MAX_SUBJECTS];
	const struct frame *atomics_frame = NULL;
	const char *atomics_obj = NULL;
	int c, i, err, nitems = 0, ifindex = 1;
	bool vxlan = false;
	struct pkt_spec spec;
	struct in_addr *addr;

	pkt_spec_init(&spec, ETH_P_IP, IPPROTO_UDP);
	spec.size = ETH_ZLEN;
	/* "-" first: the ITEMs come back in order, as option 1, between the options */
	while ((c = getopt_long(argc, argv, "-r:n:i:t:s:h", opts, NULL)) != -1) {
		switch (c) {
		case 1:
			if (nitems == MAX_SUBJECTS) {
				fprintf(stderr, "xdp_cost: at most %d ITEMs\n", MAX_SUBJECTS);
				return EXIT_USAGE;
			}
			items[nitems].arg = optarg;
			items[nitems++].frame = frame_of(&spec, vxlan, ifindex);
			break;
		case 'r':
			repeat = number(optarg, 1, 1000000000, "--repeat");
			break;
		case 'n':
			rounds = number(optarg, 1, MAX_ROUNDS, "--rounds");
			break;
		case 'i':
			ifindex = if_nametoindex(optarg);
			if (!ifindex) {
				fprintf(stderr, "xdp_cost: no interface named '%s' here\n", optarg);
				return EXIT_FAIL;
			}
			break;
		case 't':
			vxlan = !strcmp(optarg, "vxlan");
			if (strcmp(optarg, "udp") && strcmp(optarg, "icmp") && !vxlan) {
				fprintf(stderr, "xdp_cost: --type is udp, icmp or vxlan, not "
					"'%s'\n", optarg);
				return EXIT_USAGE;
			}
			spec.ip_proto = strcmp(optarg, "icmp") ? IPPROTO_UDP : IPPROTO_ICMP;
			break;
		case 's':
			spec.size = number(optarg, HEAD_LEN, 3000, "--size");
			break;
		case O_SRC:
		case O_DST:
			addr = c == O_SRC ? &spec.saddr : &spec.daddr;
			if (inet_pton(AF_INET, optarg, addr) != 1) {
				fprintf(stderr, "xdp_cost: '%s' is not an IPv4 address\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case O_SMAC:
		case O_DMAC:
			if (pkt_parse_mac(optarg, c == O_SMAC ? spec.src_mac : spec.dst_mac)) {
				fprintf(stderr, "xdp_cost: '%s' is not a MAC address\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case O_ATOMICS:
			if (atomics_obj) {
				fprintf(stderr, "xdp_cost: --atomics once only\n");
				return EXIT_USAGE;
			}
			atomics_obj = optarg;
			atomics_frame = frame_of(&spec, vxlan, ifindex);
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (!nitems && !atomics_obj) {
		usage(stderr);
		return EXIT_USAGE;
	}
	/* count_shared.bpf.c subtracts packet pointers: CAP_PERFMON */
	if (!loader_check_privileges("xdp_cost", LOADER_NEEDS(LOADER_CAP_PERFMON)))
		return EXIT_FAIL;

	skel = xdp_cost_bpf__open_and_load();
	if (!skel) {
		fprintf(stderr, "xdp_cost: loading its own programs failed: %s\n", strerror(errno));
		return EXIT_FAIL;
	}
	/* the baseline: the first frame is as good as any, the empty program reads none */
	new_subject("empty (XDP_PASS): the baseline", bpf_program__fd(skel->progs.empty),
		    &frames[0]);
	err = 0;
	for (i = 0; i < nitems && !err; i++)
		err = strncmp(items[i].arg, "id:", 3) ? add_object(items[i].arg, items[i].frame) :
			add_id(items[i].arg, items[i].frame);
	if (!err && nitems)
		err = costs();
	if (!err && atomics_obj) {
		if (nitems)
			printf("\n");
		err = atomics(atomics_obj, atomics_frame);
	}

	for (i = 0; i < nsubjects; i++)
		ring_buffer__free(subjects[i].ring);
	for (i = 0; i < nobjects; i++)
		bpf_object__close(objects[i]);
	xdp_cost_bpf__destroy(skel);
	return err;
}
