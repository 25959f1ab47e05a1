// SPDX-License-Identifier: GPL-2.0
/* Exercise 3: count per source address. A per-CPU hash map named per_source, 256 entries,
 * keyed by the IPv4 source address as the packet has it, counts every packet whose IPv4 header
 * parse_iphdr() accepted -- blocked sources and fragments too, malformed headers not. When the
 * map is full, a new source goes uncounted, and its packet is handled as before.
 *
 * The check reads the map as bpftool would: every CPU's copy added up. A count that is missing
 * under the address is looked for under the address with its bytes swapped, the key a
 * bpf_ntohl() too many gives, so that the message can say so. */
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <netinet/in.h>
#include "counted.h"

#define PER_SOURCE_ENTRIES	256

static __u8 frame[PKT_MAX];
static int map_fd, passed, dropped, others;

/* One frame from src (a dotted address); counts its verdict. */
static void send_from(struct counted *c, __u16 eth_proto, __u8 proto, const char *src,
		      __u16 frag, __u8 version, int cut)
{
	static struct xdp_result res;
	struct pkt_spec spec;
	int len;

	pkt_spec_init(&spec, eth_proto, proto);
	inet_pton(AF_INET, src, &spec.saddr);
	spec.dport = 5000;		/* not 9 (exercise 1) nor 53 (exercise 4) */
	spec.frag = frag;
	spec.ip_version = version;
	len = test_build(&spec, frame);
	if (cut)
		len = cut;
	if (xdp_run(c->prog_fd, 0, frame, len, &res))
		others++;
	else if (res.verdict == XDP_PASS)
		passed++;
	else if (res.verdict == XDP_DROP)
		dropped++;
	else
		others++;
}

/* The count under key (network byte order), all CPUs added up; false when there is no entry. */
static bool per_source(struct counted *c, __u32 key, __u64 *sum)
{
	int i;

	if (bpf_map_lookup_elem(map_fd, &key, c->percpu))
		return false;
	for (*sum = 0, i = 0; i < c->ncpus; i++)
		*sum += c->percpu[i];
	return true;
}

static void expect_source(struct counted *c, const char *addr, const char *want)
{
	char what[64], got[160], swapped[INET_ADDRSTRLEN];
	struct in_addr a, s;
	__u64 n;

	inet_pton(AF_INET, addr, &a);
	snprintf(what, sizeof(what), "per_source[%s]", addr);
	if (per_source(c, a.s_addr, &n)) {
		snprintf(got, sizeof(got), "%llu", (unsigned long long)n);
	} else {
		s.s_addr = __builtin_bswap32(a.s_addr);
		inet_ntop(AF_INET, &s, swapped, sizeof(swapped));
		if (per_source(c, s.s_addr, &n))
			snprintf(got, sizeof(got), "no entry, but %llu under %s, its bytes swapped: "
				 "keep the address as the packet has it", (unsigned long long)n,
				 swapped);
		else
			snprintf(got, sizeof(got), "no entry");
	}
	expect_str(what, want, got);
}

static unsigned int entries(void)
{
	__u32 key, next;
	unsigned int n = 0;
	void *prev = NULL;

	while (!bpf_map_get_next_key(map_fd, prev, &next)) {
		key = next;
		prev = &key;
		n++;
	}
	return n;
}

static void expect_verdicts(const char *what, int pass, int drop)
{
	char w[64], g[96];

	snprintf(w, sizeof(w), "%d passed, %d dropped", pass, drop);
	snprintf(g, sizeof(g), "%d passed, %d dropped", passed, dropped);
	if (others)
		snprintf(g + strlen(g), sizeof(g) - strlen(g), ", %d aborted or other", others);
	expect_str(what, w, g);
	passed = dropped = others = 0;
}

