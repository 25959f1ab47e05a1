/* SPDX-License-Identifier: GPL-2.0 */
/* The user side of counting: add up the per-CPU copies of a map entry, read an interface's own
 * counters, and print counts with honest rates.
 *
 *	struct counters c;			// a struct of __u64 counters, as the program has it
 *
 *	stats_percpu_sum(bpf_map__fd(skel->maps.stats), 0, &c, sizeof(c));
 *	stats_print_traffic("total: ", c.packets, c.bytes, seconds);
 *
 * A lesson that uses it says so in its Makefile: USES := stats
 */
#ifndef STATS_H
#define STATS_H

#include <stddef.h>
#include <linux/types.h>
#include <linux/if_link.h>	/* struct rtnl_link_stats64 */

/* How many CPUs the kernel may ever bring up: a per-CPU map has one copy per possible CPU,
 * online or not. Returns a number > 0, or -errno. */
int stats_ncpus(void);

/* Read every CPU's copy of entry key of a per-CPU map whose value is size bytes of __u64
 * counters (size a multiple of 8). values has room for stats_ncpus() copies, one after the
 * other, CPU 0 first. Returns 0 or -errno. */
int stats_percpu_read(int map_fd, __u32 key, void *values, size_t size);

/* The same entry with its copies added up, counter by counter, into sum. Returns 0 or -errno. */
int stats_percpu_sum(int map_fd, __u32 key, void *sum, size_t size);

/* The first n entries of the map, each summed like stats_percpu_sum(), into sums[0..n-1]
 * (size bytes each): for a program that keeps one entry per counter or per port. */
int stats_percpu_sum_n(int map_fd, __u32 n, void *sums, size_t size);

/* The interface's own counters (what `ip -s link` shows), from the kernel over netlink: right
 * in whichever network namespace the program runs, unlike /sys/class/net, which shows the
 * namespace that mounted it. Returns 0 or -errno. */
int stats_link_read(int ifindex, struct rtnl_link_stats64 *out);

/* A rate for people: three significant digits and an SI prefix on the unit ("812 bit/s",
 * "2.84 packets/s", "16.0 kbit/s", "1.52 Mpackets/s"). Returns buf. */
const char *stats_si(char *buf, size_t len, double value, const char *unit);

/* One line on stdout: "<prefix>P packets, B bytes in S s: R packets/s, T bit/s" ("1 packet"
 * when it is one). The counts are exact; the rates divide them by seconds, which the caller
 * measured (0 prints no rates). */
void stats_print_traffic(const char *prefix, __u64 packets, __u64 bytes, double seconds);

#endif
