// SPDX-License-Identifier: GPL-2.0
/* The shared user side of every lesson: see loader.h. */
#define _GNU_SOURCE		/* ppoll */
#include <errno.h>
#include <poll.h>
#include <getopt.h>
#include <math.h>		/* isfinite */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include <linux/if_link.h>
#include <bpf/bpf.h>
#include "guard.h"
#include "loader.h"

#define MAX_OPTIONS 32

static volatile sig_atomic_t stop_signal;
static sigset_t stop_signals;	/* the ones that stop a loader: SIGINT, SIGTERM, SIGHUP */

static void on_signal(int sig)
{
	stop_signal = sig;
}

/* libbpf's messages. With -v they go straight to stderr. Without it we keep the last few
 * KiB of its warnings, for a failed load that left no verifier log (a map the kernel refused). */
static bool verbose;
static char warnings[4096];

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	size_t len = strlen(warnings), keep = sizeof(warnings) / 2;
	char msg[1024];
	int n;

	if (verbose)
		return vfprintf(stderr, fmt, args);
	if (level == LIBBPF_DEBUG)
		return 0;
	n = vsnprintf(msg, sizeof(msg), fmt, args);
	if (n < 0)
		return n;
	if (len + strlen(msg) >= sizeof(warnings) && len > keep) {	/* the newer half */
		memmove(warnings, warnings + len - keep, keep + 1);
		len = keep;
	}
	snprintf(warnings + len, sizeof(warnings) - len, "%s", msg);
	return n;
}

/* The verifier's log, should it reject a program: libbpf asks the kernel for it into this
 * buffer (kernel_log_buf), after a first load without a log failed. 16 MiB is what libbpf
 * would start with: a kernel before 6.4 keeps the start of a log that does not fit, and the
 * verdict is at its end. Only the pages the kernel writes are ever touched. */
static char verifier_log[16 << 20];

const struct bpf_object_open_opts *loader_open_opts(void)
{
	static const struct bpf_object_open_opts opts = {
		.sz = sizeof(opts),
		.kernel_log_buf = verifier_log,
		.kernel_log_size = sizeof(verifier_log),
	};

	return &opts;
}

static void usage(const struct loader *ld, FILE *f)
{
	const struct loader_option *o;

	fprintf(f, "Usage: %s -i IFACE [options]\n", ld->name);
	if (ld->about)
		fprintf(f, "%s\n", ld->about);
	fprintf(f, "\n"
		"  -i, --iface IFACE       attach to this interface (required; see `ip link`)\n"
		"  -m, --mode MODE         auto (default), native or skb (generic)\n"
		"  -d, --duration SECONDS  detach and exit after this long (default: until Ctrl-C)\n"
		"  -v, --verbose           print libbpf's debug messages (and all the verifier said)\n"
		"  -h, --help              print this help\n");
	if (ld->guard)
		fprintf(f, "  -f, --force             attach even to the interface of the default "
			"route or\n"
			"                          of your SSH session (refused without it)\n");
	for (o = ld->options; o && o->name; o++) {
		char left[64];

		if (o->short_name)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", o->short_name, o->name,
				 o->arg ? " " : "", o->arg ? o->arg : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", o->name,
				 o->arg ? " " : "", o->arg ? o->arg : "");
		fprintf(f, "  %-22s  %s\n", left, o->help);
	}
	if (ld->usage_extra)
		fprintf(f, "\n%s", ld->usage_extra);
	fprintf(f, "\nRun it with sudo. Exit status: 0 done, 1 failed, 2 wrong command line.\n");
}

static int usage_error(const struct loader *ld, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", ld->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see %s --help)\n", ld->name);
	return EXIT_USAGE;
}

/* The loader whose command line is being parsed, for the messages of shared options. */
static const struct loader *parsing;

int loader_parse_interval(const char *arg, void *seconds)
{
	double v;

	/* Bounded both ways: a day is more than anyone waits for a line, and it keeps the sleep
	 * of a tick in an int of milliseconds; a millisecond is the finest tick the loops keep
	 * (below the clock's resolution, stepping `next` by it would never catch up). */
	if (!loader_parse_seconds(arg, &v) && v >= LOADER_INTERVAL_MIN &&
	    v <= LOADER_INTERVAL_MAX) {
		*(double *)seconds = v;
		return 0;
	}
	usage_error(parsing, "--interval wants a number of seconds > 0, from %g to %g, not '%s'",
		    LOADER_INTERVAL_MIN, LOADER_INTERVAL_MAX, arg);
	return -1;
}

