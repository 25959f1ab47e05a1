/* SPDX-License-Identifier: GPL-2.0 */
/* What the checks of 07's exercises share: the learner's capture.bpf.o, as the last make built
 * it, loaded with the settings it is compiled with (every frame, 4096 bytes of it at most,
 * XDP_PASS), run on one frame at a time; the ring buffer is read after each run, and what the
 * program did is judged in one line:
 *
 *	  ok     UDP to port 53: expected XDP_PASS, captured whole, got XDP_PASS, captured whole
 *	  WRONG  TCP to port 53: expected XDP_PASS, not captured, got XDP_PASS, captured whole
 *
 * A sample counts as "captured" only if it is right: the length field the frame's length, and
 * the bytes the frame's first ones. */
#ifndef CAPTURE_CHECK_H
#define CAPTURE_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "exercise.h"
#include "capture.h"

struct capture_check {
	struct bpf_object *obj;
	struct ring_buffer *ring;
	int prog_fd;
};

/* What the ring held after the last run: how many samples, and the last one. */
static struct {
	int n;
	size_t size;
	struct sample last;
} check_got;

static int check_on_sample(void *ctx, void *data, size_t size)
{
	(void)ctx;
	check_got.n++;
	check_got.size = size;
	memcpy(&check_got.last, data, size < sizeof(check_got.last) ? size :
	       sizeof(check_got.last));
	return 0;
}

/* Load the learner's capture.bpf.o (exits with the verifier's words if it is refused). */
static inline void check_load(struct capture_check *c)
{
	struct bpf_map *samples;

	c->prog_fd = exercise_load("capture", "capture", &c->obj);
	samples = bpf_object__find_map_by_name(c->obj, "samples");
	c->ring = samples ? ring_buffer__new(bpf_map__fd(samples), check_on_sample, NULL, NULL) :
			    NULL;
	if (!c->ring) {
		printf("  WRONG  capture.bpf.o has no ring buffer named samples\n");
		exit(1);
	}
}

static inline void check_close(struct capture_check *c)
{
	ring_buffer__free(c->ring);
	bpf_object__close(c->obj);
}

/* What a run did, in words: "XDP_PASS, not captured", "XDP_PASS, captured whole", "XDP_PASS,
 * captured its first 42 of 98 bytes", or what was wrong with the sample. */
static inline const char *check_describe(__u32 verdict, int n, __u32 cap, __u32 len, char *buf,
					 size_t size)
{
	const char *v = xdp_action_name(verdict);

	if (!n)
		snprintf(buf, size, "%s, not captured", v);
	else if (n > 1)
		snprintf(buf, size, "%s, captured %d times", v, n);
	else if (cap == len)
		snprintf(buf, size, "%s, captured whole", v);
	else
		snprintf(buf, size, "%s, captured its first %u of %u bytes", v, cap, len);
	return buf;
}

/* Run the program once on the frame; what it did, in words. */
static inline const char *check_run(struct capture_check *c, const void *frame, __u32 len,
				    char *buf, size_t size)
{
	static struct xdp_result res;
	const struct sample_hdr *h = &check_got.last.hdr;
	int err;

	check_got.n = 0;
	err = xdp_run(c->prog_fd, 0, frame, len, &res);
	ring_buffer__consume(c->ring);
	if (err)
		snprintf(buf, size, "a refused test run (%s)", strerror(-err));
	else if (check_got.n == 1 && h->len != len)
		snprintf(buf, size, "a sample whose length field says %u, not %u", h->len, len);
	else if (check_got.n == 1 && (h->cap > len || check_got.size != sizeof(*h) + h->cap ||
				      memcmp(check_got.last.data, frame, h->cap)))
		snprintf(buf, size, "a sample whose %u bytes are not the frame's first", h->cap);
	else
		check_describe(res.verdict, check_got.n, check_got.n ? h->cap : 0, len, buf, size);
	return buf;
}

/* One expectation: the frame passes, and leaves a sample of its first cap bytes (0: none). */
static inline bool expect_capture(struct capture_check *c, const void *frame, __u32 len,
				  __u32 cap, const char *what)
{
	char want[64], got[96];

	check_describe(XDP_PASS, cap ? 1 : 0, cap, len, want, sizeof(want));
	return expect_str(what, want, check_run(c, frame, len, got, sizeof(got)));
}

#endif
