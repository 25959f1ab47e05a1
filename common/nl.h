/* SPDX-License-Identifier: GPL-2.0 */
/* User side: asking the kernel over rtnetlink, through libmnl -- the guard (links, routes,
 * addresses), the neighbour table (nexthop.c) and a link's counters (stats.c).
 *
 *	char buf[MNL_SOCKET_BUFFER_SIZE];
 *	struct ifinfomsg *ifi;
 *	struct nlmsghdr *req = nl_request(buf, RTM_GETLINK, 0, sizeof(*ifi), (void **)&ifi);
 *
 *	ifi->ifi_index = ifindex;
 *	err = nl_talk(req, on_link, &result);	// on_link() sees each message of the answer
 *
 * Why libmnl and not netlink by hand: it matches each answer's sequence number and port, turns
 * NLMSG_ERROR into errno, and walks messages and attributes only as far as their lengths allow
 * (mnl_attr_validate checks that a u32 is four bytes before we read it) -- the parts
 * hand-written netlink code gets wrong. It is a few hundred lines, packaged by Debian and
 * Raspberry Pi OS, and iproute2's `ip` is built on it.
 */
#ifndef NL_H
#define NL_H

#include <stdbool.h>
#include <libmnl/libmnl.h>
#include <linux/types.h>

/* A request of type with a fixed header (struct ifinfomsg, rtmsg, ...) of hdr bytes, zeroed,
 * in buf, which must be 4-byte aligned and hold it; *fixed points at that header. flags are
 * added to NLM_F_REQUEST: NLM_F_DUMP for every object of the kind; without it, the request
 * asks for one object and for the kernel's acknowledgement after it (NLM_F_ACK). */
struct nlmsghdr *nl_request(void *buf, __u16 type, __u16 flags, size_t hdr, void **fixed);

/* Send req on a socket of its own and hand every message of the answer to cb, until the end
 * of a dump or the kernel's acknowledgement. cb may call nl_talk() itself. Returns 0 or -errno,
 * the kernel's error included. */
int nl_talk(struct nlmsghdr *req, mnl_cb_t cb, void *data);

/* The attributes of message nh after its fixed header of hdr bytes into tb[0..max], NULL for
 * those it lacks; attributes newer than our headers (above max) are skipped. */
void nl_attrs(const struct nlmsghdr *nh, size_t hdr, const struct nlattr **tb, unsigned int max);

/* The same for the attributes nested in nest (all NULL when nest is not a valid nest). */
void nl_nested(const struct nlattr *nest, const struct nlattr **tb, unsigned int max);

/* *v = a's value when a is there and four bytes long. */
bool nl_u32(const struct nlattr *a, __u32 *v);

/* a's string, "" when a is missing or not a NUL-terminated string. */
const char *nl_str(const struct nlattr *a);

#endif
