// SPDX-License-Identifier: GPL-2.0
/* livegen: make bench's traffic generator. It sends valid UDP/IPv4 frames out of one interface
 * for a given time, as fast as one CPU can, with the kernel's live-frames test run: the kernel
 * builds each frame from a template in a recycled page, runs livegen.bpf.c on it, and transmits
 * it through the driver's ndo_xdp_xmit. On a veth that reaches several million frames a second
 * where a packet socket (lab/xmit) reaches well under one million.
 *
 * What it prints is what it offered. A receiver that cannot keep up drops the rest at its door
 * (a veth's ring is 256 frames), so the bench counts what arrived on the receiving side. */
#define _GNU_SOURCE		/* sched_setaffinity */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/if_ether.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "loader.h"		/* loader_now(), loader_parse_seconds(), loader_check_privileges() */
#include "packets.h"
#include "bench.h"
#include "livegen.skel.h"

/* A test run with more than one repeat puts its program in the kernel's XDP dispatcher, and
 * takes it out again at the end, unless the dispatcher holds it already; each change waits for
 * an RCU grace period: 20 ms on a quiet machine, seconds on a busy one, during which nothing is
 * sent. --park IFACE avoids that: it keeps the program attached to an interface that receives
 * nothing, so the dispatcher holds it throughout. Without it, runs are sized to last what is
 * left of --duration (the first, short one measures the speed), so that the waits are few.
 * With it, runs stay short, so that the generator stops on time even when other tasks take
 * the CPU: a run cannot be cut short by the clock, only by a signal. */
#define FIRST_RUN	(1 << 16)	/* frames */
#define PARKED_RUN	0.05		/* seconds */

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: livegen -i IFACE [options]\n"
		"Send UDP/IPv4 frames out of IFACE for a while, as fast as one CPU can, with\n"
		"the kernel's live-frames test run (BPF_F_TEST_XDP_LIVE_FRAMES, Linux 5.18).\n\n"
		"  -i, --iface IFACE       send out of this interface (required)\n"
		"  -d, --duration SECONDS  send for this long (default 1)\n"
		"  -s, --size BYTES        frame length, FCS not counted (default 60, the\n"
		"                          shortest Ethernet frame)\n"
		"      --src ADDR          IPv4 source (default 192.0.2.2, the lab's peer)\n"
		"      --dst ADDR          IPv4 destination (default 192.0.2.1, the lab's host)\n"
		"      --dst-mac MAC       destination MAC (default the lab host's)\n"
		"      --park IFACE        keep the program attached to IFACE, which must be\n"
		"                          down, so that test runs need no RCU grace period\n"
		"                          (make bench gives it a veth pair of its own)\n"
		"      --cpu N             run on CPU N (default: where the scheduler puts it)\n"
		"  -h, --help              print this help\n\n"
		"It prints one line: the frames it offered to IFACE's driver, their rate, and\n"
		"the CPU time it had. What the receiver could not take is dropped there:\n"
		"count what arrived on its side.\n");
}

/* This thread's CPU time, in seconds. The receiver's work runs here too, in the softirq that
 * the sending raised, unless the kernel hands it to ksoftirqd. */
static double cpu_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Attach prog to park, an interface that is down and so receives nothing, for as long as the
 * link lives. Returns the link, or NULL after saying why not. */
static struct bpf_link *park_at(const struct bpf_program *prog, const char *park)
{
	struct ifreq ifr = { 0 };
	struct bpf_link *link;
	int fd, up, ifindex = if_nametoindex(park);

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", park);
	up = fd < 0 || !ifindex || ioctl(fd, SIOCGIFFLAGS, &ifr) ? -1 : ifr.ifr_flags & IFF_UP;
	if (fd >= 0)
		close(fd);
	if (up) {
		fprintf(stderr, "livegen: --park %s: %s\n", park,
			up < 0 ? "no such interface here" :
			"it is up; it must be down, or every frame it receives is sent again");
		return NULL;
	}
	link = bpf_program__attach_xdp(prog, ifindex);
	if (!link)
		fprintf(stderr, "livegen: --park %s: cannot attach there: %s\n", park,
			strerror(errno));
	return link;
}

static long number(const char *arg, long min, long max, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 0);
	if (errno || end == arg || *end || v < min || v > max) {
		fprintf(stderr, "livegen: %s wants a number from %ld to %ld, not '%s'\n", what, min,
			max, arg);
		exit(EXIT_USAGE);
	}
	return v;
}

static int own_mac(const char *ifname, __u8 mac[6])
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM, 0), err;

	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	err = ioctl(fd, SIOCGIFHWADDR, &ifr) ? -errno : 0;
	close(fd);
	if (!err)
		memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	return err;
}

