// SPDX-License-Identifier: GPL-2.0
/* Unit tests for capture.bpf.c: for frames of every length from 14 to 1514 bytes and snap
 * lengths below and above them, each run leaves exactly one sample in the ring, whose bytes
 * are the frame's first min(length, snaplen) and whose length field is the frame's real
 * length; --sample N keeps exactly the first of every N; the verdict is the one asked for;
 * and a ring with no room counts each sample it refuses, so that captured + lost = sent. */
#define _GNU_SOURCE		/* sched_setaffinity */
#include <sched.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/if_ether.h>
#include <netinet/in.h>
#include <bpf/bpf.h>
#include "testing.h"
#include "stats.h"
#include "capture.h"
#include "capture.skel.h"

#define FRAME_MIN 14
#define FRAME_MAX 1514

/* What the ring held at the last look: how many samples, and the last one. */
static struct {
	int n;
	size_t size;
	struct sample last;
} got;

static int on_sample(void *ctx, void *data, size_t size)
{
	(void)ctx;
	got.n++;
	got.size = size;
	memcpy(&got.last, data, size < sizeof(got.last) ? size : sizeof(got.last));
	return 0;
}

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

struct loaded {
	struct capture_bpf *skel;
	struct ring_buffer *rb;
	int prog_fd;
};

/* The program with these settings (the loader's -s, --sample, --verdict, -B). */
static bool load(struct loaded *l, __u32 snaplen, __u32 sample, __u32 verdict, __u32 ring)
{
	l->rb = NULL;
	l->skel = capture_bpf__open();
	if (!l->skel)
		return false;
	l->skel->rodata->snaplen = snaplen;
	l->skel->rodata->sample_every = sample;
	l->skel->rodata->verdict = verdict;
	if (ring)
		bpf_map__set_max_entries(l->skel->maps.samples, ring);
	if (capture_bpf__load(l->skel))
		return false;
	l->prog_fd = bpf_program__fd(l->skel->progs.capture);
	l->rb = ring_buffer__new(bpf_map__fd(l->skel->maps.samples), on_sample, NULL, NULL);
	return l->rb != NULL;
}

static void unload(struct loaded *l)
{
	ring_buffer__free(l->rb);
	capture_bpf__destroy(l->skel);
}

static struct counters counters(const struct loaded *l)
{
	struct counters c = { 0 };

	if (stats_percpu_sum(bpf_map__fd(l->skel->maps.stats), 0, &c, sizeof(c)))
		diag("  reading the counters failed");
	return c;
}

/* Run the program repeat times on the frame; its verdict, or -1. Then read the ring. */
static int run(const struct loaded *l, const __u8 *frame, __u32 len, __u32 repeat)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame, .data_size_in = len,
		    .repeat = repeat);

	got.n = 0;
	if (bpf_prog_test_run_opts(l->prog_fd, &opts))
		return -1;
	ring_buffer__consume(l->rb);
	return (int)opts.retval;
}

/* A UDP frame of FRAME_MAX bytes, its payload a pattern that tells every byte apart. */
static void build_frame(__u8 *buf)
{
	struct pkt_spec spec;
	int i;

	pkt_spec_init(&spec, ETH_P_IP, IPPROTO_UDP);
	spec.size = FRAME_MAX;
	test_build(&spec, buf);
	for (i = 42; i < FRAME_MAX; i++)
		buf[i] = (__u8)(i * 7 + i / 256);
}

/* Every length from FRAME_MIN to FRAME_MAX, with this snap length. */
static void every_length(const __u8 *frame, __u32 snaplen)
{
	__u32 len, want_cap, bad_n = 0, bad_len = 0, bad_cap = 0, bad_bytes = 0, bad_time = 0;
	__u32 bad_verdict = 0, first_bad = 0;
	struct loaded l;
	struct counters c;
	__u64 before, after;

	if (!ok(load(&l, snaplen, 1, XDP_PASS, 0), "snaplen %u: the program loads", snaplen)) {
		unload(&l);
		return;
	}
	for (len = FRAME_MIN; len <= FRAME_MAX; len++) {
		bool bad = false;

		want_cap = len < snaplen ? len : snaplen;
		before = now_ns();
		if (run(&l, frame, len, 1) != XDP_PASS)
			bad_verdict++, bad = true;
		after = now_ns();
		if (got.n != 1) {
			bad_n++;
			if (!first_bad)
				first_bad = len;
			continue;
		}
		if (got.last.hdr.len != len)
			bad_len++, bad = true;
		if (got.last.hdr.cap != want_cap || got.size != sizeof(got.last.hdr) + want_cap)
			bad_cap++, bad = true;
		if (memcmp(got.last.data, frame, want_cap))
			bad_bytes++, bad = true;
		if (got.last.hdr.ktime_ns < before || got.last.hdr.ktime_ns > after ||
		    got.last.hdr.verdict != XDP_PASS)
			bad_time++, bad = true;
		if (bad && !first_bad)
			first_bad = len;
	}
	if (first_bad)
		diag("  snaplen %u: the first frame with something wrong is %u bytes long", snaplen,
		     first_bad);
	is_u64(bad_verdict, 0, "snaplen %u: every frame of %d..%d bytes passes (XDP_PASS)",
	       snaplen, FRAME_MIN, FRAME_MAX);
	is_u64(bad_n, 0, "snaplen %u: each frame leaves exactly one sample in the ring", snaplen);
	is_u64(bad_len, 0, "snaplen %u: each sample's length field is the frame's length",
	       snaplen);
	is_u64(bad_cap, 0, "snaplen %u: each sample carries min(length, %u) bytes", snaplen,
	       snaplen);
	is_u64(bad_bytes, 0, "snaplen %u: and they are the frame's first bytes", snaplen);
	is_u64(bad_time, 0, "snaplen %u: each sample's time is that of its run, and its verdict "
	       "XDP_PASS", snaplen);
	c = counters(&l);
	is_u64(c.seen, FRAME_MAX - FRAME_MIN + 1, "snaplen %u: %d frames seen", snaplen,
	       FRAME_MAX - FRAME_MIN + 1);
	is_u64(c.captured, FRAME_MAX - FRAME_MIN + 1, "snaplen %u: as many captured", snaplen);
	is_u64(c.lost, 0, "snaplen %u: none lost", snaplen);
	unload(&l);
}

