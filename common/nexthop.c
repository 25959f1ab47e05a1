// SPDX-License-Identifier: GPL-2.0
/* The MACs a router needs: see nexthop.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include "nexthop.h"
#include "nl.h"

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

struct neigh_search {
	int ifindex;
	__u32 want;		/* the neighbour's address, or 0 for any */
	__u32 addr;		/* what was found: the first match's address and MAC */
	__u8 mac[6];
	int found;		/* how many entries matched */
};

static int on_neigh(const struct nlmsghdr *nh, void *data)
{
	const struct ndmsg *nd = mnl_nlmsg_get_payload(nh);
	const struct nlattr *tb[NDA_MAX + 1];
	struct neigh_search *s = data;
	__u32 dst;

	if (nh->nlmsg_type != RTM_NEWNEIGH || mnl_nlmsg_get_payload_len(nh) < sizeof(*nd) ||
	    nd->ndm_ifindex != s->ifindex || !(nd->ndm_state & NUD_USABLE))
		return MNL_CB_OK;
	nl_attrs(nh, sizeof(*nd), tb, NDA_MAX);
	if (!tb[NDA_DST] || mnl_attr_get_payload_len(tb[NDA_DST]) != 4 ||
	    !tb[NDA_LLADDR] || mnl_attr_get_payload_len(tb[NDA_LLADDR]) != 6)
		return MNL_CB_OK;
	memcpy(&dst, mnl_attr_get_payload(tb[NDA_DST]), 4);
	if (!dst || (s->want && dst != s->want))
		return MNL_CB_OK;
	/* read to the end of the dump even after a match: a second one matters when want is 0 */
	if (!s->found++) {
		memcpy(s->mac, mnl_attr_get_payload(tb[NDA_LLADDR]), 6);
		s->addr = dst;
	}
	return MNL_CB_OK;
}

int nexthop_neigh(int ifindex, __u32 *addr, __u8 mac[6])
{
	struct neigh_search s = { .ifindex = ifindex, .want = *addr };
	__u32 buf[64];		/* the request: __u32 aligns it as netlink's headers need */
	struct ndmsg *nd;
	struct nlmsghdr *req = nl_request(buf, RTM_GETNEIGH, NLM_F_DUMP, sizeof(*nd), (void **)&nd);
	int err;

	nd->ndm_family = AF_INET;
	/* the kernel filters a dump by interface (NDA_IFINDEX) since 4.18; on_neigh checks too */
	mnl_attr_put_u32(req, NDA_IFINDEX, ifindex);
	err = nl_talk(req, on_neigh, &s);
	if (err)
		return err;
	if (!s.found)
		return -ENOENT;
	if (s.found > 1 && !s.want)
		return -E2BIG;
	memcpy(mac, s.mac, 6);
	*addr = s.addr;
	return 0;
}

const char *nexthop_mac_str(const __u8 mac[6], char *buf)
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4],
		 mac[5]);
	return buf;
}
