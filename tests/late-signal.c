// SPDX-License-Identifier: GPL-2.0
/* LD_PRELOAD for tests/test-loader.sh: a stop signal that arrives just before a loader starts
 * to wait. In front of nanosleep() and ppoll() it says "late-signal: now" on stderr and holds
 * the stop signals back for 3 s; then it lets them through as the loader had them, and makes
 * the loader's call. A signal sent in those 3 s is handled (or left pending) exactly where a
 * real Ctrl-C lands only by bad luck: after the loader's last look at its stop flag, before
 * its wait begins. Built by the test itself: it is no part of the course. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <poll.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

static void arrive_late(void)
{
	static const char now[] = "late-signal: now\n";
	struct timespec hold = { .tv_sec = 3 };
	sigset_t stop, as_it_was;

	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGHUP);
	sigprocmask(SIG_BLOCK, &stop, &as_it_was);
	if (write(STDERR_FILENO, now, sizeof(now) - 1) < 0)
		return;
	while (clock_nanosleep(CLOCK_MONOTONIC, 0, &hold, &hold))
		;	/* a signal that is not held back (SIGCHLD): sleep the rest */
	sigprocmask(SIG_SETMASK, &as_it_was, NULL);
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	arrive_late();
	return clock_nanosleep(CLOCK_REALTIME, 0, req, rem);
}

int ppoll(struct pollfd *fds, nfds_t nfds, const struct timespec *timeout,
	  const sigset_t *sigmask)
{
	int (*next)(struct pollfd *, nfds_t, const struct timespec *, const sigset_t *);

	*(void **)&next = dlsym(RTLD_NEXT, "ppoll");
	arrive_late();
	return next(fds, nfds, timeout, sigmask);
}