int loader_parse_seconds(const char *arg, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || end == arg || *end || !isfinite(v) || v <= 0 || v > 1e7)
		return -1;
	*out = v;
	return 0;
}

static int parse_args(struct loader *ld, int argc, char **argv)
{
	static const struct option common[] = {
		{ "iface", required_argument, NULL, 'i' },
		{ "mode", required_argument, NULL, 'm' },
		{ "duration", required_argument, NULL, 'd' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
	};
	struct option longopts[MAX_OPTIONS + 1];
	char shortopts[3 * MAX_OPTIONS + 1] = "i:m:d:vh";
	const struct loader_option *o;
	size_t n = 0, nextra = 0;
	int c, idx;

	for (; n < sizeof(common) / sizeof(common[0]); n++)
		longopts[n] = common[n];
	if (ld->guard) {
		longopts[n++] = (struct option){ "force", no_argument, NULL, 'f' };
		strcat(shortopts, "f");
	}
	for (o = ld->options; o && o->name; o++, nextra++) {
		if (n >= MAX_OPTIONS)
			return usage_error(ld, "too many options (a bug in this lesson)");
		/* extra options are told apart by val: 256 + their index */
		longopts[n++] = (struct option){ o->name, o->arg ? required_argument : no_argument,
						 NULL, o->short_name ? o->short_name : 256 + (int)nextra };
		if (o->short_name) {
			size_t len = strlen(shortopts);

			shortopts[len] = (char)o->short_name;
			shortopts[len + 1] = o->arg ? ':' : '\0';
			shortopts[len + 2] = '\0';
		}
	}
	longopts[n] = (struct option){ 0 };

	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, &idx)) != -1) {
		switch (c) {
		case 'i':
			ld->ifname = optarg;
			continue;
		case 'm':
			if (!strcmp(optarg, "auto"))
				ld->mode = XDP_MODE_AUTO;
			else if (!strcmp(optarg, "native") || !strcmp(optarg, "drv"))
				ld->mode = XDP_MODE_NATIVE;
			else if (!strcmp(optarg, "skb") || !strcmp(optarg, "generic"))
				ld->mode = XDP_MODE_SKB;
			else
				return usage_error(ld, "unknown mode '%s': use auto, native or skb",
						   optarg);
			continue;
		case 'd':
			if (loader_parse_seconds(optarg, &ld->duration))
				return usage_error(ld, "--duration wants a number of seconds > 0, not '%s'",
						   optarg);
			continue;
		case 'v':
			ld->verbose = true;
			continue;
		case 'f':
			if (!ld->guard)
				break;		/* a lesson's own -f */
			ld->force = true;
			continue;
		case 'h':
			usage(ld, stdout);
			exit(EXIT_OK);
		case '?':
		case ':':
			/* optopt: a known option that lacks its argument, an unknown short
			 * option, or 0 for an unknown long one */
			if (optopt >= 256 || (optopt && strchr(shortopts, optopt)))
				return usage_error(ld, "option '%s' needs an argument",
						   argv[optind - 1]);
			if (optopt)
				return usage_error(ld, "unknown option '-%c'", optopt);
			return usage_error(ld, "unknown option '%s'", argv[optind - 1]);
		}
		/* one of the lesson's options */
		for (o = ld->options, nextra = 0; o && o->name; o++, nextra++) {
			if (c == o->short_name || c == 256 + (int)nextra) {
				if (o->parse(optarg, o->data))
					return EXIT_USAGE;
				break;
			}
		}
	}
	if (optind < argc)
		return usage_error(ld, "unexpected argument '%s'", argv[optind]);
	if (!ld->ifname)
		return usage_error(ld, "which interface? name it with -i IFACE; `ip link` lists them");
	return EXIT_OK;
}

/* Whether this process holds the capabilities in mask (1ULL << CAP_...), effective now.
 * Asked of the kernel rather than of the user id: root may have been stripped of some (a
 * container), and a user may have been given them (setpriv, capsh, systemd). */
static bool holds(__u64 mask)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = { 0 };
	__u64 eff;

	if (syscall(SYS_capget, &hdr, data))
		return false;
	eff = (__u64)data[1].effective << 32 | data[0].effective;
	return (eff & mask) == mask;
}

