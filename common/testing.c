// SPDX-License-Identifier: GPL-2.0
/* Unit-test helpers: see testing.h. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
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
	if (!getenv("VERBOSE") || !*getenv("VERBOSE"))
		libbpf_set_print(quiet_libbpf);
}

int test_build(const struct pkt_spec *s, __u8 *buf)
{
	int len = pkt_build(s, buf, PKT_MAX);

	if (len < 0) {
		printf("Bail out! a frame does not fit in %d bytes: a bug in this test\n", PKT_MAX);
		exit(1);
	}
	return len;
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

char *test_path(char *buf, size_t size, const char *rel)
{
	char exe[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (len <= 0)
		return NULL;
	exe[len] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	if (snprintf(buf, size, "%s/%s", exe, rel) >= (int)size)
		return NULL;
	return buf;
}

int bpf_load_log(const char *path, char *log, size_t size)
{
	/* libbpf would add its own account of the failure on stderr: the log says it all */
	libbpf_print_fn_t old = libbpf_set_print(NULL);
	struct bpf_program *prog;
	struct bpf_object *obj;
	int err;

	log[0] = '\0';
	obj = bpf_object__open_file(path, NULL);
	if (!obj) {
		err = -errno;
		goto out;
	}
	bpf_object__for_each_program(prog, obj) {
		bpf_program__set_log_buf(prog, log, size);
		bpf_program__set_log_level(prog, 1);
	}
	err = bpf_object__load(obj);
	bpf_object__close(obj);
out:
	libbpf_set_print(old);
	return err;
}

/* The whole of a small file, NUL-terminated, or NULL. */
static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0, got;

	if (!f)
		return NULL;
	do {
		char *more = realloc(buf, len + 4096 + 1);

		if (!more) {
			free(buf);
			fclose(f);
			return NULL;
		}
		buf = more;
		got = fread(buf + len, 1, 4096, f);
		len += got;
	} while (got == 4096);
	buf[len] = '\0';
	fclose(f);
	return buf;
}

/* Where pattern matches s, the end of the match, or NULL. A '#' in pattern stands for a
 * number: which register holds a pointer, or which id the verifier gave it, is the compiler's
 * and the kernel's choice, and changes between clang 14 and 19; the reason and the offsets
 * are the program's. */
static const char *match_at(const char *s, const char *pattern)
{
	for (; *pattern; pattern++) {
		if (*pattern == '#') {
			if (!isdigit((unsigned char)*s))
				return NULL;
			while (isdigit((unsigned char)*s))
				s++;
		} else if (*s++ != *pattern) {
			return NULL;
		}
	}
	return s;
}

/* Whether text has these lines (a pattern, as above), whole and one after another. */
static bool has_lines(const char *text, const char *lines)
{
	const char *p, *end;

	for (p = text; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		end = match_at(p, lines);
		if (end && (*end == '\n' || *end == '\0'))
			return true;
	}
	return false;
}

/* Whether text has this pattern anywhere. */
static bool has_text(const char *text, const char *pattern)
{
	for (; *text; text++)
		if (match_at(text, pattern))
			return true;
	return false;
}

void check_refusal(const struct refusal *r)
{
	/* the verifier writes a line for each instruction it walks: a long path makes megabytes */
	const size_t size = 16 << 20;
	char obj[PATH_MAX], readme[PATH_MAX], want[256] = "";
	const char *const *v = r->verdicts, *const *end_v = v + sizeof(r->verdicts) / sizeof(*v);
	const char *line = "", *end;
	char *log = calloc(1, size), *text = NULL;
	bool said = false;
	int err;

	if (!log || !test_path(obj, sizeof(obj), "..") ||
	    !test_path(readme, sizeof(readme), "../../README.md") ||
	    snprintf(obj + strlen(obj), sizeof(obj) - strlen(obj), "/%s", r->object) < 0) {
		ok(false, "%s: cannot tell where this test is, or out of memory", r->object);
		free(log);
		return;
	}
	err = bpf_load_log(obj, log, size);
	if (!ok(err == -r->err || (r->err_also && err == -r->err_also),
		"%s: the kernel refuses it (%s)", r->object, strerror(r->err)))
		diag("  the load returned %d (%s)", err, err ? strerror(-err) : "accepted");
	for (v = r->verdicts; v < end_v && *v; v++)
		said = said || has_lines(log, *v);
	if (!ok(said, "%s: the verifier says why: %.*s", r->object,
		(int)strcspn(r->verdicts[0], "\n"), r->verdicts[0])) {
		diag("  not in the verifier's log, which ends:");
		line = log + strlen(log);
		while (line > log && log + strlen(log) - line < 1000)
			line--;
		diag("%s", line);
	}

	/* README.md quotes the same words: each line of each verdict is somewhere in it */
	text = read_file(readme);
	line = "";
	for (v = r->verdicts; text && v < end_v && *v && !*line; v++) {
		for (line = *v; *line; line = *end ? end + 1 : end) {
			end = strchr(line, '\n');
			if (!end)
				end = line + strlen(line);
			snprintf(want, sizeof(want), "%.*s", (int)(end - line), line);
			if (!has_text(text, want))
				break;
		}
	}
	ok(text && !*line, "%s: README.md quotes the verifier's words", r->object);
	if (!text)
		diag("  cannot read %s: %s", readme, strerror(errno));
	else if (*line)
		diag("  README.md does not have '%s'", want);
	free(text);
	free(log);
}
