// SPDX-License-Identifier: GPL-2.0
/* Unit tests for count_packets.bpf.c: every frame passes unchanged, and after K frames of known
 * sizes the per-CPU counters hold exactly K packets and the sum of their lengths, all of it in
 * the copy of the CPU the frames ran on. */
#define _GNU_SOURCE		/* sched_setaffinity, CPU_SET */
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_ether.h>
#include <netinet/in.h>
#include <bpf/bpf.h>
#include "testing.h"
#include "stats.h"
#include "count_packets.h"
#include "count_packets.skel.h"

struct frame {
	const char *what;
	__u16 eth_proto;
	__u8 ip_proto;
	int vlans;
	__u32 size;		/* 0: headers only */
	__u32 cut;		/* keep only this many bytes; 0: all */
};

static const struct frame frames[] = {
	{ "Ethernet header alone", ETH_P_IP, IPPROTO_UDP, 0, 0, 14 },
	{ "arp request", ETH_P_ARP, 0, 0, 0, 0 },
	{ "udp/ipv4, headers only", ETH_P_IP, IPPROTO_UDP, 0, 0, 0 },
	{ "udp/ipv4, minimum Ethernet frame", ETH_P_IP, IPPROTO_UDP, 0, 60, 0 },
	{ "icmp echo, ping-sized", ETH_P_IP, IPPROTO_ICMP, 0, 98, 0 },
	{ "tcp syn, 333 bytes", ETH_P_IP, IPPROTO_TCP, 0, 333, 0 },
	{ "udp/ipv6, 1000 bytes", ETH_P_IPV6, IPPROTO_UDP, 0, 1000, 0 },
	{ "udp/ipv4, full 1500-byte MTU", ETH_P_IP, IPPROTO_UDP, 0, 1514, 0 },
	{ "udp/ipv4 in an 802.1Q tag, full MTU", ETH_P_IP, IPPROTO_UDP, 1, 1518, 0 },
	{ "unknown EtherType, 61 bytes", 0x88b5, 0, 0, 61, 0 },
	{ "udp/ipv4 cut inside the IPv4 header", ETH_P_IP, IPPROTO_UDP, 0, 0, 20 },
};

#define NFRAMES (sizeof(frames) / sizeof(frames[0]))

static int build(const struct frame *f, __u8 *buf)
{
	struct pkt_spec spec;
	int len;

	pkt_spec_init(&spec, f->eth_proto, f->ip_proto);
	spec.vlans = f->vlans;
	spec.vlan_id[0] = 100;
	spec.size = f->size;
	len = pkt_build(&spec, buf, PKT_MAX);
	return f->cut && (int)f->cut < len ? (int)f->cut : len;
}

static struct counters sum(int map_fd)
{
	struct counters c = { 0 };
	int err = stats_percpu_sum(map_fd, 0, &c, sizeof(c));

	if (err)
		diag("  reading the map failed: %s", strerror(-err));
	return c;
}

