// SPDX-License-Identifier: GPL-2.0
/* Fuzz parse_ipv4.bpf.c: 120,000 frames, random and mutated, through bpf_prog_test_run_opts.
 * Whatever the bytes, the program must never abort (XDP_ABORTED), every frame must land under
 * exactly one counter, and the counters must add up to exactly the number of frames.
 *
 * Each frame is also classified by a model written here from the rules, byte offsets and
 * all, independently of common/parsing.h: the verdict must match it frame by frame, and the
 * counter it names must be the one that goes up.
 *
 * The run is reproducible: FUZZ_SEED=N picks another sequence, FUZZ_FRAMES=N another length. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <bpf/bpf.h>
#include "testing.h"
#include "stats.h"
#include "parse_ipv4.h"
#include "parse_ipv4.skel.h"

#define DEFAULT_FRAMES	120000
#define DEFAULT_SEED	20240404ULL
#define MAX_LEN		1514

static const char *const names[COUNT_MAX] = COUNTER_NAMES;
static const char *const blocked_addrs[] = { "192.0.2.3", "198.51.100.7", "203.0.113.255" };
static __u32 blocked[3];	/* the same, network byte order */

static __u64 rng_state;

/* splitmix64: small, fast, and the same sequence on every machine for a given seed */
static __u64 rnd(void)
{
	__u64 z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static __u32 below(__u32 n)
{
	return (__u32)(rnd() % n);
}

static __u16 get16(const __u8 *p)
{
	return (__u16)(p[0] << 8 | p[1]);
}

/* The rules of parse_ipv4.bpf.c, spelled out on bytes. */
static enum counter model(const __u8 *f, __u32 len)
{
	__u32 off = ETH_HLEN, hdr_len, tot_len, l4;
	__u16 type;
	int i;

	if (len < ETH_HLEN)
		return COUNT_MALFORMED;
	type = get16(f + 12);
	for (i = 0; i < 2 && (type == ETH_P_8021Q || type == ETH_P_8021AD); i++) {
		if (len < off + 4)
			return COUNT_MALFORMED;
		type = get16(f + off + 2);
		off += 4;
	}
	if (type == ETH_P_IPV6)
		return COUNT_IPV6;
	if (type == ETH_P_ARP)
		return COUNT_ARP;
	if (type != ETH_P_IP)
		return COUNT_OTHER;
	if (len < off + 20 || f[off] >> 4 != 4)
		return COUNT_MALFORMED;
	hdr_len = (f[off] & 0x0f) * 4;
	tot_len = get16(f + off + 2);
	if (hdr_len < 20 || tot_len < hdr_len || tot_len > len - off)
		return COUNT_MALFORMED;
	for (i = 0; i < 3; i++)
		if (!memcmp(f + off + 12, &blocked[i], 4))
			return COUNT_BLOCKED;
	if (get16(f + off + 6) & 0x1fff)
		return COUNT_FRAGMENT;
	l4 = tot_len - hdr_len;		/* the transport header must be inside the datagram */
	off += hdr_len;
	switch (f[off - hdr_len + 9]) {
	case IPPROTO_TCP:
		if (l4 < 20 || (f[off + 12] >> 4) < 5 || (__u32)(f[off + 12] >> 4) * 4 > l4)
			return COUNT_MALFORMED;
		return COUNT_TCP;
	case IPPROTO_UDP:
		return l4 < 8 ? COUNT_MALFORMED : COUNT_UDP;
	case IPPROTO_ICMP:
		return l4 < 8 ? COUNT_MALFORMED : COUNT_ICMP;
	}
	return COUNT_IP_OTHER;
}

/* A valid frame of a random kind, then a few random changes: most land in the headers. */
static __u32 mutated_frame(__u8 *f)
{
	static const __u16 types[] = { ETH_P_IP, ETH_P_IP, ETH_P_IP, ETH_P_IP, ETH_P_IP,
				       ETH_P_IP, ETH_P_IPV6, ETH_P_ARP, 0x88b5, ETH_P_8021Q };
	static const __u8 protos[] = { IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP, 47, 132 };
	struct pkt_spec s;
	int len, n, i;
	__u16 type;

	/* One below() per statement: C leaves the order of a call's arguments open, and the
	 * sequence must be the same whatever the compiler. */
	type = types[below(sizeof(types) / sizeof(types[0]))];
	pkt_spec_init(&s, type, protos[below(5)]);
	s.vlans = below(3);
	for (i = 0; i < s.vlans; i++)
		s.vlan_tpid[i] = below(2) ? ETH_P_8021Q : ETH_P_8021AD;
	s.ihl = below(4) ? 5 + below(11) : below(16);
	if (!below(4)) {
		s.frag = below(2) << 13;			/* more fragments, or not */
		if (below(2))
			s.frag |= 1 + below(0x1fff);		/* a later fragment */
	}
	if (!below(4))
		memcpy(&s.saddr, &blocked[below(3)], 4);
	if (!below(8))
		s.len_delta = (int)below(64) - 32;
	if (!below(8))
		s.ip_version = below(16);
	s.size = below(2) ? 0 : below(MAX_LEN + 1);
	len = pkt_build(&s, f, MAX_LEN);
	if (len < 0)
		return 0;
	for (n = below(4); n > 0; n--) {
		__u32 at = below(3) ? below(len < 64 ? len : 64) : below(len);

		f[at] = below(2) ? (__u8)rnd() : f[at] ^ (1 << below(8));
	}
	if (!below(4))
		len = ETH_HLEN + below(len - ETH_HLEN + 1);	/* truncate, keep >= 14 */
	return len;
}

/* Random bytes, but with an EtherType worth following half of the time. */
static __u32 random_frame(__u8 *f)
{
	static const __u16 types[] = { ETH_P_IP, ETH_P_8021Q, ETH_P_8021AD, ETH_P_IPV6, ETH_P_ARP };
	__u32 len = ETH_HLEN + below(below(4) ? 80 : MAX_LEN - ETH_HLEN + 1), i;

	for (i = 0; i < len; i++)
		f[i] = (__u8)rnd();
	if (below(2)) {
		__u16 t = htons(types[below(5)]);

		memcpy(f + 12, &t, 2);
		if (len > ETH_HLEN && below(2))
			f[ETH_HLEN] = 0x40 | (f[ETH_HLEN] & 0x0f);	/* version 4, any IHL */
	}
	return len;
}

static int read_counters(int map_fd, __u64 *sum)
{
	__u32 key;
	int err;

	for (key = 0; key < COUNT_MAX; key++) {
		err = stats_percpu_sum(map_fd, key, &sum[key], sizeof(sum[key]));
		if (err)
			return err;
	}
	return 0;
}

static void hexdump(const __u8 *f, __u32 len)
{
	char line[3 * 32 + 1];
	__u32 i;

	for (i = 0; i < len; i++) {
		sprintf(line + 3 * (i % 32), "%02x ", f[i]);
		if (i % 32 == 31 || i == len - 1)
			diag("  %s", line);
	}
}

static unsigned long env_number(const char *name, unsigned long def)
{
	const char *v = getenv(name);

	return v && *v ? strtoul(v, NULL, 0) : def;
}

int main(void)
{
	static __u8 f[PKT_MAX];
	static struct xdp_result res;
	__u64 want[COUNT_MAX] = { 0 }, got[COUNT_MAX], verdicts[5] = { 0 }, total = 0, seed;
	unsigned long frames = env_number("FUZZ_FRAMES", DEFAULT_FRAMES), n, random_frames = 0;
	unsigned long wrong_verdict = 0, wrong_counter = 0, run_errors = 0;
	struct parse_ipv4_bpf *skel;
	int prog_fd, map_fd, i;
	struct timespec t0, t1;
	__u8 one = 1;

	tap_require_root();
	seed = env_number("FUZZ_SEED", DEFAULT_SEED);
	rng_state = seed;
	skel = parse_ipv4_bpf__open_and_load();
	if (!ok(skel != NULL, "parse_ipv4.bpf.o loads"))
		return tap_done();
	for (i = 0; i < 3; i++) {
		inet_pton(AF_INET, blocked_addrs[i], &blocked[i]);
		bpf_map__update_elem(skel->maps.blocklist, &blocked[i], 4, &one, 1, BPF_ANY);
	}
	prog_fd = bpf_program__fd(skel->progs.parse_ipv4);
	map_fd = bpf_map__fd(skel->maps.counters);
	diag("%lu frames, seed %llu (FUZZ_SEED, FUZZ_FRAMES change them)", frames,
	     (unsigned long long)seed);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (n = 0; n < frames; n++) {
		bool is_random = below(4) == 0;
		__u32 len = is_random ? random_frame(f) : mutated_frame(f);
		__u32 want_verdict;
		enum counter c;
		__u64 before;

		if (len < ETH_HLEN) {		/* the builder refused: cannot happen, but */
			n--;
			continue;
		}
		random_frames += is_random;
		c = model(f, len);
		if (stats_percpu_sum(map_fd, c, &before, sizeof(before)) ||
		    xdp_run(prog_fd, 1, f, len, &res) ||
		    stats_percpu_sum(map_fd, c, &got[c], sizeof(got[c]))) {
			if (run_errors++ < 3)
				diag("frame %lu: the test run or a map read failed: %s", n,
				     strerror(errno));
			continue;
		}
		want[c]++;
		verdicts[res.verdict < 5 ? res.verdict : XDP_ABORTED]++;
		want_verdict = c == COUNT_BLOCKED ? XDP_DROP : XDP_PASS;
		if (res.verdict != want_verdict && wrong_verdict++ < 3) {
			diag("frame %lu (%u bytes): %s, the model says %s", n, len,
			     xdp_action_name(res.verdict), names[c]);
			hexdump(f, len < 96 ? len : 96);
		}
		if (got[c] != before + 1 && wrong_counter++ < 3) {
			diag("frame %lu (%u bytes): counter %s did not go up by one", n, len,
			     names[c]);
			hexdump(f, len < 96 ? len : 96);
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);

	is_u64(run_errors, 0, "every test run and map read works");
	is_u64(verdicts[XDP_ABORTED], 0, "no frame gets XDP_ABORTED");
	is_u64(wrong_verdict, 0, "every verdict is the model's: XDP_DROP for a blocked source, "
	       "else XDP_PASS");
	is_u64(wrong_counter, 0, "for every frame, the counter the model names goes up by one");
	if (!ok(read_counters(map_fd, got) == 0, "the counters can be read"))
		goto out;
	for (i = 0; i < COUNT_MAX; i++) {
		total += got[i];
		is_u64(got[i], want[i], "%s: %llu frames, as the model says", names[i],
		       (unsigned long long)want[i]);
	}
	is_u64(total, frames, "the counters add up to exactly the %lu frames sent", frames);
	ok(frames >= 100000, "at least 100,000 frames (%lu; %lu random, %lu mutated)", frames,
	   random_frames, frames - random_frames);
	diag("%lu frames in %.2f s; %llu passed, %llu dropped", frames,
	     (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
	     (unsigned long long)verdicts[XDP_PASS], (unsigned long long)verdicts[XDP_DROP]);
out:
	parse_ipv4_bpf__destroy(skel);
	return tap_done();
}
