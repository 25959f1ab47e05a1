// SPDX-License-Identifier: GPL-2.0
/* Tests for redirect.bpf.c that need real interfaces, in a network namespace of its own with three
 * veth pairs, a0-a1 and b0-b1 as a router's two sides (a0 198.51.100.1, b0 203.0.113.1, a static
 * neighbour 203.0.113.2 behind b0), and c0-c1 as an interface the loader was not given (c0
 * 192.0.2.1/25, a static neighbour 192.0.2.9):
 *
 * - redirect_fib with bpf_prog_test_run_opts: forwarded with the MACs the kernel's tables give;
 *   for the router itself, without a route, without a neighbour entry, with forwarding off, or
 *   routed out of c0, which is not in out_ports, passed to the stack unchanged;
 * - redirect with live frames (BPF_F_TEST_XDP_LIVE_FRAMES), where the kernel really carries the
 *   redirect out: towards b0 while it is down, every frame counted as an error (-ENETDOWN), never
 *   as redirected; with b0 up, every frame redirected and received on b1; while b1 has no NAPI
 *   (no GRO, no XDP program), errors again (-EOPNOTSUPP; before Linux 6.3, redirected and
 *   dropped by veth). */
#define _GNU_SOURCE		/* unshare */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <linux/if_ether.h>
#include <bpf/bpf.h>
#include "testing.h"
#include "stats.h"
#include "redirect.h"
#include "redirect.skel.h"

#define N 50		/* frames per live run */

static const __u8 a0_mac[6] = { 0x02, 0x00, 0xc0, 0x00, 0x02, 0x01 };
static const __u8 b0_mac[6] = { 0x02, 0x00, 0xcb, 0x00, 0x71, 0x01 };
static const __u8 b1_mac[6] = { 0x02, 0x00, 0xcb, 0x00, 0x71, 0x02 };
static struct redirect_bpf *skel;
static __u8 frame[PKT_MAX];
static struct xdp_result res;
static int a0, b0, b1;

static int sh(const char *cmd)
{
	int rc = system(cmd);

	if (rc)
		diag("'%s' failed (%d)", cmd, rc);
	return rc;
}

/* Two veth pairs in this namespace, IPv6 off so that nothing else crosses them. */
static int make_net(void)
{
	if (unshare(CLONE_NEWNET)) {
		diag("cannot make a network namespace: %s", strerror(errno));
		return -1;
	}
	if (sh("sysctl -qw net.ipv6.conf.all.disable_ipv6=1 "
	       "net.ipv6.conf.default.disable_ipv6=1") ||
	    sh("ip link add a0 address 02:00:c0:00:02:01 type veth peer name a1") ||
	    sh("ip link add b0 address 02:00:cb:00:71:01 type veth peer name b1 "
	       "address 02:00:cb:00:71:02") ||
	    sh("ip link add c0 type veth peer name c1") ||
	    sh("ip addr add 198.51.100.1/24 dev a0 && ip addr add 203.0.113.1/24 dev b0 && "
	       "ip addr add 192.0.2.1/25 dev c0") ||
	    sh("for i in a0 a1 b0 b1 c0 c1; do ip link set $i up || exit 1; done") ||
	    sh("ip neigh replace 203.0.113.2 lladdr 02:00:cb:00:71:02 dev b0 nud permanent") ||
	    sh("ip neigh replace 192.0.2.9 lladdr 02:00:c0:00:02:09 dev c0 nud permanent") ||
	    sh("sysctl -qw net.ipv4.conf.a0.forwarding=1"))
		return -1;
	a0 = if_nametoindex("a0");
	b0 = if_nametoindex("b0");
	b1 = if_nametoindex("b1");
	return a0 && b0 && b1 ? 0 : -1;
}

