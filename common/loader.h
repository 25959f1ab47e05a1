/* SPDX-License-Identifier: GPL-2.0 */
/* The user side every lesson shares: one command line, one way to attach, one way to stop.
 *
 *	struct loader ld = { .name = "hello", .about = "print a line for every packet" };
 *
 *	err = loader_start(&ld, argc, argv);	// options, root check, interface, signals
 *	if (err)
 *		return err;
 *	skel = hello_bpf__open_opts(loader_open_opts());	// the verifier's log comes to us
 *	if (!skel || hello_bpf__load(skel)) {
 *		err = loader_load_failed(&ld);	// prints the verifier's message
 *		goto cleanup;
 *	}
 *	if (loader_attach(&ld, skel->progs.hello))
 *		goto cleanup;
 *	while (loader_running(&ld))
 *		...;
 * cleanup:
 *	loader_detach(&ld);
 *	hello_bpf__destroy(skel);
 *
 * A program that works between interfaces (05's router) attaches to more than one: it checks
 * each extra name with loader_iface() and attaches with loader_attach_to(); loader_detach()
 * detaches them all.
 */
#ifndef LOADER_H
#define LOADER_H

#include <stdbool.h>
#include <net/if.h>
#include <bpf/libbpf.h>

/* Exit codes, the same for every lesson. */
enum {
	EXIT_OK = 0,		/* done; also after Ctrl-C, SIGTERM, SIGHUP or --duration */
	EXIT_FAIL = 1,		/* something at run time: not root, no such interface, load failed */
	EXIT_USAGE = 2,		/* the command line is wrong */
};

enum xdp_mode {
	XDP_MODE_AUTO,		/* native if the driver has it, else generic */
	XDP_MODE_NATIVE,	/* in the driver, before any sk_buff exists */
	XDP_MODE_SKB,		/* generic: after the sk_buff is built; works on every interface */
};

/* An option a lesson adds to the common ones. parse() gets the argument (NULL for a flag)
 * and returns 0, or -1 after printing what is wrong (a usage error, exit code 2). */
struct loader_option {
	const char *name;	/* long name: "interval" gives --interval */
	int short_name;		/* 'I', or 0 for none */
	const char *arg;	/* what the argument is called in --help, or NULL for a flag */
	const char *help;
	int (*parse)(const char *arg, void *data);
	void *data;
};

#define LOADER_MAX_LINKS 8	/* interfaces one loader attaches to */

/* Capabilities (Linux 5.8; older headers lack them), for struct loader's needs. */
#define LOADER_CAP_PERFMON	38
#define LOADER_CAP_BPF		39
#define LOADER_NEEDS(cap)	(1ULL << (cap))

struct loader {
	/* set by the lesson */
	const char *name;			/* for messages: "hello: ..." */
	const char *about;			/* one line for --help */
	const struct loader_option *options;	/* extra options, ended by { NULL } */
	const char *usage_extra;		/* more lines for --help, or NULL */
	/* A program that can cut this machine off the network names what it does ("dropping
	 * every packet"): loader_start() then refuses the interface of the default route or of
	 * the SSH session, and adds -f/--force to attach there anyway. NULL: no such check. */
	const char *guard;
	/* Capabilities the program needs beyond CAP_BPF and CAP_NET_ADMIN, which every one does:
	 * LOADER_NEEDS(LOADER_CAP_PERFMON) for one that subtracts packet pointers (data_end -
	 * data: the verifier calls it a pointer leak without it) or attaches to a tracepoint.
	 * loader_start() refuses to go on without them, in one line that says to use sudo. */
	__u64 needs;

	/* filled by loader_start() */
	const char *ifname;
	int ifindex;
	enum xdp_mode mode;
	double duration;	/* seconds; 0 runs until Ctrl-C */
	bool verbose;
	bool force;		/* --force (only with guard) */

