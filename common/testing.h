/* SPDX-License-Identifier: GPL-2.0 */
/* Unit-test helpers: TAP output for prove, and a bpf_prog_test_run_opts wrapper that runs an
 * XDP program on one frame and returns its verdict and the frame as the program left it.
 *
 *	ok(res.verdict == XDP_PASS, "udp/ipv4 passes");
 *	is_u64(counters.udp, 1, "udp counter after one udp packet");
 *	return tap_done();
 */
#ifndef TESTING_H
#define TESTING_H

#include <stdbool.h>
#include <linux/types.h>
#include "packets.h"

/* Print "ok N - name" or "not ok N - name"; returns cond. */
bool ok(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Like ok(got == want), and on failure says what got and want were. */
bool is_u64(__u64 got, __u64 want, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A "# " comment line for the reader of the test output. */
void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print the plan; the exit status for main(): 0 if every check passed. */
int tap_done(void);
/* Skip the whole file. Under CI=true a skip is a failure: it bails out with exit status 1. */
void tap_skip_all(const char *reason) __attribute__((noreturn));
/* Skip unless root (loading BPF programs needs CAP_BPF). Also silences libbpf unless
 * VERBOSE is set in the environment. */
void tap_require_root(void);

/* pkt_build() into buf (PKT_MAX bytes); a frame that does not fit is a bug in the test, so
 * that bails out. Returns the frame's length. */
int test_build(const struct pkt_spec *s, __u8 *buf);

struct xdp_result {
	__u32 verdict;		/* XDP_ABORTED, XDP_DROP, XDP_PASS, XDP_TX or XDP_REDIRECT */
	__u32 len;		/* the frame's length after the program */
	__u8 data[PKT_MAX];	/* the frame after the program: rewrites show here */
};

/* Run an XDP program once on a frame, as if it arrived on ifindex (0: on the loopback
 * device). Returns 0, or -errno when the kernel refused the test run. */
int xdp_run(int prog_fd, int ifindex, const void *frame, __u32 len, struct xdp_result *res);

const char *xdp_action_name(__u32 verdict);

/* --- the verifier lessons: broken_*.bpf.c, and "Break it" in the lesson's README */

/* A path relative to the folder this test program is in, wherever the build put it
 * (LESSON/.build/tests/, .build-san/tests/, .build-armhf/tests/, ...): "../NAME.bpf.o" is an
 * object built beside it, "../../README.md" the lesson's text. Returns buf, or NULL. */
char *test_path(char *buf, size_t size, const char *rel);

/* Load every program of the BPF object at path into the kernel, attach nothing, and unload it
 * again. Returns 0 if the kernel accepted it, or -errno; either way the verifier's log (level 1,
 * NUL-terminated) is in log. */
int bpf_load_log(const char *path, char *log, size_t size);

/* How the kernel must answer a broken variant. */
struct refusal {
	const char *object;		/* broken_NAME.bpf.o, built beside the tests */
	int err;			/* the errno of the failed load: EACCES, ... */
	int err_also;			/* another some kernels give for the same refusal, or 0 */
	const char *verdicts[3];	/* its last words: whole lines of the log, in a row; where
					 * kernel versions word them differently, one entry each.
					 * '#' stands for any number (R# for a register) */
};

/* Three checks: loading r->object fails with r->err (or r->err_also), the log holds the lines of one of the
 * verdicts one after another, and the lesson's README.md quotes every line of every verdict. */
void check_refusal(const struct refusal *r);

#endif
