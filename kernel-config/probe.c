// SPDX-License-Identifier: GPL-2.0
/* kernel-config/probe: what a kernel configuration cannot tell. kernel-config/check runs it as
 * root inside a network namespace it made for the purpose, on one end of a veth pair there,
 * and reads one "name=result" line per probe:
 *
 *	bpf=ok			the bpf() system call loaded our programs (every lesson)
 *	ringbuf=yes		the kernel makes BPF ring buffers (01, 07; Linux 5.8)
 *	xdp_load_bytes=yes	the verifier takes bpf_xdp_load_bytes() in XDP (07; Linux 5.18)
 *	trace_printk=yes	the verifier takes bpf_trace_printk() in XDP (CONFIG_BPF_EVENTS)
 *	xdp_link=native		attached to IFACE through a bpf_link, as the lessons do (Linux 5.9),
 *				and the kernel chose this mode: native (in the driver) or generic
 *	xdp_generic=yes		attached in generic (skb) mode too, the mode every interface has
 *	live_frames=yes		test runs with BPF_F_TEST_XDP_LIVE_FRAMES (make bench; Linux 5.18)
 *
 * "no" means this kernel does not have it, "error: ..." that the probe could not tell. If the
 * bpf_link fails, xdp_netlink= says whether the older netlink attachment works (as it does
 * before Linux 5.9). Each attachment is undone before the next; IFACE is the only interface
 * touched. Probing bpf_trace_printk() makes the kernel log its one-time "trace_printk() being
 * used" notice and set up its trace buffers, as the first bpf_printk() of any program would.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <linux/if_link.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "loader.h"		/* loader_check_privileges() */
#include "probe.skel.h"

static bool verbose;

/* Warnings (why a load failed) always, on stderr; the rest with -v. */
static int print_libbpf(enum libbpf_print_level level, const char *fmt, va_list args)
{
	return level == LIBBPF_WARN || verbose ? vfprintf(stderr, fmt, args) : 0;
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: kernel-config/probe [-v] IFACE\n"
		"Try, on the running kernel, what the lessons need: loading, the ring buffer,\n"
		"bpf_xdp_load_bytes(), bpf_trace_printk(), XDP on IFACE (through a bpf_link, then\n"
		"in generic mode) and live-frames test runs. Prints one name=result line each.\n"
		"Needs root.\n"
		"kernel-config/check runs it on a veth in a namespace of its own: use that.\n"
		"  -v  all of libbpf's messages on stderr (its warnings are always there)\n"
		"  -h  this help\n");
}

/* libbpf_probe_*() return 1 (the kernel has it), 0 (it does not) or a negative error. */
static void report(const char *name, int ret)
{
	if (ret == 1)
		printf("%s=yes\n", name);
	else if (ret == 0)
		printf("%s=no\n", name);
	else
		printf("%s=error: %s\n", name, strerror(-ret));
}

static const char *mode_name(__u8 mode)
{
	switch (mode) {
	case XDP_ATTACHED_DRV:
		return "native";
	case XDP_ATTACHED_SKB:
		return "generic";
	case XDP_ATTACHED_HW:
		return "offload";
	case XDP_ATTACHED_MULTI:
		return "multi";
	}
	return "none";
}

/* Attach in the way given (a bpf_link as in common/loader.c, or netlink), see which mode the
 * kernel used, and detach again. Returns 0 or a negative error. */
static int try_attach(int prog_fd, int ifindex, __u32 flags, bool link, const char **mode)
{
	LIBBPF_OPTS(bpf_link_create_opts, opts, .flags = flags);
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	int fd = -1, err;

	if (link) {
		fd = bpf_link_create(prog_fd, ifindex, BPF_XDP, &opts);
		if (fd < 0)
			return fd;
	} else {
		err = bpf_xdp_attach(ifindex, prog_fd, flags | XDP_FLAGS_UPDATE_IF_NOEXIST, NULL);
		if (err)
			return err;
	}
	err = bpf_xdp_query(ifindex, 0, &q);
	if (!err)
		*mode = mode_name(q.attach_mode);
	if (link)
		close(fd);	/* the last descriptor of a link: the program is detached */
	else
		bpf_xdp_detach(ifindex, flags, NULL);
	return err;
}

static void probe_xdp(int prog_fd, int ifindex)
{
	const char *mode = "none";
	bool link = true;
	int err;

	/* No mode flag: the kernel picks native when the driver has it, as -m auto does. */
	err = try_attach(prog_fd, ifindex, 0, true, &mode);
	if (err) {
		printf("xdp_link=error: %s\n", strerror(-err));
		link = false;
		err = try_attach(prog_fd, ifindex, 0, false, &mode);
		if (err)
			printf("xdp_netlink=error: %s\n", strerror(-err));
		else
			printf("xdp_netlink=%s\n", mode);
	} else {
		printf("xdp_link=%s\n", mode);
	}

	err = try_attach(prog_fd, ifindex, XDP_FLAGS_SKB_MODE, link, &mode);
	if (err)
		printf("xdp_generic=error: %s\n", strerror(-err));
	else
		printf("xdp_generic=%s\n", strcmp(mode, "generic") ? "no" : "yes");
}

static void probe_live_frames(int prog_fd)
{
	unsigned char frame[64] = { 0 };	/* a minimal Ethernet frame; probe_drop drops it */
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame, .data_size_in = sizeof(frame),
		    .repeat = 1, .flags = BPF_F_TEST_XDP_LIVE_FRAMES);
	int err = bpf_prog_test_run_opts(prog_fd, &opts);

	if (!err)
		printf("live_frames=yes\n");
	else if (err == -EINVAL)	/* before 5.18 the kernel refuses the unknown flag */
		printf("live_frames=no\n");
	else
		printf("live_frames=error: %s\n", strerror(-err));
}

int main(int argc, char **argv)
{
	struct probe_bpf *skel;
	int ifindex, opt;

	while ((opt = getopt(argc, argv, "vh")) != -1) {
		switch (opt) {
		case 'v':
			verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	ifindex = if_nametoindex(argv[optind]);
	if (!ifindex) {
		fprintf(stderr, "probe: no interface %s here: %s\n", argv[optind], strerror(errno));
		return 1;
	}
	/* Without CAP_PERFMON the verifier refuses bpf_trace_printk(): trace_printk=no would be
	 * about us, not about the kernel. */
	if (!loader_check_privileges("probe", LOADER_NEEDS(LOADER_CAP_PERFMON)))
		return 1;
	libbpf_set_print(print_libbpf);

	skel = probe_bpf__open_and_load();
	if (!skel) {
		printf("bpf=error: %s\n", strerror(errno));
		return 1;
	}
	printf("bpf=ok\n");
	report("ringbuf", libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL));
	report("xdp_load_bytes",
	       libbpf_probe_bpf_helper(BPF_PROG_TYPE_XDP, BPF_FUNC_xdp_load_bytes, NULL));
	report("trace_printk",
	       libbpf_probe_bpf_helper(BPF_PROG_TYPE_XDP, BPF_FUNC_trace_printk, NULL));
	probe_xdp(bpf_program__fd(skel->progs.probe_pass), ifindex);
	probe_live_frames(bpf_program__fd(skel->progs.probe_drop));

	probe_bpf__destroy(skel);
	return 0;
}