int main(void)
{
	struct bpf_map *map, *blocklist;
	struct bpf_object *obj;
	struct counted c;
	struct in_addr blocked;
	char addr[INET_ADDRSTRLEN];
	__u8 one = 1;
	bool shape;
	int i;

	exercise_start("Exercise 3: count per source address");
	counted_load(&c, &obj);
	map = bpf_object__find_map_by_name(obj, "per_source");
	if (!expect_str("a map named per_source", "a map", map ? "a map" : "no such map")) {
		counted_close(&c, obj);
		return exercise_done();
	}
	map_fd = bpf_map__fd(map);
	/* every line of the map's shape is said, right or wrong, before giving up on it */
	shape = expect_str("per_source's type", "percpu_hash",
			   libbpf_bpf_map_type_str(bpf_map__type(map)) ?: "unknown");
	shape &= expect_u64("per_source's key size (an IPv4 address)", 4, bpf_map__key_size(map));
	shape &= expect_u64("per_source's value size (a __u64)", 8, bpf_map__value_size(map));
	shape &= expect_u64("per_source's max_entries", PER_SOURCE_ENTRIES,
			    bpf_map__max_entries(map));
	if (!shape) {
		counted_close(&c, obj);
		return exercise_done();
	}

	blocklist = bpf_object__find_map_by_name(obj, "blocklist");
	inet_pton(AF_INET, "203.0.113.9", &blocked);
	if (!blocklist || bpf_map_update_elem(bpf_map__fd(blocklist), &blocked.s_addr, &one,
					      BPF_ANY)) {
		printf("  cannot put 203.0.113.9 into the blocklist map\n");
		return 1;
	}

	for (i = 0; i < 3; i++)
		send_from(&c, ETH_P_IP, IPPROTO_UDP, "192.0.2.2", 0, 0, 0);
	for (i = 0; i < 2; i++)
		send_from(&c, ETH_P_IP, IPPROTO_TCP, "192.0.2.3", 0, 0, 0);
	send_from(&c, ETH_P_IP, IPPROTO_UDP, "192.0.2.3", 1480 / 8, 0, 0);	/* a fragment */
	send_from(&c, ETH_P_IP, IPPROTO_ICMP, "198.51.100.7", 0, 0, 0);
	for (i = 0; i < 2; i++)
		send_from(&c, ETH_P_IP, IPPROTO_UDP, "203.0.113.9", 0, 0, 0);
	send_from(&c, ETH_P_IP, IPPROTO_UDP, "192.0.2.4", 0, 5, 0);	/* version 5 */
	send_from(&c, ETH_P_IP, IPPROTO_UDP, "192.0.2.5", 0, 0, 14 + 19);	/* cut short */
	send_from(&c, ETH_P_ARP, 0, "192.0.2.6", 0, 0, 0);
	send_from(&c, ETH_P_IPV6, IPPROTO_UDP, "192.0.2.7", 0, 0, 0);

	expect_verdicts("verdicts of 13 frames, 2 from the blocked 203.0.113.9", 11, 2);
	expect_source(&c, "192.0.2.2", "3");
	expect_source(&c, "192.0.2.3", "3");
	expect_source(&c, "198.51.100.7", "1");
	expect_source(&c, "203.0.113.9", "2");
	expect_source(&c, "192.0.2.4", "no entry");
	expect_source(&c, "192.0.2.5", "no entry");
	expect_u64("entries in per_source (version 5, cut short, ARP and IPv6 have none)", 4,
		   entries());

	/* 255 more sources: the map holds 252 of them, and then it is full */
	for (i = 0; i < 256; i++) {
		if (i == 7)
			continue;
		snprintf(addr, sizeof(addr), "198.51.100.%d", i);
		send_from(&c, ETH_P_IP, IPPROTO_UDP, addr, 0, 0, 0);
	}
	expect_verdicts("verdicts of frames from 255 more sources, 198.51.100.0 to .255", 255, 0);
	expect_u64("entries in per_source after them: it is full", PER_SOURCE_ENTRIES, entries());
	expect_source(&c, "198.51.100.252", "1");
	expect_source(&c, "198.51.100.253", "no entry");
	expect_source(&c, "198.51.100.255", "no entry");
	send_from(&c, ETH_P_IP, IPPROTO_UDP, "192.0.2.2", 0, 0, 0);
	expect_verdicts("verdict of one more frame from 192.0.2.2", 1, 0);
	expect_source(&c, "192.0.2.2", "4");
	counted_close(&c, obj);
	return exercise_done();
}
