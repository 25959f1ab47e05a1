// SPDX-License-Identifier: GPL-2.0
/* The MACs a router needs: see nexthop.h. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include "nexthop.h"

int nexthop_own_mac(const char *ifname, __u8 mac[6])
{
	struct ifreq ifr = { 0 };
	int fd, err = 0;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr))
		err = -errno;
	else
		memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	close(fd);
	return err;
}

/* States in which an entry holds a MAC we may send to. */
#define NUD_USABLE (NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE | NUD_PERMANENT | NUD_NOARP)

int nexthop_neigh(int ifindex, __u32 *addr, __u8 mac[6])
{
	struct {
		struct nlmsghdr nh;
		struct ndmsg nd;
	} req = {
		.nh = {
			.nlmsg_len = sizeof(req),
			.nlmsg_type = RTM_GETNEIGH,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
			.nlmsg_seq = 1,
		},
		.nd = { .ndm_family = AF_INET },
	};
	/* __u32 aligns the buffer as netlink's headers need */
	__u32 buf[8192];
	int fd, len, found = 0, err = 0;
	bool done = false;
	__u32 want = *addr;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	if (send(fd, &req, sizeof(req), 0) < 0) {
		err = -errno;
		goto out;
	}
	/* a dump comes in several messages, the last of them NLMSG_DONE */
	while (!done && !err) {
		struct nlmsghdr *nh;

		len = recv(fd, buf, sizeof(buf), 0);
		if (len < 0) {
			err = -errno;
			break;
		}
		for (nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, (unsigned int)len);
		     nh = NLMSG_NEXT(nh, len)) {
			struct ndmsg *nd = NLMSG_DATA(nh);
			struct rtattr *rta = (struct rtattr *)((char *)nd +
							       NLMSG_ALIGN(sizeof(*nd)));
			int alen = nh->nlmsg_len - NLMSG_LENGTH(sizeof(*nd));
			const __u8 *lladdr = NULL;
			__u32 dst = 0;

			if (nh->nlmsg_type == NLMSG_DONE) {
				done = true;
				break;
			}
			if (nh->nlmsg_type == NLMSG_ERROR) {
				err = ((struct nlmsgerr *)NLMSG_DATA(nh))->error;
				break;
			}
			if (nh->nlmsg_type != RTM_NEWNEIGH || nd->ndm_ifindex != ifindex ||
			    !(nd->ndm_state & NUD_USABLE))
				continue;
			for (; RTA_OK(rta, alen); rta = RTA_NEXT(rta, alen)) {
				if (rta->rta_type == NDA_DST && RTA_PAYLOAD(rta) == 4)
					memcpy(&dst, RTA_DATA(rta), 4);
				else if (rta->rta_type == NDA_LLADDR && RTA_PAYLOAD(rta) == 6)
					lladdr = RTA_DATA(rta);
			}
			if (!lladdr || !dst || (want && dst != want))
				continue;
			/* keep reading to the end of the dump even after a match */
			if (!found++) {
				memcpy(mac, lladdr, 6);
				*addr = dst;
			}
		}
	}
	if (!err && !found)
		err = -ENOENT;
	else if (!err && found > 1 && !want)
		err = -E2BIG;
out:
	close(fd);
	return err;
}

const char *nexthop_mac_str(const __u8 mac[6], char *buf)
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4],
		 mac[5]);
	return buf;
}
