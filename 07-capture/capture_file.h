/* SPDX-License-Identifier: GPL-2.0 */
/* The capture file, written by libpcap. Apart from the loader because libpcap's pcap/bpf.h and
 * the kernel's linux/bpf.h (which libbpf includes) both define struct bpf_insn -- classic BPF's
 * and eBPF's -- and cannot meet in one file. */
#ifndef CAPTURE_FILE_H
#define CAPTURE_FILE_H

#include <stdio.h>
#include <linux/types.h>

struct capture_file;

/* A pcap file with nanosecond timestamps, Ethernet frames of at most snaplen bytes: at path,
 * or on out if out is not NULL (the file then owns it). NULL after one line on stderr. */
struct capture_file *capture_file_open(const char *path, FILE *out, __u32 snaplen);

/* One frame: cap bytes of a frame of len, at wall_ns since the epoch. */
void capture_file_write(struct capture_file *f, __u64 wall_ns, const void *data, __u32 cap,
			__u32 len);

/* Push what was written to the file. 0, -EPIPE (the reader of a pipe went away) or another
 * -errno after one line on stderr. */
int capture_file_flush(struct capture_file *f);

void capture_file_close(struct capture_file *f);

#endif
