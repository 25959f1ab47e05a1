// SPDX-License-Identifier: GPL-2.0
/* Counting on the user side: see stats.h. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/rtnetlink.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "nl.h"
#include "stats.h"

int stats_ncpus(void)
{
	/* Reads /sys/devices/system/cpu/possible once and remembers it. */
	return libbpf_num_possible_cpus();
}

int stats_percpu_read(int map_fd, __u32 key, void *values, size_t size)
{
	/* The kernel copies out one value per possible CPU, each rounded up to 8 bytes: a struct
	 * of __u64 counters is already a multiple of 8, so the copies lie back to back. */
	if (size == 0 || size % 8)
		return -EINVAL;
	if (bpf_map_lookup_elem(map_fd, &key, values))
		return -errno;
	return 0;
}

int stats_percpu_sum(int map_fd, __u32 key, void *sum, size_t size)
{
	int ncpus = stats_ncpus();
	size_t n = size / sizeof(__u64), cpu, i;
	__u64 *copies, *total = sum;
	int err;

	if (ncpus < 0)
		return ncpus;
	copies = calloc(ncpus, size);
	if (!copies)
		return -ENOMEM;
	err = stats_percpu_read(map_fd, key, copies, size);
	if (!err) {
		memset(total, 0, size);
		for (cpu = 0; cpu < (size_t)ncpus; cpu++)
			for (i = 0; i < n; i++)
				total[i] += copies[cpu * n + i];
	}
	free(copies);
	return err;
}

int stats_percpu_sum_n(int map_fd, __u32 n, void *sums, size_t size)
{
	__u32 key;
	int err;

	for (key = 0; key < n; key++) {
		err = stats_percpu_sum(map_fd, key, (char *)sums + key * size, size);
		if (err)
			return err;
	}
	return 0;
}

struct link_read {
	struct rtnl_link_stats64 *out;
	bool found;
};

static int on_link_stats(const struct nlmsghdr *nh, void *data)
{
	const struct nlattr *tb[IFLA_MAX + 1];
	struct link_read *r = data;
	size_t len;

	if (nh->nlmsg_type != RTM_NEWLINK ||
	    mnl_nlmsg_get_payload_len(nh) < sizeof(struct ifinfomsg))
		return MNL_CB_OK;
	nl_attrs(nh, sizeof(struct ifinfomsg), tb, IFLA_MAX);
	if (!tb[IFLA_STATS64])
		return MNL_CB_OK;
	/* An older kernel sends a shorter struct: the newer fields stay 0. memcpy, because
	 * netlink aligns attributes to 4 bytes, not to 8. */
	len = mnl_attr_get_payload_len(tb[IFLA_STATS64]);
	memset(r->out, 0, sizeof(*r->out));
	memcpy(r->out, mnl_attr_get_payload(tb[IFLA_STATS64]),
	       len < sizeof(*r->out) ? len : sizeof(*r->out));
	r->found = true;
	return MNL_CB_OK;
}

int stats_link_read(int ifindex, struct rtnl_link_stats64 *out)
{
	__u32 buf[64];		/* the request: __u32 aligns it as netlink's headers need */
	struct ifinfomsg *ifi;
	struct nlmsghdr *req = nl_request(buf, RTM_GETLINK, 0, sizeof(*ifi), (void **)&ifi);
	struct link_read r = { .out = out };
	int err;

	ifi->ifi_index = ifindex;
	err = nl_talk(req, on_link_stats, &r);
	return err ? err : r.found ? 0 : -ENODATA;
}

const char *stats_si(char *buf, size_t len, double value, const char *unit)
{
	static const char *const prefix[] = { "", "k", "M", "G", "T" };
	size_t i = 0;

	while (value >= 999.5 && i < sizeof(prefix) / sizeof(prefix[0]) - 1) {
		value /= 1000;
		i++;
	}
	snprintf(buf, len, "%.*f %s%s", value >= 99.95 ? 0 : value >= 9.995 ? 1 : 2, value,
		 prefix[i], unit);
	return buf;
}

void stats_print_traffic(const char *prefix, __u64 packets, __u64 bytes, double seconds)
{
	char pps[32], bps[32];

	printf("%s%llu packet%s, %llu byte%s in %.3f s", prefix, (unsigned long long)packets,
	       packets == 1 ? "" : "s", (unsigned long long)bytes, bytes == 1 ? "" : "s", seconds);
	if (seconds > 0)
		printf(": %s, %s", stats_si(pps, sizeof(pps), packets / seconds, "packets/s"),
		       stats_si(bps, sizeof(bps), bytes * 8.0 / seconds, "bit/s"));
	printf("\n");
}
