/* SPDX-License-Identifier: GPL-2.0 */
/* Exercise checks (make exercise-N): the learner's current program, loaded into the kernel and
 * run on frames, judged by what it does, one line per expectation:
 *
 *	exercise_start("Drop only big frames");
 *	prog_fd = exercise_load("drop_all", &obj);	// .build/drop_all.bpf.o, as built now
 *	expect_verdict(prog_fd, frame, len, XDP_DROP, "a 501-byte frame");
 *	return exercise_done();
 *
 * which prints
 *
 *	  ok     a 501-byte frame: expected XDP_DROP, got XDP_DROP
 *	  WRONG  a 500-byte frame: expected XDP_PASS, got XDP_DROP
 *
 * and exits 0 only when every expectation held. A check never reads the code's text: any
 * program that behaves right passes. */
#ifndef EXERCISE_H
#define EXERCISE_H

#include <stdbool.h>
#include <linux/types.h>
#include <bpf/libbpf.h>
#include "testing.h"

/* The heading; also makes sure we are root (loading needs it) and keeps libbpf quiet. */
void exercise_start(const char *title);

/* Open and load the lesson's object NAME.bpf.o, as the learner's last make built it (beside
 * this check, wherever the build put it), and return the fd of its XDP program PROG (NULL:
 * the first one). On failure says why (a refused load with the verifier's last words) and
 * exits 1. */
int exercise_load(const char *name, const char *prog, struct bpf_object **obj);

/* One expectation: got is what the program did, both as text. Returns whether it held. */
bool expect_str(const char *what, const char *want, const char *got);
bool expect_u64(const char *what, __u64 want, __u64 got);
/* Run prog_fd on the frame and expect this verdict. */
bool expect_verdict(int prog_fd, const void *frame, __u32 len, __u32 want, const char *what);

/* The closing line, and the exit status for main(): 0 if every expectation held. */
int exercise_done(void);

#endif
