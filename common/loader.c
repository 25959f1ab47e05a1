// SPDX-License-Identifier: GPL-2.0
/* The shared user side of every lesson: see loader.h. */
#include <errno.h>
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

static void on_signal(int sig)
{
	stop_signal = sig;
}

/* libbpf's messages. With -v they go straight to stderr. Without it we keep the last few
 * KiB, so that a failed load can still show what the verifier said. */
static bool verbose;
static char log_buf[64 * 1024];
static size_t log_len;

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	char *msg, *line;
	va_list again;
	int n;

	if (verbose)
		return vfprintf(stderr, fmt, args);
	if (level == LIBBPF_DEBUG)
		return 0;
	/* libbpf hands over the verifier's whole log as one message, often many KiB: size it */
	va_copy(again, args);
	n = vsnprintf(NULL, 0, fmt, again);
	va_end(again);
	if (n < 0)
		return n;
	msg = malloc(n + 1);
	if (!msg)
		return -ENOMEM;
	vsnprintf(msg, n + 1, fmt, args);
	line = msg;
	if ((size_t)n >= sizeof(log_buf)) {	/* keep its end, where the verdict is */
		line += n - (sizeof(log_buf) - 1);
		n = sizeof(log_buf) - 1;
	}
	if (log_len + n >= sizeof(log_buf)) {
		/* keep the newer half: the verifier's verdict is at the end */
		size_t keep = sizeof(log_buf) / 2;

		if (log_len > keep) {
			memmove(log_buf, log_buf + log_len - keep, keep);
			log_len = keep;
		}
		if (log_len + n >= sizeof(log_buf))
			log_len = 0;
	}
	memcpy(log_buf + log_len, line, n);
	log_len += n;
	log_buf[log_len] = '\0';
	free(msg);
	return n;
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
	if (!loader_parse_seconds(arg, seconds))
		return 0;
	usage_error(parsing, "--interval wants a number of seconds > 0, not '%s'", arg);
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

/* Root, or at least the capabilities that loading and attaching XDP needs: CAP_BPF and
 * CAP_NET_ADMIN since Linux 5.8, CAP_SYS_ADMIN before. */
static bool privileged(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = { 0 };
	const int cap_bpf = 39;		/* CAP_BPF, missing from older headers */
	__u64 eff;

	if (geteuid() == 0)
		return true;
	if (syscall(SYS_capget, &hdr, data))
		return false;
	eff = (__u64)data[1].effective << 32 | data[0].effective;
	if (eff & (1ULL << CAP_SYS_ADMIN))
		return true;
	return (eff & (1ULL << cap_bpf)) && (eff & (1ULL << CAP_NET_ADMIN));
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

	if (!privileged()) {
		fprintf(stderr, "%s: this needs root (CAP_BPF and CAP_NET_ADMIN): run it with sudo\n",
			ld->name);
		return EXIT_FAIL;
	}
	ld->ifindex = loader_iface(ld, ld->ifname, true);
	if (!ld->ifindex)
		return EXIT_FAIL;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	ld->deadline = ld->duration > 0 ? loader_now() + ld->duration : 0;
	return EXIT_OK;
}

/* The lines between libbpf's "BEGIN PROG LOAD LOG" and "END PROG LOAD LOG" markers, last
 * `want` of them: the verifier's verdict is at the end, after the instructions it walked. */
static void print_verifier_tail(const struct loader *ld, int want)
{
	const char *begin = NULL, *end, *p, *from;
	int lines = 0;

	for (p = log_buf; (p = strstr(p, "-- BEGIN PROG LOAD LOG --")); p++)
		begin = p;
	if (!begin) {
		if (log_len)
			fprintf(stderr, "%s: libbpf said:\n%s", ld->name, log_buf);
		return;
	}
	begin = strchr(begin, '\n');
	if (!begin)
		return;
	begin++;
	end = strstr(begin, "-- END PROG LOAD LOG --");
	if (!end)
		end = log_buf + log_len;
	from = end;
	while (from > begin && lines <= want) {
		from--;
		if (from > begin && from[-1] == '\n')
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
	if (!ld->verbose)
		print_verifier_tail(ld, 8);
	return EXIT_FAIL;
}

/* Which bpf_link, if any, holds the program prog_id on ifindex: a link cannot be removed with
 * `ip link set ... xdp off`, only by closing it (stopping its owner). */
static __u32 find_xdp_link(int ifindex, __u32 prog_id)
{
	__u32 id = 0;

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
	__u32 id, link;

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
	if (link)
		fprintf(stderr, "%s: cannot attach to %s: an XDP program (id %u) is already attached, "
			"held by a running loader (bpf_link %u); stop that program, or find it with "
			"`sudo bpftool link show id %u`\n", ld->name, ifname, id, link, link);
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
		printf("%s: attached to %s (program id %u) in native mode: the driver runs it "
		       "before the kernel allocates an sk_buff\n", ld->name, ifname, info.id);
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

	ms = loader_poll_ms(ld, ms);
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	if (!stop_signal)
		nanosleep(&ts, NULL);	/* a signal cuts it short: that is what we want */
}
