// SPDX-License-Identifier: GPL-2.0
/* Counting on the user side: see stats.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
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

int stats_link_read(int ifindex, struct rtnl_link_stats64 *out)
{
	struct {
		struct nlmsghdr nh;
		struct ifinfomsg ifi;
	} req = {
		.nh = {
			.nlmsg_len = sizeof(req),
			.nlmsg_type = RTM_GETLINK,
			.nlmsg_flags = NLM_F_REQUEST,
			.nlmsg_seq = 1,
		},
		.ifi = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex },
	};
	/* One link's message is a few KiB; __u32 aligns it as netlink's own headers need. */
	__u32 buf[8192];
	struct nlmsghdr *nh;
	int fd, len, err = -ENODATA;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	if (send(fd, &req, sizeof(req), 0) < 0) {
		err = -errno;
		goto out;
	}
	len = recv(fd, buf, sizeof(buf), 0);
	if (len < 0) {
		err = -errno;
		goto out;
	}
	for (nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, (unsigned int)len);
	     nh = NLMSG_NEXT(nh, len)) {
		struct ifinfomsg *ifi = NLMSG_DATA(nh);
		struct rtattr *rta = IFLA_RTA(ifi);
		int alen = IFLA_PAYLOAD(nh);

		if (nh->nlmsg_type == NLMSG_ERROR) {
			err = ((struct nlmsgerr *)NLMSG_DATA(nh))->error;
			break;
		}
		if (nh->nlmsg_type != RTM_NEWLINK)
			continue;
		for (; RTA_OK(rta, alen); rta = RTA_NEXT(rta, alen)) {
			if (rta->rta_type != IFLA_STATS64)
				continue;
			/* An older kernel sends a shorter struct: the newer fields stay 0. memcpy,
			 * because netlink aligns attributes to 4 bytes, not to 8. */
			memset(out, 0, sizeof(*out));
			memcpy(out, RTA_DATA(rta), RTA_PAYLOAD(rta) < sizeof(*out) ?
			       RTA_PAYLOAD(rta) : sizeof(*out));
			err = 0;
		}
	}
out:
	close(fd);
	return err;
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