bool loader_check_privileges(const char *name, __u64 needs)
{
	/* What the kernel checks: loading an XDP program and making a DEVMAP take CAP_NET_ADMIN
	 * (Linux 6.1 takes no CAP_SYS_ADMIN for it); CAP_BPF and CAP_PERFMON (Linux 5.8) have
	 * CAP_SYS_ADMIN as their older, broader equivalent. */
	static const struct {
		int cap;
		const char *name;
	} caps[] = {
		{ LOADER_CAP_BPF, "CAP_BPF" },
		{ CAP_NET_ADMIN, "CAP_NET_ADMIN" },
		{ LOADER_CAP_PERFMON, "CAP_PERFMON" },
	};
	__u64 all = needs | LOADER_NEEDS(LOADER_CAP_BPF) | LOADER_NEEDS(CAP_NET_ADMIN);
	char list[96] = "";
	size_t i, n = 0, named = 0;
	bool ok = true;

	for (i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		__u64 bit = LOADER_NEEDS(caps[i].cap);

		if (!(all & bit))
			continue;
		n++;
		if (!holds(bit) && (caps[i].cap == CAP_NET_ADMIN ||
				    !holds(LOADER_NEEDS(CAP_SYS_ADMIN))))
			ok = false;
	}
	if (ok)
		return true;
	for (i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		if (!(all & LOADER_NEEDS(caps[i].cap)))
			continue;
		named++;
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
			 named == 1 ? "" : named == n ? " and " : ", ", caps[i].name);
	}
	fprintf(stderr, "%s: this needs root (%s): run it with sudo\n", name, list);
	return false;
}

/* The guard (ld->guard): common/guard.c asks the kernel whether ifname carries this machine's
 * default route or its SSH session. True (after one line on stderr) if it refuses ifname. */
static bool guard_refuses(const struct loader *ld, const char *ifname, int ifindex)
{
	char reason[640];

	if (!guard_check(ifindex, ld->guard, reason, sizeof(reason)))
		return false;
	if (!ld->force) {
		fprintf(stderr, "%s: refusing to attach to %s: %s; try it in the lab (make lab), "
			"or add --force --duration 10 to detach by itself after 10 s\n",
			ld->name, ifname, reason);
		return true;
	}
	fprintf(stderr, "%s: --force: attaching to %s although %s; %s\n", ld->name, ifname,
		reason, ld->duration > 0 ? "--duration detaches it" :
		"only Ctrl-C detaches it, and it may not reach this machine");
	return false;
}

int loader_iface(struct loader *ld, const char *ifname, bool guarded)
{
	int ifindex = if_nametoindex(ifname);

	if (!ifindex) {
		fprintf(stderr, "%s: no interface named '%s' here; list them with `ip link` "
			"(in the lab, run the loader inside it: sudo lab/lab exec HOST ...)\n",
			ld->name, ifname);
		return 0;
	}
	if (guarded && ld->guard && guard_refuses(ld, ifname, ifindex))
		return 0;
	return ifindex;
}

int loader_start(struct loader *ld, int argc, char **argv)
{
	int err = loader_parse(ld, argc, argv);

	return err ? err : loader_prepare(ld);
}

int loader_parse(struct loader *ld, int argc, char **argv)
{
	ld->nlinks = 0;
	parsing = ld;
	return parse_args(ld, argc, argv);
}

int loader_prepare(struct loader *ld)
{
	struct sigaction sa = { .sa_handler = on_signal };	/* no SA_RESTART: poll() returns */

	verbose = ld->verbose;
	libbpf_set_print(libbpf_print);
	/* One line per event even when the output is a pipe or a file. */
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (!loader_check_privileges(ld->name, ld->needs))
		return EXIT_FAIL;
	ld->ifindex = loader_iface(ld, ld->ifname, true);
	if (!ld->ifindex)
		return EXIT_FAIL;

	sigemptyset(&sa.sa_mask);
	sigemptyset(&stop_signals);
	sigaddset(&stop_signals, SIGINT);
	sigaddset(&stop_signals, SIGTERM);
	sigaddset(&stop_signals, SIGHUP);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	ld->deadline = ld->duration > 0 ? loader_now() + ld->duration : 0;
	return EXIT_OK;
}

/* The last `want` lines of the verifier's log: its verdict is at the end, after the
 * instructions it walked. */
static void print_verifier_tail(const struct loader *ld, int want)
{
	const char *end = verifier_log + strlen(verifier_log), *from = end, *p;
	int lines = 0;

	if (from > verifier_log && from[-1] == '\n')
		from--;			/* the last line's own newline */
	while (from > verifier_log && lines < want) {
		from--;
		if (from == verifier_log || from[-1] == '\n')
			lines++;
	}
	fprintf(stderr, "%s: the verifier's last words (all of them with -v):\n", ld->name);
	for (p = from; p < end;) {
		const char *nl = memchr(p, '\n', end - p);
		int len = nl ? (int)(nl - p) : (int)(end - p);

		fprintf(stderr, "  | %.*s\n", len, p);
		p += len + 1;
	}
}

