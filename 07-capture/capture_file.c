// SPDX-License-Identifier: GPL-2.0
/* The capture file, through libpcap: see capture_file.h.
 *
 * libpcap writes the file (pcap_dump), so that every reader of pcap files reads it: no format
 * written by hand. It writes pcap, not pcapng: pcapng would have room for the interface and
 * the verdict, but libpcap 1.10 (Debian 12 and 13, Raspberry Pi OS) cannot write it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <pcap/pcap.h>
#include "capture_file.h"

struct capture_file {
	pcap_t *pcap;		/* a "dead" handle: it only describes the file */
	pcap_dumper_t *dumper;
	const char *name;
};

struct capture_file *capture_file_open(const char *path, FILE *out, __u32 snaplen)
{
	struct capture_file *f = calloc(1, sizeof(*f));

	if (!f) {
		fprintf(stderr, "capture: out of memory\n");
		return NULL;
	}
	f->name = out ? "standard output" : path;
	/* Nanosecond timestamps, as the program takes them; tcpdump and Wireshark read both. */
	f->pcap = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, (int)snaplen,
						       PCAP_TSTAMP_PRECISION_NANO);
	if (!f->pcap) {
		fprintf(stderr, "capture: libpcap failed: out of memory\n");
		goto fail;
	}
	errno = 0;
	f->dumper = out ? pcap_dump_fopen(f->pcap, out) : pcap_dump_open(f->pcap, path);
	if (!f->dumper) {
		/* errno from the failed open; libpcap's own message repeats the path */
		fprintf(stderr, "capture: cannot write %s: %s\n", f->name,
			errno ? strerror(errno) : pcap_geterr(f->pcap));
		goto fail;
	}
	return f;
fail:
	if (f->pcap)
		pcap_close(f->pcap);
	free(f);
	return NULL;
}

void capture_file_write(struct capture_file *f, __u64 wall_ns, const void *data, __u32 cap,
			__u32 len)
{
	struct pcap_pkthdr ph = {
		.ts.tv_sec = wall_ns / 1000000000,
		.ts.tv_usec = wall_ns % 1000000000,	/* nanoseconds: the file says so */
		.caplen = cap,
		.len = len,
	};

	pcap_dump((u_char *)f->dumper, &ph, data);
}

int capture_file_flush(struct capture_file *f)
{
	/* pcap_dump() writes through stdio and reports nothing: the flush tells. */
	if (!pcap_dump_flush(f->dumper))
		return 0;
	if (errno == EPIPE)
		return -EPIPE;
	fprintf(stderr, "capture: cannot write %s: %s\n", f->name, strerror(errno));
	return -errno;
}

void capture_file_close(struct capture_file *f)
{
	if (!f)
		return;
	pcap_dump_close(f->dumper);
	pcap_close(f->pcap);
	free(f);
}
