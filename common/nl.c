// SPDX-License-Identifier: GPL-2.0
/* Asking the kernel over rtnetlink, through libmnl: see nl.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netlink.h>
#include "nl.h"

struct attrs {
	const struct nlattr **tb;
	unsigned int max;
};

static int keep_attr(const struct nlattr *a, void *data)
{
	const struct attrs *t = data;

	/* a kernel newer than our headers may send more: those we do not know, we skip */
	if (mnl_attr_get_type(a) <= t->max)
		t->tb[mnl_attr_get_type(a)] = a;
	return MNL_CB_OK;
}

/* The attributes of a message after its fixed header of hdr bytes, into tb[0..max]. */
void nl_attrs(const struct nlmsghdr *nh, size_t hdr, const struct nlattr **tb, unsigned int max)
{
	struct attrs t = { tb, max };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	mnl_attr_parse(nh, hdr, keep_attr, &t);
}

void nl_nested(const struct nlattr *nest, const struct nlattr **tb, unsigned int max)
{
	struct attrs t = { tb, max };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (mnl_attr_validate(nest, MNL_TYPE_NESTED) >= 0)
		mnl_attr_parse_nested(nest, keep_attr, &t);
}

bool nl_u32(const struct nlattr *a, __u32 *v)
{
	if (!a || mnl_attr_validate(a, MNL_TYPE_U32) < 0)
		return false;
	*v = mnl_attr_get_u32(a);
	return true;
}

const char *nl_str(const struct nlattr *a)
{
	if (!a || mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0)
		return "";
	return mnl_attr_get_str(a);
}

/* Send the request in req and hand every message of the answer to cb, until the end of a dump
 * or the kernel's acknowledgement. Returns 0 or -errno (the kernel's error included). */
int nl_talk(struct nlmsghdr *req, mnl_cb_t cb, void *data)
{
	/* 32 KiB, the most the kernel puts into one read of a dump; on the heap, as a callback may
	 * ask more (nexthop objects) while this answer is being read */
	const size_t size = 32768;
	void *buf = malloc(size);
	struct mnl_socket *nl;
	unsigned int portid, seq = 1;
	int err = 0, ret = MNL_CB_STOP;
	ssize_t n;

	if (!buf)
		return -ENOMEM;
	nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!nl) {
		free(buf);
		return -errno;
	}
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		goto out;
	}
	portid = mnl_socket_get_portid(nl);
	req->nlmsg_seq = seq;
	if (mnl_socket_sendto(nl, req, req->nlmsg_len) < 0) {
		err = -errno;
		goto out;
	}
	do {
		n = mnl_socket_recvfrom(nl, buf, size);
		if (n < 0) {
			err = -errno;
			break;
		}
		ret = mnl_cb_run(buf, n, seq, portid, cb, data);
		if (ret < 0)
			err = errno ? -errno : -EIO;
	} while (ret > MNL_CB_STOP);
out:
	mnl_socket_close(nl);
	free(buf);
	return err;
}

struct nlmsghdr *nl_request(void *buf, __u16 type, __u16 flags, size_t hdr, void **fixed)
{
	struct nlmsghdr *nh = mnl_nlmsg_put_header(buf);

	nh->nlmsg_type = type;
	/* A dump ends with NLMSG_DONE; the answer to a request for one object has no end marker,
	 * so ask for the acknowledgement that follows it: without it nl_talk() would wait for
	 * more forever. */
	nh->nlmsg_flags = NLM_F_REQUEST | flags | (flags & NLM_F_DUMP ? 0 : NLM_F_ACK);
	*fixed = mnl_nlmsg_put_extra_header(nh, hdr);
	return nh;
}