int loader_load_failed(struct loader *ld)
{
	int err = errno;

	switch (err) {
	case ENOSYS:
		fprintf(stderr, "%s: this kernel has no bpf() system call (CONFIG_BPF_SYSCALL); "
			"`make check` tells what it lacks\n", ld->name);
		break;
	case EPERM:
		fprintf(stderr, "%s: the kernel did not allow loading the program (%s): "
			"run it with sudo; under lockdown or seccomp BPF may be forbidden\n",
			ld->name, strerror(err));
		break;
	default:
		fprintf(stderr, "%s: loading the XDP program failed: %s\n", ld->name,
			strerror(err));
		break;
	}
	if (!verifier_log[0]) {		/* no program was rejected: libbpf says why */
		if (warnings[0])
			fprintf(stderr, "%s: libbpf said:\n%s", ld->name, warnings);
	} else if (ld->verbose) {
		fprintf(stderr, "%s: the verifier's log:\n%s", ld->name, verifier_log);
	} else {
		print_verifier_tail(ld, 8);
	}
	return EXIT_FAIL;
}

/* Which bpf_link, if any, holds the program prog_id on ifindex: a link cannot be removed with
 * `ip link set ... xdp off`, only by closing it (stopping its owner). 0 if none does, -1 if
 * we may not look: walking the kernel's links takes CAP_SYS_ADMIN, which the loaders need
 * for nothing else. */
static long long find_xdp_link(int ifindex, __u32 prog_id)
{
	__u32 id = 0;

	if (bpf_link_get_next_id(0, &id) && errno == EPERM)
		return -1;
	id = 0;
	while (!bpf_link_get_next_id(id, &id)) {
		struct bpf_link_info info = { 0 };
		__u32 len = sizeof(info);
		int fd = bpf_link_get_fd_by_id(id);

		if (fd < 0)
			continue;
		if (!bpf_obj_get_info_by_fd(fd, &info, &len) && info.type == BPF_LINK_TYPE_XDP &&
		    (int)info.xdp.ifindex == ifindex && info.prog_id == prog_id) {
			close(fd);
			return id;
		}
		close(fd);
	}
	return 0;
}

static void explain_busy(const struct loader *ld, const char *ifname, int ifindex)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	const char *off;
	long long link;
	__u32 id;

	if (bpf_xdp_query(ifindex, 0, &q) || !q.prog_id) {
		fprintf(stderr, "%s: cannot attach to %s: another XDP program is attached; "
			"see it with `ip link show %s`\n", ld->name, ifname, ifname);
		return;
	}
	if (q.attach_mode == XDP_ATTACHED_SKB) {
		id = q.skb_prog_id;
		off = "xdpgeneric off";
	} else if (q.attach_mode == XDP_ATTACHED_HW) {
		id = q.hw_prog_id;
		off = "xdpoffload off";
	} else {
		id = q.drv_prog_id ? q.drv_prog_id : q.prog_id;
		off = "xdp off";
	}
	link = find_xdp_link(ifindex, id);
	if (link < 0)
		fprintf(stderr, "%s: cannot attach to %s: an XDP program (id %u) is already attached; "
			"if a running loader holds it (a bpf_link: `sudo bpftool link`), stop that "
			"loader, else remove it with `sudo ip link set dev %s %s`\n", ld->name,
			ifname, id, ifname, off);
	else if (link)
		fprintf(stderr, "%s: cannot attach to %s: an XDP program (id %u) is already attached, "
			"held by a running loader (bpf_link %lld); stop that program, or find it with "
			"`sudo bpftool link show id %lld`\n", ld->name, ifname, id, link, link);
	else
		fprintf(stderr, "%s: cannot attach to %s: an XDP program (id %u) is already attached; "
			"see it with `ip link show %s`, remove it with `sudo ip link set dev %s %s`\n",
			ld->name, ifname, id, ifname, ifname, off);
}

