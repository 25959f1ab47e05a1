// SPDX-License-Identifier: GPL-2.0
/* Unit-test helpers: see testing.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "testing.h"

static int tests_run, tests_failed;

static bool report(bool cond, const char *fmt, va_list ap)
{
	tests_run++;
	if (!cond)
		tests_failed++;
	printf("%sok %d - ", cond ? "" : "not ", tests_run);
	vprintf(fmt, ap);
	printf("\n");
	fflush(stdout);
	return cond;
}

bool ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(cond, fmt, ap);
	va_end(ap);
	return cond;
}

bool is_u64(__u64 got, __u64 want, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(got == want, fmt, ap);
	va_end(ap);
	if (got != want)
		diag("  got %llu, want %llu", (unsigned long long)got, (unsigned long long)want);
	return got == want;
}

void diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

int tap_done(void)
{
	printf("1..%d\n", tests_run);
	if (tests_failed)
		diag("%d of %d checks failed", tests_failed, tests_run);
	return tests_failed || !tests_run ? 1 : 0;
}

void tap_skip_all(const char *reason)
{
	const char *ci = getenv("CI");

	if (ci && !strcmp(ci, "true")) {
		printf("Bail out! %s (a skip is a failure under CI=true)\n", reason);
		exit(1);
	}
	printf("1..0 # SKIP %s\n", reason);
	exit(0);
}

static int quiet_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	fputs("# ", stderr);
	return vfprintf(stderr, fmt, ap);
}

void tap_require_root(void)
{
	if (geteuid() != 0)
		tap_skip_all("needs root to load BPF programs: run it with sudo (make test does)");
	if (!getenv("VERBOSE"))
		libbpf_set_print(quiet_libbpf);
}

int xdp_run(int prog_fd, int ifindex, const void *frame, __u32 len, struct xdp_result *res)
{
	/* A context with the data bounds and an ingress device, as a real packet has. */
	struct xdp_md ctx = {
		.data_end = len,
		.ingress_ifindex = ifindex ? ifindex : 1,
	};
	LIBBPF_OPTS(bpf_test_run_opts, opts,
		.data_in = frame,
		.data_size_in = len,
		.data_out = res->data,
		.data_size_out = sizeof(res->data),
		.ctx_in = &ctx,
		.ctx_size_in = sizeof(ctx),
		.repeat = 1,
	);

	if (bpf_prog_test_run_opts(prog_fd, &opts))
		return -errno;
	res->verdict = opts.retval;
	res->len = opts.data_size_out;
	return 0;
}

const char *xdp_action_name(__u32 verdict)
{
	static const char *const names[] = { "XDP_ABORTED", "XDP_DROP", "XDP_PASS", "XDP_TX",
					     "XDP_REDIRECT" };

	return verdict < sizeof(names) / sizeof(names[0]) ? names[verdict] : "unknown";
}