/* Run on one CPU from now on: --sample counts on each CPU, and a test run happens on the
 * CPU that asks for it. */
static void pin(void)
{
	cpu_set_t set;
	int cpu;

	sched_getaffinity(0, sizeof(set), &set);
	for (cpu = 0; cpu < CPU_SETSIZE && !CPU_ISSET(cpu, &set); cpu++)
		;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

int main(void)
{
	static const __u32 snaplens[] = { 1, 13, 14, 15, 60, 64, 1000, 1513, 1514, 1515,
					  SNAPLEN_MAX };
	static __u8 frame[PKT_MAX];
	struct loaded l;
	struct counters c;
	size_t i;
	int n, verdict;

	tap_require_root();
	pin();
	build_frame(frame);

	for (i = 0; i < sizeof(snaplens) / sizeof(snaplens[0]); i++)
		every_length(frame, snaplens[i]);

	/* --verdict drop: the frame is dropped, and its sample says so */
	if (ok(load(&l, SNAPLEN_MAX, 1, XDP_DROP, 0), "--verdict drop: the program loads")) {
		verdict = run(&l, frame, 98, 1);
		is_u64(verdict, XDP_DROP, "--verdict drop: the frame gets XDP_DROP");
		is_u64(got.n, 1, "--verdict drop: it is captured all the same");
		is_u64(got.last.hdr.verdict, XDP_DROP, "--verdict drop: its sample says XDP_DROP");
	}
	unload(&l);

	/* --sample 7: the first frame of every 7, exactly, frame by frame and in a batch */
	if (ok(load(&l, 64, 7, XDP_PASS, 0), "--sample 7: the program loads")) {
		int kept = 0, first_kept = -1, second_kept = -1;

		for (n = 1; n <= 15; n++) {
			run(&l, frame, 100, 1);
			if (got.n && first_kept < 0)
				first_kept = n;
			else if (got.n && second_kept < 0)
				second_kept = n;
			kept += got.n;
		}
		is_u64(kept, 3, "--sample 7: 15 frames, 3 samples");
		ok(first_kept == 1 && second_kept == 8, "--sample 7: frames 1 and 8 are the ones kept "
		   "(got %d and %d)", first_kept, second_kept);
		run(&l, frame, 100, 7000 - 15);	/* 7000 in all */
		c = counters(&l);
		is_u64(c.seen, 7000, "--sample 7: 7000 frames seen");
		is_u64(c.captured, 1000, "--sample 7: exactly 1000 captured");
		is_u64(got.n, 1000 - 3, "--sample 7: the ring held the %d more", 1000 - 3);
	}
	unload(&l);

	/* A ring of one page, and nobody reading it while 100 full frames come: it holds a
	 * few, and every other sample is counted as lost. */
	if (ok(load(&l, SNAPLEN_MAX, 1, XDP_PASS, (__u32)sysconf(_SC_PAGESIZE)),
	       "a one-page ring: the program loads")) {
		LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame, .data_size_in = FRAME_MAX,
			    .repeat = 100);

		ok(!bpf_prog_test_run_opts(l.prog_fd, &opts) && opts.retval == XDP_PASS,
		   "100 full frames pass");
		c = counters(&l);
		got.n = 0;
		ring_buffer__consume(l.rb);
		is_u64(c.seen, 100, "a one-page ring: 100 frames seen");
		ok(c.lost > 0 && c.captured > 0, "some captured (%llu), some lost (%llu)",
		   (unsigned long long)c.captured, (unsigned long long)c.lost);
		is_u64(c.captured + c.lost, 100, "captured + lost = 100");
		is_u64(got.n, c.captured, "the ring held exactly the %llu captured",
		       (unsigned long long)c.captured);
		/* with room again, nothing is lost */
		run(&l, frame, 60, 1);
		is_u64(got.n, 1, "once read, the ring takes samples again");
		is_u64(counters(&l).lost, c.lost, "and loses none");
	}
	unload(&l);
	return tap_done();
}