int loader_attach_to(struct loader *ld, const struct bpf_program *prog, const char *ifname)
{
	LIBBPF_OPTS(bpf_link_create_opts, opts);
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	struct bpf_prog_info info = { 0 };
	__u32 len = sizeof(info);
	int prog_fd = bpf_program__fd(prog);
	int err, fd, ifindex;

	if (ld->nlinks == LOADER_MAX_LINKS) {
		fprintf(stderr, "%s: cannot attach to %s: at most %d interfaces "
			"(LOADER_MAX_LINKS)\n", ld->name, ifname, LOADER_MAX_LINKS);
		return EXIT_FAIL;
	}
	ifindex = if_nametoindex(ifname);
	if (!ifindex) {
		fprintf(stderr, "%s: cannot attach to %s: it is gone\n", ld->name, ifname);
		return EXIT_FAIL;
	}
	if (ld->mode == XDP_MODE_NATIVE)
		opts.flags = XDP_FLAGS_DRV_MODE;
	else if (ld->mode == XDP_MODE_SKB)
		opts.flags = XDP_FLAGS_SKB_MODE;
	/* Without a mode flag the kernel picks native when the driver has it. */

	fd = bpf_link_create(prog_fd, ifindex, BPF_XDP, &opts);
	if (fd < 0) {
		err = errno;
		if (err == EBUSY || err == EEXIST)
			explain_busy(ld, ifname, ifindex);
		else if (err == EOPNOTSUPP && ld->mode == XDP_MODE_NATIVE)
			fprintf(stderr, "%s: the driver of %s has no native XDP; use -m skb (generic) "
				"or -m auto\n", ld->name, ifname);
		else if (err == EINVAL)
			fprintf(stderr, "%s: the kernel refused to attach to %s (%s): XDP links need "
				"Linux 5.9 or later, and some drivers refuse large MTUs in native mode; "
				"try -m skb, and `make check`\n", ld->name, ifname, strerror(err));
		else
			fprintf(stderr, "%s: cannot attach to %s: %s\n", ld->name, ifname,
				strerror(err));
		return EXIT_FAIL;
	}
	ld->links[ld->nlinks].fd = fd;
	ld->links[ld->nlinks].ifname = ifname;
	ld->nlinks++;

	if (bpf_obj_get_info_by_fd(prog_fd, &info, &len) || bpf_xdp_query(ifindex, 0, &q)) {
		printf("%s: attached to %s\n", ld->name, ifname);
		return 0;
	}
	if (q.skb_prog_id == info.id)
		printf("%s: attached to %s (program id %u) in generic (skb) mode: %s\n", ld->name,
		       ifname, info.id, ld->mode == XDP_MODE_SKB ? "as asked" :
		       "the driver has no native XDP");
	else
		/* What holds for every driver is "before the stack". A NIC's driver runs it on
		 * the receive buffer, before any sk_buff; veth runs it on the sk_buffs its peer's
		 * stack sent (copying them if need be), and frames redirected into either arrive
		 * as xdp_frames, with no sk_buff at all. */
		printf("%s: attached to %s (program id %u) in native mode: the driver runs it "
		       "before the stack (no sk_buff yet on a NIC; veth gets its peer's sk_buffs)\n",
		       ld->name, ifname, info.id);
	return 0;
}

int loader_attach(struct loader *ld, const struct bpf_program *prog)
{
	return loader_attach_to(ld, prog, ld->ifname);
}

void loader_detach(struct loader *ld)
{
	while (ld->nlinks > 0) {
		ld->nlinks--;
		close(ld->links[ld->nlinks].fd);
		printf("%s: detached from %s\n", ld->name, ld->links[ld->nlinks].ifname);
	}
}

double loader_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

bool loader_running(const struct loader *ld)
{
	if (stop_signal)
		return false;
	return !ld->deadline || loader_now() < ld->deadline;
}

int loader_poll_ms(const struct loader *ld, int max_ms)
{
	double left;

	if (!ld->deadline)
		return max_ms;
	left = (ld->deadline - loader_now()) * 1000.0;
	if (left <= 0)
		return 0;
	return left < max_ms ? (int)left + 1 : max_ms;
}

void loader_sleep_ms(const struct loader *ld, int ms)
{
	struct timespec ts;
	sigset_t unblocked;

	ms = loader_poll_ms(ld, ms);
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	/* Check for a stop signal and start waiting as one step: with the stop signals blocked,
	 * one that comes after the check stays pending, and ppoll(), which unblocks them for the
	 * wait alone, returns at once. A check and then nanosleep() would let it land in between,
	 * and the wait would last all of ms. */
	sigprocmask(SIG_BLOCK, &stop_signals, &unblocked);
	if (!stop_signal)
		ppoll(NULL, 0, &ts, &unblocked);
	sigprocmask(SIG_SETMASK, &unblocked, NULL);
}
