// SPDX-License-Identifier: GPL-2.0
/* Exercise checks: see exercise.h. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "exercise.h"

static const char *heading;
static int held, wrong;

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

void exercise_start(const char *title)
{
	heading = title;
	printf("%s\n", title);
	if (geteuid() != 0) {
		fprintf(stderr, "exercise: loading your program needs root: run it with sudo "
			"(make exercise-N does)\n");
		exit(1);
	}
	if (!getenv("VERBOSE") || !*getenv("VERBOSE"))
		libbpf_set_print(quiet);
}

int exercise_load(const char *name, const char *prog_name, struct bpf_object **obj)
{
	/* the verifier's words, when it refuses: the learner's edit is the likely cause */
	static char log[1 << 20];
	LIBBPF_OPTS(bpf_object_open_opts, opts, .kernel_log_buf = log,
		    .kernel_log_size = sizeof(log), .kernel_log_level = 1);
	struct bpf_program *prog;
	char path[PATH_MAX], rel[NAME_MAX + 8];
	const char *tail;
	int err;

	snprintf(rel, sizeof(rel), "../%s.bpf.o", name);
	if (!test_path(path, sizeof(path), rel)) {
		printf("  cannot tell where %s.bpf.o is\n", name);
		exit(1);
	}
	*obj = bpf_object__open_file(path, &opts);
	if (!*obj) {
		printf("  cannot open %s: %s (run make first)\n", path, strerror(errno));
		exit(1);
	}
	err = bpf_object__load(*obj);
	if (err) {
		/* the last lines, from the start of a line */
		tail = log + strlen(log);
		while (tail > log && log + strlen(log) - tail < 600)
			tail--;
		while (tail > log && tail[-1] != '\n')
			tail--;
		printf("  WRONG  your program does not load: %s; the verifier's last words:\n%s\n",
		       strerror(-err), tail);
		exit(1);
	}
	prog = prog_name ? bpf_object__find_program_by_name(*obj, prog_name) :
			   bpf_object__next_program(*obj, NULL);
	if (!prog) {
		printf("  WRONG  %s.bpf.o has no program %s\n", name, prog_name ? prog_name : "");
		exit(1);
	}
	return bpf_program__fd(prog);
}

bool expect_str(const char *what, const char *want, const char *got)
{
	bool ok = strcmp(want, got) == 0;

	printf("  %-6s %s: expected %s, got %s\n", ok ? "ok" : "WRONG", what, want, got);
	if (ok)
		held++;
	else
		wrong++;
	return ok;
}

bool expect_u64(const char *what, __u64 want, __u64 got)
{
	char w[24], g[24];

	snprintf(w, sizeof(w), "%" PRIu64, (uint64_t)want);
	snprintf(g, sizeof(g), "%" PRIu64, (uint64_t)got);
	return expect_str(what, w, g);
}

static const char *verdict_name(__u32 v, char *buf, size_t size)
{
	const char *name = xdp_action_name(v);

	if (strcmp(name, "unknown"))
		return name;
	snprintf(buf, size, "%u (no such action)", v);
	return buf;
}

bool expect_verdict(int prog_fd, const void *frame, __u32 len, __u32 want, const char *what)
{
	struct xdp_result res;
	char w[32], g[32];
	int err = xdp_run(prog_fd, 0, frame, len, &res);

	if (err) {
		snprintf(g, sizeof(g), "a refused test run (%s)", strerror(-err));
		return expect_str(what, verdict_name(want, w, sizeof(w)), g);
	}
	return expect_str(what, verdict_name(want, w, sizeof(w)),
			  verdict_name(res.verdict, g, sizeof(g)));
}

int exercise_done(void)
{
	if (wrong)
		printf("%s: not yet: %d of %d expectations do not hold\n", heading, wrong,
		       held + wrong);
	else
		printf("%s: done: all %d expectations hold\n", heading, held);
	return wrong || !held;
}