int main(int argc, char **argv)
{
	enum { O_SRC = 256, O_DST, O_DMAC, O_PARK, O_CPU };
	static const struct option opts[] = {
		{ "iface", required_argument, NULL, 'i' },
		{ "duration", required_argument, NULL, 'd' },
		{ "size", required_argument, NULL, 's' },
		{ "src", required_argument, NULL, O_SRC },
		{ "dst", required_argument, NULL, O_DST },
		{ "dst-mac", required_argument, NULL, O_DMAC },
		{ "park", required_argument, NULL, O_PARK },
		{ "cpu", required_argument, NULL, O_CPU },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	static __u8 frame[PKT_MAX];
	const char *ifname = NULL, *park = NULL;
	struct bpf_link *parked = NULL;
	double duration = 1, start, elapsed, on_cpu;
	unsigned long long sent = 0, frames;
	struct livegen_bpf *skel = NULL;
	struct pkt_spec spec;
	struct xdp_md ctx = { 0 };
	struct in_addr *addr;
	int c, len, err, cpu = -1;

	pkt_spec_init(&spec, ETH_P_IP, IPPROTO_UDP);
	spec.size = ETH_ZLEN;
	while ((c = getopt_long(argc, argv, "i:d:s:h", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			ifname = optarg;
			break;
		case 'd':
			if (loader_parse_seconds(optarg, &duration)) {
				fprintf(stderr, "livegen: --duration wants seconds > 0, not '%s'\n",
					optarg);
				return EXIT_USAGE;
			}
			break;
		case 's':
			/* the program writes HEAD_LEN bytes back; a page holds the frame */
			spec.size = number(optarg, HEAD_LEN, 3000, "--size");
			break;
		case O_SRC:
		case O_DST:
			addr = c == O_SRC ? &spec.saddr : &spec.daddr;
			if (inet_pton(AF_INET, optarg, addr) != 1) {
				fprintf(stderr, "livegen: '%s' is not an IPv4 address\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case O_DMAC:
			if (pkt_parse_mac(optarg, spec.dst_mac)) {
				fprintf(stderr, "livegen: '%s' is not a MAC address\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case O_PARK:
			park = optarg;
			break;
		case O_CPU:
			cpu = number(optarg, 0, CPU_SETSIZE - 1, "--cpu");
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (!ifname || optind < argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!loader_check_privileges("livegen", 0))
		return EXIT_FAIL;
	ctx.ingress_ifindex = if_nametoindex(ifname);
	if (!ctx.ingress_ifindex || own_mac(ifname, spec.src_mac)) {
		fprintf(stderr, "livegen: no interface named '%s' here (see `ip link`)\n", ifname);
		return EXIT_FAIL;
	}
	if (cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set)) {
			fprintf(stderr, "livegen: cannot run on CPU %d: %s\n", cpu,
				strerror(errno));
			return EXIT_FAIL;
		}
	}
	len = pkt_build(&spec, frame, sizeof(frame));
	ctx.data_end = len;

	skel = livegen_bpf__open();
	if (!skel) {
		fprintf(stderr, "livegen: cannot open the generator's program: %s\n",
			strerror(errno));
		return EXIT_FAIL;
	}
	memcpy(skel->bss->head.word, frame, HEAD_LEN);
	err = livegen_bpf__load(skel);
	if (err) {
		fprintf(stderr, "livegen: loading the generator's program failed: %s\n",
			strerror(-err));
		goto cleanup;
	}

	if (park) {
		parked = park_at(skel->progs.gen, park);
		if (!parked) {
			err = -EINVAL;
			goto cleanup;
		}
	}

	start = loader_now();
	on_cpu = cpu_seconds();
	for (frames = FIRST_RUN; frames; ) {
		LIBBPF_OPTS(bpf_test_run_opts, run,
			.data_in = frame,
			.data_size_in = len,
			.ctx_in = &ctx,
			.ctx_size_in = sizeof(ctx),
			.repeat = frames,
			.flags = BPF_F_TEST_XDP_LIVE_FRAMES,
		);
		double left;

		err = bpf_prog_test_run_opts(bpf_program__fd(skel->progs.gen), &run);
		if (err) {
			err = -errno;
			fprintf(stderr, "livegen: the live-frames test run failed: %s%s\n",
				strerror(-err),
				err == -EINVAL ? " (it needs Linux 5.18 or later)" : "");
			goto cleanup;
		}
		sent += frames;
		/* the kernel timed the sending alone: ns per frame, setup and teardown left out */
		left = duration - (loader_now() - start);
		if (parked && left > PARKED_RUN)
			left = PARKED_RUN;
		frames = left <= 0 ? 0 : left * 1e9 / (run.duration ? run.duration : 1);
		if (frames > INT_MAX)
			frames = INT_MAX;
		else if (frames && frames < FIRST_RUN)
			frames = FIRST_RUN;
	}
	elapsed = loader_now() - start;
	on_cpu = cpu_seconds() - on_cpu;
	printf("livegen: sent %llu %d-byte frames in %.3f s (%.0f frames/s) out of %s; %.3f s on "
	       "the CPU\n", sent, len, elapsed, sent / elapsed, ifname, on_cpu);

cleanup:
	bpf_link__destroy(parked);
	livegen_bpf__destroy(skel);
	return err ? EXIT_FAIL : EXIT_OK;
}