static int build_to(const char *daddr)
{
	struct pkt_spec s;

	pkt_spec_init(&s, ETH_P_IP, IPPROTO_UDP);
	inet_pton(AF_INET, "198.51.100.2", &s.saddr);
	inet_pton(AF_INET, daddr, &s.daddr);
	s.size = 100;
	return pkt_build(&s, frame, sizeof(frame));
}

static struct counters counters(void)
{
	struct counters c = { 0 };

	stats_percpu_sum(bpf_map__fd(skel->maps.counters), 0, &c, sizeof(c));
	return c;
}

static void zero_counters(void)
{
	static struct counters zero[1024];	/* one per possible CPU */
	__u32 port = 0;

	bpf_map__update_elem(skel->maps.counters, &port, sizeof(port), zero,
			     sizeof(zero[0]) * stats_ncpus(), BPF_ANY);
}

static void test_fib(void)
{
	int fd = bpf_program__fd(skel->progs.redirect_fib), len, err;
	static const struct {
		const char *daddr, *why;
	} pass[] = {
		{ "198.51.100.1", "the router's own address: local delivery" },
		{ "192.0.2.200", "no route" },
		{ "203.0.113.7", "no neighbour entry yet (the stack would ARP)" },
		{ "192.0.2.9", "routed out of c0, an interface not in out_ports" },
	};
	unsigned int i;

	len = build_to("203.0.113.2");
	zero_counters();
	err = xdp_run(fd, a0, frame, len, &res);
	ok(!err && res.verdict == XDP_REDIRECT && !memcmp(res.data, b1_mac, 6) &&
	   !memcmp(res.data + 6, b0_mac, 6) && res.data[ETH_HLEN + 8] == 63 &&
	   pkt_ipv4_csum_ok(res.data + ETH_HLEN) && counters().attempted == 1,
	   "fib: to 203.0.113.2, XDP_REDIRECT from b0's MAC to the neighbour's, TTL 63, checksum "
	   "valid");
	for (i = 0; i < sizeof(pass) / sizeof(pass[0]); i++) {
		len = build_to(pass[i].daddr);
		zero_counters();
		err = xdp_run(fd, a0, frame, len, &res);
		ok(!err && res.verdict == XDP_PASS && res.len == (__u32)len &&
		   !memcmp(res.data, frame, len) && counters().passed == 1 &&
		   counters().attempted == 0, "fib: to %s, %s: passed unchanged", pass[i].daddr,
		   pass[i].why);
	}
	sh("sysctl -qw net.ipv4.conf.a0.forwarding=0");
	len = build_to("203.0.113.2");
	zero_counters();
	err = xdp_run(fd, a0, frame, len, &res);
	ok(!err && res.verdict == XDP_PASS && !memcmp(res.data, frame, len) &&
	   counters().passed == 1, "fib: forwarding off on a0: passed unchanged (FWD_DISABLED)");
}

/* N frames of len bytes arriving on a0 through the program prog_fd, the kernel carrying each
 * redirect out (live frames). Returns 0 or -errno. */
static int live_run(int prog_fd, int len)
{
	struct xdp_md ctx = { .data_end = len, .ingress_ifindex = a0 };
	LIBBPF_OPTS(bpf_test_run_opts, opts,
		.data_in = frame,
		.data_size_in = len,
		.ctx_in = &ctx,
		.ctx_size_in = sizeof(ctx),
		.repeat = N,
		.flags = BPF_F_TEST_XDP_LIVE_FRAMES,
	);

	return bpf_prog_test_run_opts(prog_fd, &opts) ? -errno : 0;
}

/* N frames through the redirect program, the kernel carrying each redirect out. */
static int live(int len)
{
	int err;

	zero_counters();
	err = live_run(bpf_program__fd(skel->progs.redirect), len);
	if (err) {
		diag("  the live test run failed: %s", strerror(-err));
		return -1;
	}
	return 0;
}

static __s32 last_error(void)
{
	__u32 port = 0;
	__s32 last = 0;

	bpf_map__lookup_elem(skel->maps.last_error, &port, sizeof(port), &last, sizeof(last), 0);
	return last;
}