	/* private: the bpf_links attached so far, and to which interface */
	int nlinks;
	struct {
		int fd;
		const char *ifname;
	} links[LOADER_MAX_LINKS];
	double deadline;
};

/* Parse the command line, check privileges, look up the interface, install signal handlers
 * and libbpf's message callback. Returns EXIT_OK to go on, or the exit code to return (the
 * error is printed). -h prints help and exits 0 right here. */
int loader_start(struct loader *ld, int argc, char **argv);

/* loader_start() in two steps, for a lesson whose options must be checked against each other
 * before anything else (a usage error comes first, even for a user without root):
 * loader_parse() only parses, loader_prepare() does the rest. Same return values. */
int loader_parse(struct loader *ld, int argc, char **argv);
int loader_prepare(struct loader *ld);

/* Whether this process holds CAP_BPF, CAP_NET_ADMIN and the capabilities in needs, as root
 * does; if not, it says so in one line ("NAME: this needs root (...): run it with sudo"). For
 * the programs that do not use loader_start() (bench's, kernel-config/probe). */
bool loader_check_privileges(const char *name, __u64 needs);

/* Options for the skeleton's open: should the kernel reject a program, its verifier's log
 * goes into a buffer of the loader's, where loader_load_failed() reads it. */
const struct bpf_object_open_opts *loader_open_opts(void);

/* Report why a skeleton failed to open or load, with the tail of the verifier's log.
 * Returns EXIT_FAIL. Call it right after the failing call: it reads errno. */
int loader_load_failed(struct loader *ld);

/* Attach prog to ld->ifname through a bpf_link in the requested mode and say which mode the
 * kernel used. The kernel detaches the program when the link's file descriptor closes, so
 * it is gone however this process ends, kill -9 included. Returns 0 or EXIT_FAIL. */
int loader_attach(struct loader *ld, const struct bpf_program *prog);

/* Another interface for the lesson, besides -i (05's --to OUT): look it up the way -i is, and
 * when guarded is true and the lesson has a guard, refuse it the way -i is refused. Returns its
 * ifindex, or 0 after printing why not (an EXIT_FAIL). */
int loader_iface(struct loader *ld, const char *ifname, bool guarded);

/* loader_attach() to ifname instead of -i's interface: -i's mode, messages and bpf_link. At
 * most LOADER_MAX_LINKS interfaces. Returns 0 or EXIT_FAIL. */
int loader_attach_to(struct loader *ld, const struct bpf_program *prog, const char *ifname);

/* Detach now (close the links), saying so for each interface. Safe to call when nothing is
 * attached. */
void loader_detach(struct loader *ld);

/* False once SIGINT, SIGTERM or SIGHUP arrived or --duration ran out. */
bool loader_running(const struct loader *ld);

/* How long a poll may wait: at most max_ms, less if the --duration deadline is closer. */
int loader_poll_ms(const struct loader *ld, int max_ms);

/* Sleep up to ms milliseconds, less if a signal or the deadline comes first. */
void loader_sleep_ms(const struct loader *ld, int ms);

/* Seconds since an arbitrary point, from the monotonic clock: for rates and intervals. */
double loader_now(void);

/* Parse a decimal number of seconds, > 0 and at most 1e7 (also for lesson options). */
int loader_parse_seconds(const char *arg, double *out);

/* The --interval option of every lesson that prints counters as they change: -I SECONDS into
 * the double at ptr, which holds the default.
 *
 *	double interval = 1.0;
 *	const struct loader_option options[] = { LOADER_OPTION_INTERVAL(&interval), { NULL } };
 */
#define LOADER_INTERVAL_MIN 0.001	/* seconds: a millisecond */
#define LOADER_INTERVAL_MAX 86400.0	/* seconds: a day */
#define LOADER_OPTION_INTERVAL(ptr)							\
	{ "interval", 'I', "SECONDS", "print the counters every SECONDS (default 1)",	\
	  loader_parse_interval, (ptr) }
int loader_parse_interval(const char *arg, void *seconds);

#endif
