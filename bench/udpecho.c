// SPDX-License-Identifier: GPL-2.0
/* udpecho: a UDP echo server the ordinary way, to measure 06-af-xdp's xsk_echo against. A UDP
 * socket; datagrams taken in batches with recvmmsg() and sent back to their senders with
 * sendmmsg(), one system call each way per batch; the kernel's stack does everything else
 * (checksums, routing, ARP). bench/run's echo table runs it in a lab of its own; it is not a
 * lesson. Prints what it echoed when --duration ends or at Ctrl-C. */
#define _GNU_SOURCE		/* recvmmsg, sendmmsg */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "loader.h"

#define BATCH	64
#define MAXLEN	2048

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char **argv)
{
	static char bufs[BATCH][MAXLEN];
	static const struct option longopts[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "duration", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL },
	};
	struct sockaddr_in6 addr = { .sin6_family = AF_INET6 }, from[BATCH];
	struct timeval tick = { .tv_usec = 100000 };	/* look at the clock 10 times a second */
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	unsigned long long echoed = 0;
	double duration = 0, start, deadline;
	long port = 7;
	int fd, c, n, i, sent;
	char *end;

	while ((c = getopt_long(argc, argv, "p:d:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			port = strtol(optarg, &end, 10);
			if (*end || port < 1 || port > 65535) {
				fprintf(stderr, "udpecho: --port wants 1 to 65535, not '%s'\n",
					optarg);
				return EXIT_USAGE;
			}
			break;
		case 'd':
			if (loader_parse_seconds(optarg, &duration)) {
				fprintf(stderr, "udpecho: --duration wants seconds, not '%s'\n",
					optarg);
				return EXIT_USAGE;
			}
			break;
		case 'h':
			printf("Usage: udpecho [-p PORT] [-d SECONDS]\nEcho UDP datagrams on PORT "
			       "(default 7) with recvmmsg()/sendmmsg(), for bench/run.\n");
			return EXIT_OK;
		default:
			fprintf(stderr, "udpecho: see udpecho --help\n");
			return EXIT_USAGE;
		}
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	/* IPv6 with IPV6_V6ONLY off takes IPv4 too, as ::ffff:a.b.c.d */
	fd = socket(AF_INET6, SOCK_DGRAM, 0);
	addr.sin6_port = htons((__u16)port);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tick, sizeof(tick)) ||
	    bind(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		fprintf(stderr, "udpecho: cannot listen on UDP port %ld: %s\n", port,
			strerror(errno));
		return EXIT_FAIL;
	}
	printf("udpecho: echoing UDP port %ld\n", port);
	fflush(stdout);
	start = loader_now();
	deadline = duration ? start + duration : 0;
	while (!stop && (!deadline || loader_now() < deadline)) {
		for (i = 0; i < BATCH; i++) {
			iov[i] = (struct iovec){ bufs[i], MAXLEN };
			msgs[i].msg_hdr = (struct msghdr){
				.msg_name = &from[i], .msg_namelen = sizeof(from[i]),
				.msg_iov = &iov[i], .msg_iovlen = 1,
			};
		}
		/* all that is waiting, up to BATCH, once one has come */
		n = recvmmsg(fd, msgs, BATCH, MSG_WAITFORONE, NULL);
		if (n <= 0)
			continue;	/* the tick, or a signal */
		/* the same bytes back, to the sender */
		for (i = 0; i < n; i++)
			iov[i].iov_len = msgs[i].msg_len;
		sent = sendmmsg(fd, msgs, (unsigned int)n, 0);
		if (sent > 0)
			echoed += (unsigned long long)sent;
	}
	printf("udpecho: echoed %llu datagrams in %.3f s\n", echoed, loader_now() - start);
	close(fd);
	return EXIT_OK;
}