/* Is the running kernel MAJOR.MINOR or newer? */
static bool kernel_at_least(int major, int minor)
{
	struct utsname u;
	int ma = 0, mi = 0;

	if (uname(&u) || sscanf(u.release, "%d.%d", &ma, &mi) != 2)
		return true;
	return ma > major || (ma == major && mi >= minor);
}

static __u64 rx_packets(int ifindex)
{
	struct rtnl_link_stats64 st = { 0 };

	stats_link_read(ifindex, &st);
	return st.rx_packets;
}

static void test_live(void)
{
	struct route rt = { .in_ifindex = a0, .out_ifindex = b0 };
	__u32 slot = 0;
	__u64 before;
	int len = build_to("203.0.113.2");
	struct counters c;

	memcpy(rt.own_mac, a0_mac, 6);
	memcpy(rt.src_mac, b0_mac, 6);
	memcpy(rt.dst_mac, b1_mac, 6);
	if (bpf_map__update_elem(skel->maps.routes, &slot, sizeof(slot), &rt, sizeof(rt),
				 BPF_ANY)) {
		ok(false, "cannot fill the maps: %s", strerror(errno));
		return;
	}

	/* NAPI on b1 first: without it the kernel refuses before it looks at b0's state */
	sh("ethtool -K b1 gro on && ip link set b0 down");
	before = rx_packets(b1);
	c = live(len) ? (struct counters){ 0 } : counters();
	ok(c.failed == N && c.attempted == N && last_error() == -ENETDOWN,
	   "b0 down: %d frames, %d attempted, %d failed, last error -ENETDOWN (got %llu, %llu, %d)",
	   N, N, N, (unsigned long long)c.attempted, (unsigned long long)c.failed, last_error());
	is_u64(rx_packets(b1) - before, 0, "... b1 received none of them");

	sh("ip link set b0 up");
	before = rx_packets(b1);
	c = live(len) ? (struct counters){ 0 } : counters();
	ok(c.attempted == N && c.failed == 0 && c.passed == 0,
	   "b0 up again, GRO on b1: %d frames attempted, 0 failed (got %llu, %llu)", N,
	   (unsigned long long)c.attempted, (unsigned long long)c.failed);
	is_u64(rx_packets(b1) - before, N, "... and b1 received all %d", N);

	sh("ethtool -K b1 gro off");
	before = rx_packets(b1);
	c = live(len) ? (struct counters){ 0 } : counters();
	/* Since 6.3 veth says it takes XDP frames only while its peer has NAPI; 6.1 (Debian 12's,
	 * the emulated ARM kernels of arm/run) takes them, and drops them where no error shows. */
	if (kernel_at_least(6, 3))
		ok(c.failed == N && c.attempted == N && last_error() == -EOPNOTSUPP,
		   "b1 without GRO or XDP (no NAPI): %d failed, last error -EOPNOTSUPP (got %llu, "
		   "%llu, %d)", N, (unsigned long long)c.failed, (unsigned long long)c.attempted,
		   last_error());
	else
		ok(c.failed == 0 && c.attempted == N,
		   "b1 without GRO or XDP (no NAPI), before Linux 6.3: %d attempted, 0 failed (got "
		   "%llu, %llu)", N, (unsigned long long)c.attempted, (unsigned long long)c.failed);
	is_u64(rx_packets(b1) - before, 0, "... b1 received none of them");
}

/* Another program's failed redirect is not ours to count. A second copy of the object, with
 * maps of its own, redirects towards b0 while it is down; our tracepoint program sees those
 * failures, on this CPU, right after our own program asked for a redirect that a test run
 * never carries out. None may be counted here: a failure subtracted from a redirect that is
 * not there would make "redirected" wrap to 2^64 - 1. */