/* Run on this CPU only from now on: a test run happens on the CPU that asks for it. */
static int pin_to(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

int main(void)
{
	static __u8 buf[PKT_MAX];
	static struct xdp_result res;
	struct count_packets_bpf *skel;
	struct counters *copies = NULL, c;
	int ncpus, cpus[2], ncpus_allowed = 0, map_fd, prog_fd, len, err, cpu;
	__u64 bytes = 0;
	cpu_set_t allowed;
	size_t i;

	tap_require_root();
	skel = count_packets_bpf__open_and_load();
	if (!ok(skel != NULL, "count_packets.bpf.o loads into the kernel"))
		return tap_done();
	map_fd = bpf_map__fd(skel->maps.stats);
	prog_fd = bpf_program__fd(skel->progs.count_packets);
	ok(bpf_map__type(skel->maps.stats) == BPF_MAP_TYPE_PERCPU_ARRAY,
	   "the counters are a per-CPU array");
	ncpus = stats_ncpus();
	copies = calloc(ncpus > 0 ? ncpus : 1, sizeof(*copies));

	/* Two CPUs we may run on: the frames go to the first, a second batch to the other. */
	sched_getaffinity(0, sizeof(allowed), &allowed);
	for (cpu = 0; cpu < CPU_SETSIZE && ncpus_allowed < 2; cpu++)
		if (CPU_ISSET(cpu, &allowed))
			cpus[ncpus_allowed++] = cpu;
	if (!ok(pin_to(cpus[0]) == 0, "the test runs on CPU %d", cpus[0]))
		goto out;

	c = sum(map_fd);
	is_u64(c.packets + c.bytes, 0, "before any frame, the counters are 0");

	for (i = 0; i < NFRAMES; i++) {
		const struct frame *f = &frames[i];

		len = build(f, buf);
		err = xdp_run(prog_fd, 1, buf, len, &res);
		if (!ok(err == 0, "%s (%d bytes): the test run works", f->what, len))
			continue;
		ok(res.verdict == XDP_PASS, "%s: XDP_PASS (got %s)", f->what,
		   xdp_action_name(res.verdict));
		ok(res.len == (__u32)len && !memcmp(res.data, buf, len), "%s: frame unchanged",
		   f->what);
		bytes += len;
		c = sum(map_fd);
		is_u64(c.packets, i + 1, "%s: packets is %zu", f->what, i + 1);
		is_u64(c.bytes, bytes, "%s: bytes is %llu", f->what, (unsigned long long)bytes);
	}
	c = sum(map_fd);
	is_u64(c.packets, NFRAMES, "after %zu frames: exactly %zu packets", NFRAMES, NFRAMES);
	is_u64(c.bytes, bytes, "after %zu frames: exactly %llu bytes, the sum of their lengths",
	       NFRAMES, (unsigned long long)bytes);

	/* Where the counts are: all of them in the copy of the CPU the frames ran on. */
	if (ok(stats_percpu_read(map_fd, 0, copies, sizeof(*copies)) == 0,
	       "the %d per-CPU copies read", ncpus)) {
		int others = 0;

		for (cpu = 0; cpu < ncpus; cpu++)
			if (cpu != cpus[0] && (copies[cpu].packets || copies[cpu].bytes))
				others++;
		is_u64(copies[cpus[0]].packets, NFRAMES, "CPU %d's copy holds all %zu packets",
		       cpus[0], NFRAMES);
		is_u64(others, 0, "every other CPU's copy is 0");
	}

	/* A thousand runs of one frame in a single call, on the second CPU if we may use one:
	 * that CPU's copy counts them, and the sum counts everything. */
	if (ncpus_allowed == 2 && !ok(pin_to(cpus[1]) == 0, "now on CPU %d", cpus[1]))
		goto out;
	{
		LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = buf, .repeat = 1000);

		len = build(&frames[4], buf);	/* 98-byte echo request */
		opts.data_size_in = len;
		err = bpf_prog_test_run_opts(prog_fd, &opts);
		ok(err == 0 && opts.retval == XDP_PASS, "1000 repeats of a %d-byte frame: XDP_PASS",
		   len);
	}
	c = sum(map_fd);
	is_u64(c.packets, NFRAMES + 1000, "then the sum is %zu packets", NFRAMES + 1000);
	is_u64(c.bytes, bytes + 1000ULL * len, "and %llu bytes",
	       (unsigned long long)(bytes + 1000ULL * len));
	if (ncpus_allowed == 2 && stats_percpu_read(map_fd, 0, copies, sizeof(*copies)) == 0) {
		is_u64(copies[cpus[1]].packets, 1000, "CPU %d's copy holds the 1000", cpus[1]);
		is_u64(copies[cpus[0]].packets, NFRAMES, "CPU %d's copy still holds %zu", cpus[0],
		       NFRAMES);
	} else if (ncpus_allowed < 2) {
		diag("only one CPU to run on: the two-CPU checks were left out");
	}
out:
	free(copies);
	count_packets_bpf__destroy(skel);
	return tap_done();
}
