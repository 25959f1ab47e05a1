// SPDX-License-Identifier: GPL-2.0
/* 07: load capture.bpf.o with the settings from the command line, attach it, and write every
 * sample it puts in the ring buffer into a capture file that tcpdump and Wireshark open; at
 * the end, say how many frames it saw, captured and lost. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "loader.h"
#include "stats.h"
#include "capture.h"
#include "capture_file.h"
#include "capture.skel.h"

struct options {
	const char *file;
	__u32 snaplen, sample, verdict;
	__u32 buffer_kib;
};

/* What the ring buffer callback needs, and what it counts. */
struct writer {
	struct capture_file *file;
	__s64 wall_minus_mono;		/* ns: CLOCK_REALTIME - CLOCK_MONOTONIC, at the start */
	__u64 written, by_verdict[XDP_REDIRECT + 1];
	int err;			/* a sample that made no sense */
};

static const char *const verdicts[] = {
	[XDP_ABORTED] = "aborted", [XDP_DROP] = "drop", [XDP_PASS] = "pass", [XDP_TX] = "tx",
};

static int parse_u32(const char *arg, __u32 min, __u32 max, __u32 *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || arg[0] == '-' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static int set_file(const char *arg, void *data)
{
	((struct options *)data)->file = arg;
	return 0;
}

static int set_snaplen(const char *arg, void *data)
{
	if (!parse_u32(arg, 0, SNAPLEN_MAX, &((struct options *)data)->snaplen))
		return 0;
	fprintf(stderr, "capture: -s wants a number of bytes from 1 to %d (0: %d), not '%s' "
		"(see capture --help)\n", SNAPLEN_MAX, SNAPLEN_MAX, arg);
	return -1;
}

static int set_sample(const char *arg, void *data)
{
	if (!parse_u32(arg, 1, 1000000000, &((struct options *)data)->sample))
		return 0;
	fprintf(stderr, "capture: --sample wants N from 1 to 1000000000 (keep 1 frame in N), "
		"not '%s' (see capture --help)\n", arg);
	return -1;
}

static int set_verdict(const char *arg, void *data)
{
	__u32 v;

	for (v = 0; v < sizeof(verdicts) / sizeof(verdicts[0]); v++) {
		if (v != XDP_ABORTED && !strcmp(arg, verdicts[v])) {
			((struct options *)data)->verdict = v;
			return 0;
		}
	}
	fprintf(stderr, "capture: --verdict wants pass, drop or tx, not '%s' (see capture "
		"--help)\n", arg);
	return -1;
}

static int set_buffer(const char *arg, void *data)
{
	if (!parse_u32(arg, 1, 1 << 20, &((struct options *)data)->buffer_kib))
		return 0;
	fprintf(stderr, "capture: -B wants a size in KiB from 1 to 1048576, not '%s' (see "
		"capture --help)\n", arg);
	return -1;
}

/* The ring's size in bytes: the kernel wants a power of two and a whole number of pages. */
static __u32 ring_bytes(__u32 kib)
{
	__u32 bytes = (__u32)sysconf(_SC_PAGESIZE);

	while (bytes < kib * 1024ULL)
		bytes *= 2;
	return bytes;
}

static __s64 clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (__s64)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* One sample from the ring: one frame in the file. */
static int write_sample(void *ctx, void *data, size_t size)
{
	struct writer *w = ctx;
	const struct sample *s = data;

	if (size < sizeof(s->hdr) || size < sizeof(s->hdr) + s->hdr.cap) {
		w->err = -EINVAL;
		return -EINVAL;		/* stops ring_buffer__poll() */
	}
	/* bpf_ktime_get_ns() counts from boot (CLOCK_MONOTONIC); a capture file wants the wall
	 * clock. The difference between the two, taken once, turns one into the other. */
	capture_file_write(w->file, s->hdr.ktime_ns + w->wall_minus_mono, s->data, s->hdr.cap,
			   s->hdr.len);
	w->written++;
	if (s->hdr.verdict <= XDP_REDIRECT)
		w->by_verdict[s->hdr.verdict]++;
	return 0;
}

static void print_summary(const struct options *o, const struct counters *c,
			  const struct writer *w, const char *file)
{
	__u32 v;

	printf("capture: %llu frames seen", (unsigned long long)c->seen);
	if (o->sample > 1)
		printf(", %llu sampled (1 in %u)", (unsigned long long)(c->captured + c->lost),
		       o->sample);
	printf(", %llu captured, %llu lost (the ring was full), %llu written to %s\n",
	       (unsigned long long)c->captured, (unsigned long long)c->lost,
	       (unsigned long long)w->written, file);
	if (c->lost)
		printf("capture: %llu samples lost: the ring buffer was full; a bigger -B or "
		       "--sample N helps\n", (unsigned long long)c->lost);
	for (v = 0; v < sizeof(verdicts) / sizeof(verdicts[0]); v++)
		if (w->by_verdict[v])
			printf("capture: %llu of them got XDP_%s\n",
			       (unsigned long long)w->by_verdict[v], v == XDP_ABORTED ?
			       "ABORTED" : v == XDP_DROP ? "DROP" : v == XDP_PASS ? "PASS" : "TX");
}

int main(int argc, char **argv)
{
	struct options o = { .sample = 1, .verdict = XDP_PASS, .buffer_kib = 2048 };
	const struct loader_option options[] = {
		{ "write", 'w', "FILE", "write the frames to FILE, a pcap file; - for standard "
		  "output (required)", set_file, &o },
		{ "snaplen", 's', "BYTES", "keep at most the first BYTES of each frame (default and "
		  "0: 4096)", set_snaplen, &o },
		{ "sample", 0, "N", "capture only one frame in N (default 1: all)", set_sample, &o },
		{ "verdict", 0, "VERDICT", "pass (default), drop or tx: what the frames get",
		  set_verdict, &o },
		{ "buffer-size", 'B', "KiB", "the ring buffer's size (default 2048, rounded up to "
		  "a power of two)", set_buffer, &o },
		{ NULL },
	};
	struct loader ld = {
		.name = "capture",
		.about = "Capture the frames arriving on IFACE as XDP sees them, into a pcap file.",
		.options = options,
		.usage_extra = "Examples: capture -i veth0 -w in.pcap\n"
			       "          capture -i veth0 -w - | tcpdump -n -r -\n",
		.guard = "giving every packet --verdict drop or tx",
	};
	struct capture_bpf *skel = NULL;
	struct ring_buffer *rb = NULL;
	struct writer w = { 0 };
	struct counters c = { 0 };
	FILE *out = NULL;
	const char *file;
	__u64 lost_told = 0;
	double next_check;
	int err, ret;

	err = loader_parse(&ld, argc, argv);
	if (err)
		return err;
	if (!o.file) {
		fprintf(stderr, "capture: where to? name a file with -w FILE, or -w - for standard "
			"output (see capture --help)\n");
		return EXIT_USAGE;
	}
	if (o.verdict == XDP_PASS)
		ld.guard = NULL;	/* passing every frame cuts no one off */
	file = strcmp(o.file, "-") ? o.file : "standard output";
	if (!strcmp(o.file, "-")) {
		if (isatty(STDOUT_FILENO)) {
			fprintf(stderr, "capture: -w - writes a binary file to standard output, "
				"which is a terminal: pipe it (| tcpdump -n -r -) or name a file\n");
			return EXIT_USAGE;
		}
		/* The file takes standard output; our own lines, and the loader's, go to
		 * standard error from now on, or they would be in the middle of the frames. */
		out = fdopen(dup(STDOUT_FILENO), "w");
		if (!out || dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
			fprintf(stderr, "capture: cannot take over standard output: %s\n",
				strerror(errno));
			return EXIT_FAIL;
		}
	}
	err = loader_prepare(&ld);
	if (err)
		return err;
	/* A reader that goes away is a write error (EPIPE), not a signal that kills us before
	 * the summary. */
	signal(SIGPIPE, SIG_IGN);

	skel = capture_bpf__open_opts(loader_open_opts());
	if (!skel) {
		err = loader_load_failed(&ld);
		goto cleanup;
	}
	skel->rodata->snaplen = o.snaplen ? o.snaplen : SNAPLEN_MAX;
	skel->rodata->sample_every = o.sample;
	skel->rodata->verdict = o.verdict;
	bpf_map__set_max_entries(skel->maps.samples, ring_bytes(o.buffer_kib));
	if (capture_bpf__load(skel)) {
		err = loader_load_failed(&ld);
		goto cleanup;
	}

	/* Opened before the attach: a file we cannot write stops us while nothing is attached. */
	w.file = capture_file_open(o.file, out, skel->rodata->snaplen);
	if (!w.file) {
		err = EXIT_FAIL;
		goto cleanup;
	}
	out = NULL;		/* the file owns it now */
	w.wall_minus_mono = clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_MONOTONIC);
	rb = ring_buffer__new(bpf_map__fd(skel->maps.samples), write_sample, &w, NULL);
	if (!rb) {
		fprintf(stderr, "capture: cannot read the ring buffer: %s\n", strerror(errno));
		err = EXIT_FAIL;
		goto cleanup;
	}

	err = loader_attach(&ld, skel->progs.capture);
	if (err)
		goto cleanup;
	printf("capture: writing what %s receives to %s, %u bytes of each frame at most%s; "
	       "Ctrl-C to stop\n", ld.ifname, file, skel->rodata->snaplen,
	       o.sample > 1 ? ", one frame in --sample" : "");

	next_check = loader_now() + 1;
	while (loader_running(&ld)) {
		ret = ring_buffer__poll(rb, loader_poll_ms(&ld, 200));
		if (ret < 0 && ret != -EINTR)
			break;
		err = capture_file_flush(w.file);
		if (err == -EPIPE)
			fprintf(stderr, "capture: the reader of standard output went away; "
				"stopping\n");
		if (err)
			break;
		/* Lost samples are said when they happen, once a second at most. */
		if (loader_now() >= next_check) {
			next_check = loader_now() + 1;
			if (!stats_percpu_sum(bpf_map__fd(skel->maps.stats), 0, &c, sizeof(c)) &&
			    c.lost > lost_told) {
				printf("capture: %llu samples lost so far: the ring buffer was full; "
				       "a bigger -B or --sample N helps\n",
				       (unsigned long long)c.lost);
				lost_told = c.lost;
			}
		}
	}

	/* Detach, then empty the ring: nothing more comes in, and what is in it is written. */
	loader_detach(&ld);
	if (!err)
		ring_buffer__consume(rb);
	if (w.err) {
		fprintf(stderr, "capture: a sample in the ring made no sense; this is a bug\n");
		err = EXIT_FAIL;
	} else if (err == -EPIPE) {
		err = EXIT_OK;
	} else if (err) {
		err = EXIT_FAIL;
	} else {
		err = capture_file_flush(w.file) ? EXIT_FAIL : EXIT_OK;
	}
	if (stats_percpu_sum(bpf_map__fd(skel->maps.stats), 0, &c, sizeof(c))) {
		fprintf(stderr, "capture: cannot read the counters\n");
		err = EXIT_FAIL;
	}
	print_summary(&o, &c, &w, file);

cleanup:
	loader_detach(&ld);
	ring_buffer__free(rb);
	capture_file_close(w.file);
	if (out)
		fclose(out);
	capture_bpf__destroy(skel);
	return err;
}