static void test_foreign(void)
{
	struct route rt = { .in_ifindex = a0, .out_ifindex = b0 };
	struct redirect_bpf *other = redirect_bpf__open_and_load();
	__u32 slot = 0;
	struct counters c;
	int len = build_to("203.0.113.2"), err;

	memcpy(rt.own_mac, a0_mac, 6);
	memcpy(rt.src_mac, b0_mac, 6);
	memcpy(rt.dst_mac, b1_mac, 6);
	if (!other ||
	    bpf_map__update_elem(other->maps.routes, &slot, sizeof(slot), &rt, sizeof(rt),
				 BPF_ANY) ||
	    bpf_map__update_elem(other->maps.out_ports, &b0, sizeof(b0), &b0, sizeof(b0),
				 BPF_ANY) ||
	    bpf_map__update_elem(other->maps.out_slots, &b0, sizeof(b0), &slot, sizeof(slot),
				 BPF_ANY)) {
		ok(false, "a second copy of the program: %s", strerror(errno));
		redirect_bpf__destroy(other);
		return;
	}
	err = xdp_run(bpf_program__fd(skel->progs.redirect), a0, frame, len, &res);
	zero_counters();
	sh("ip link set b0 down");
	if (!err)
		err = live_run(bpf_program__fd(other->progs.redirect), len);
	sh("ip link set b0 up");
	c = counters();
	if (err || res.verdict != XDP_REDIRECT)
		diag("  error %d, our verdict %s", err, xdp_action_name(res.verdict));
	ok(!err && res.verdict == XDP_REDIRECT && c.attempted == 0 && c.failed == 0 &&
	   c.passed == 0, "%d failed redirects of another program, on the CPU where ours asked "
	   "for one: not counted (attempted %llu, failed %llu)", N,
	   (unsigned long long)c.attempted, (unsigned long long)c.failed);
	redirect_bpf__destroy(other);
}

int main(void)
{
	struct bpf_map_info info = { 0 };
	__u32 info_len = sizeof(info), slot = 0;
	struct bpf_link *failed;

	tap_require_root();
	/* one CPU for every test run: the tracepoint fires on the CPU that ran the program */
	if (sched_setaffinity(0, sizeof(cpu_set_t), &(cpu_set_t){ { 1 } }))
		diag("cannot stay on CPU 0: %s", strerror(errno));
	if (make_net())
		tap_skip_all("cannot build the test's network (ip, sysctl, ethtool)");
	skel = redirect_bpf__open_and_load();
	if (!skel) {
		diag("cannot load redirect.bpf.o: %s", strerror(errno));
		return 1;
	}
	{
		/* --fib: the route in port 0's slot names a0 and its own MAC; b0 is the only way
		 * out */
		struct route rt = { .in_ifindex = a0 };

		memcpy(rt.own_mac, a0_mac, 6);
		if (bpf_map__update_elem(skel->maps.routes, &slot, sizeof(slot), &rt, sizeof(rt),
					 BPF_ANY) ||
		    bpf_map__update_elem(skel->maps.out_ports, &b0, sizeof(b0), &b0, sizeof(b0),
					 BPF_ANY) ||
		    bpf_map__update_elem(skel->maps.out_slots, &b0, sizeof(b0), &slot, sizeof(slot),
					 BPF_ANY) ||
		    bpf_obj_get_info_by_fd(bpf_map__fd(skel->maps.out_ports), &info, &info_len)) {
			diag("cannot fill the maps: %s", strerror(errno));
			return 1;
		}
		skel->bss->out_ports_id = info.id;
	}
	test_fib();

	failed = bpf_program__attach(skel->progs.redirect_failed);
	if (!failed)
		ok(false, "attach the xdp_redirect_err tracepoint program: %s", strerror(errno));
	else {
		test_live();
		test_foreign();
	}
	bpf_link__destroy(failed);
	redirect_bpf__destroy(skel);
	return tap_done();
}
