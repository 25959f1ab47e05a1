// SPDX-License-Identifier: GPL-2.0
/* The guard: see guard.h.
 *
 * The kernel is asked over rtnetlink, through libmnl: nl.h says why.
 *
 * Everything is by interface index: a name is what a human reads, and the same device answers
 * to "eth0" in getifaddrs() and "eth0:1" in an alias label. Names are used only in messages.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/nexthop.h>
#include <linux/rtnetlink.h>
#include "guard.h"
#include "nl.h"

#define MAX_CARRIERS 32		/* devices one interface carries traffic for: plenty */

/* A device of this namespace, as RTM_GETLINK describes it. */
struct link {
	int ifindex;
	int master;		/* IFLA_MASTER: the bridge, bond or VRF it is a port of, or 0 */
	int lower;		/* IFLA_LINK of a stacked device (VLAN, macvlan...), or 0 */
	char name[IF_NAMESIZE];
	char kind[16];		/* IFLA_INFO_KIND: "bridge", "vlan", "veth", ... */
};

/* A nexthop object (`ip nexthop`): a device, or a group of other nexthop objects. */
struct nhobj {
	__u32 id, oif;
	__u32 *members;
	int nmembers;
};

/* A device whose traffic crosses the interface: the interface itself (via -1), or a device
 * stacked on carriers[via] (port: carriers[via] is its port; else its parent). */
struct carrier {
	int ifindex, via;
	bool port;
};

struct guard {
	struct link *links;
	int nlinks;
	struct nhobj *nhs;
	int nnhs;
	bool nhs_read;
	struct carrier carriers[MAX_CARRIERS];
	int ncarriers;
};

/* Where a route leaves through a carrier. */
struct hit {
	int carrier;		/* index in carriers */
	int family;
	__u32 table;
	int hop, nhops;		/* which next hop of a multipath route or group, and of how many */
	__u32 nh_id;		/* the nexthop object, if the route uses one */
};

static void append(char *buf, size_t len, const char *fmt, ...)
{
	size_t at = strnlen(buf, len);
	va_list ap;

	if (at + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + at, len - at, fmt, ap);
	va_end(ap);
}

/* --- devices */

/* Devices that sit on top of the one their IFLA_LINK names, and send and receive through it.
 * For other kinds IFLA_LINK means something else: a veth's names its peer, a tunnel's the device
 * it is bound to, whose packets then follow routes like any other. */
static bool stacked(const char *kind)
{
	static const char *const kinds[] = { "vlan", "macvlan", "macvtap", "ipvlan", "ipvtap",
					     "macsec" };
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kind, kinds[i]))
			return true;
	return false;
}

static int on_link(const struct nlmsghdr *nh, void *data)
{
	const struct nlattr *tb[IFLA_MAX + 1], *info[IFLA_INFO_MAX + 1];
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nh);
	struct guard *g = data;
	struct link *l, *more;
	__u32 v;

	if (nh->nlmsg_type != RTM_NEWLINK || mnl_nlmsg_get_payload_len(nh) < sizeof(*ifi))
		return MNL_CB_OK;
	more = realloc(g->links, (g->nlinks + 1) * sizeof(*more));
	if (!more)
		return MNL_CB_ERROR;	/* errno: ENOMEM */
	g->links = more;
	l = &g->links[g->nlinks++];
	memset(l, 0, sizeof(*l));
	l->ifindex = ifi->ifi_index;
	nl_attrs(nh, sizeof(*ifi), tb, IFLA_MAX);
	snprintf(l->name, sizeof(l->name), "%s", nl_str(tb[IFLA_IFNAME]));
	if (tb[IFLA_LINKINFO]) {
		nl_nested(tb[IFLA_LINKINFO], info, IFLA_INFO_MAX);
		snprintf(l->kind, sizeof(l->kind), "%s", nl_str(info[IFLA_INFO_KIND]));
	}
	if (nl_u32(tb[IFLA_MASTER], &v))
		l->master = v;
	/* With IFLA_LINK_NETNSID the lower device is in another namespace, and its ifindex
	 * means nothing here. */
	if (stacked(l->kind) && !tb[IFLA_LINK_NETNSID] && nl_u32(tb[IFLA_LINK], &v))
		l->lower = v;
	return MNL_CB_OK;
}

static int read_links(struct guard *g)
{
	__u32 buf[64];
	struct ifinfomsg *ifi;
	struct nlmsghdr *nh = nl_request(buf, RTM_GETLINK, NLM_F_DUMP, sizeof(*ifi), (void **)&ifi);

	ifi->ifi_family = AF_UNSPEC;
	return nl_talk(nh, on_link, g);
}

static const struct link *link_of(const struct guard *g, int ifindex)
{
	int i;

	for (i = 0; i < g->nlinks; i++)
		if (g->links[i].ifindex == ifindex)
			return &g->links[i];
	return NULL;
}

static void add_carrier(struct guard *g, int ifindex, int via, bool port)
{
	int i;

	for (i = 0; i < g->ncarriers; i++)
		if (g->carriers[i].ifindex == ifindex)
			return;		/* reached twice: a loop, or two ways up */
	if (g->ncarriers < MAX_CARRIERS)
		g->carriers[g->ncarriers++] = (struct carrier){ ifindex, via, port };
}

/* The interface, and every device upwards of it: its master (a bridge or bond it is a port
 * of), the devices stacked on it (VLAN, macvlan, ...), their masters and stacked devices, ... */
static void find_carriers(struct guard *g, int ifindex)
{
	int i, j;

	g->ncarriers = 0;
	add_carrier(g, ifindex, -1, false);
	for (i = 0; i < g->ncarriers; i++) {
		const struct link *me = link_of(g, g->carriers[i].ifindex);

		if (me && me->master)
			add_carrier(g, me->master, i, true);
		for (j = 0; j < g->nlinks; j++)
			if (g->links[j].lower == g->carriers[i].ifindex)
				add_carrier(g, g->links[j].ifindex, i, false);
	}
}

static int carrier_of(const struct guard *g, __u32 ifindex)
{
	int i;

	for (i = 0; i < g->ncarriers; i++)
		if ((__u32)g->carriers[i].ifindex == ifindex)
			return i;
	return -1;
}

/* "it", or "it is a port of bond0, which is a port of br0, which": the subject of a sentence
 * that says what carriers[k] carries. */
static void subject(const struct guard *g, int k, char *buf, size_t len)
{
	int path[MAX_CARRIERS], n = 0;

	for (; k > 0 && n < MAX_CARRIERS; k = g->carriers[k].via)
		path[n++] = k;
	snprintf(buf, len, "it");
	while (n-- > 0) {
		const struct carrier *c = &g->carriers[path[n]];
		const struct link *l = link_of(g, c->ifindex);
		char name[32];

		if (l && l->name[0])
			snprintf(name, sizeof(name), "%s", l->name);
		else
			snprintf(name, sizeof(name), "the device with index %d", c->ifindex);
		append(buf, len, "%s ", c->via == 0 ? " is" : ", which is");
		if (c->port)
			append(buf, len, "a port of %s", name);
		else
			append(buf, len, "the parent of %s (a %s)", name,
			       l && l->kind[0] ? l->kind : "stacked device");
	}
	if (strcmp(buf, "it"))
		append(buf, len, ", which");
}

/* --- nexthop objects (`ip nexthop`, Linux 5.3): a route that uses one names it by id only
 * when net.ipv4.nexthop_compat_mode is 0 */

static int on_nexthop(const struct nlmsghdr *nh, void *data)
{
	const struct nlattr *tb[NHA_MAX + 1];
	struct guard *g = data;
	struct nhobj *o, *more;

	if (nh->nlmsg_type != RTM_NEWNEXTHOP || mnl_nlmsg_get_payload_len(nh) < sizeof(struct nhmsg))
		return MNL_CB_OK;
	more = realloc(g->nhs, (g->nnhs + 1) * sizeof(*more));
	if (!more)
		return MNL_CB_ERROR;
	g->nhs = more;
	o = &g->nhs[g->nnhs++];
	memset(o, 0, sizeof(*o));
	nl_attrs(nh, sizeof(struct nhmsg), tb, NHA_MAX);
	nl_u32(tb[NHA_ID], &o->id);
	nl_u32(tb[NHA_OIF], &o->oif);
	if (tb[NHA_GROUP]) {
		const struct nexthop_grp *grp = mnl_attr_get_payload(tb[NHA_GROUP]);
		int i, n = mnl_attr_get_payload_len(tb[NHA_GROUP]) / sizeof(*grp);

		o->members = calloc(n ? n : 1, sizeof(*o->members));
		if (!o->members)
			return MNL_CB_ERROR;
		for (i = 0; i < n; i++)
			memcpy(&o->members[i], &grp[i].id, sizeof(o->members[i]));
		o->nmembers = n;
	}
	return MNL_CB_OK;
}

static const struct nhobj *nexthop(struct guard *g, __u32 id)
{
	int i;

	for (i = 0; i < g->nnhs; i++)
		if (g->nhs[i].id == id)
			return &g->nhs[i];
	return NULL;
}

/* Whether the nexthop object id (a device or a group) leaves through a carrier. */
static int nexthop_hits(struct guard *g, __u32 id, struct hit *hit)
{
	const struct nhobj *o, *m;
	int i, err;

	if (!g->nhs_read) {
		__u32 buf[64];
		struct nhmsg *nhm;
		struct nlmsghdr *nh = nl_request(buf, RTM_GETNEXTHOP, NLM_F_DUMP, sizeof(*nhm),
					      (void **)&nhm);

		nhm->nh_family = AF_UNSPEC;
		err = nl_talk(nh, on_nexthop, g);
		if (err)
			return err;
		g->nhs_read = true;
	}
	o = nexthop(g, id);
	if (!o)
		return -ENOENT;		/* gone since the route was read: ask again */
	hit->nh_id = id;
	if (o->oif && (hit->carrier = carrier_of(g, o->oif)) >= 0)
		return 1;
	for (i = 0; i < o->nmembers; i++) {	/* a group holds no groups: one level */
		m = nexthop(g, o->members[i]);
		if (m && m->oif && (hit->carrier = carrier_of(g, m->oif)) >= 0) {
			hit->hop = i + 1;
			hit->nhops = o->nmembers;
			return 1;
		}
	}
	return 0;
}

/* --- routes */

/* Whether the route in message nh leaves through a carrier, by any of its next hops: its
 * RTA_OIF, each next hop of a multipath route (RTA_MULTIPATH), or its nexthop object. Returns
 * 1 (and fills hit), 0, or -errno. */
static int route_hits(struct guard *g, const struct nlmsghdr *nh, struct hit *hit)
{
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nh);
	const struct nlattr *tb[RTA_MAX + 1];
	__u32 oif, id;

	nl_attrs(nh, sizeof(*rtm), tb, RTA_MAX);
	*hit = (struct hit){ .family = rtm->rtm_family, .table = rtm->rtm_table };
	nl_u32(tb[RTA_TABLE], &hit->table);	/* tables above 255 are only here */
	if (nl_u32(tb[RTA_OIF], &oif) && (hit->carrier = carrier_of(g, oif)) >= 0)
		return 1;
	if (tb[RTA_MULTIPATH]) {
		const struct rtnexthop *first = mnl_attr_get_payload(tb[RTA_MULTIPATH]), *p;
		int len = mnl_attr_get_payload_len(tb[RTA_MULTIPATH]), left, n = 0, i = 0;

		/* RTNH_OK reads rtnh_len before it knows that len holds one: check that first */
		for (p = first, left = len; left >= (int)sizeof(*p) && RTNH_OK(p, left);
		     left -= RTNH_ALIGN(p->rtnh_len), p = RTNH_NEXT(p))
			n++;
		for (p = first, left = len; left >= (int)sizeof(*p) && RTNH_OK(p, left);
		     left -= RTNH_ALIGN(p->rtnh_len), p = RTNH_NEXT(p)) {
			i++;
			if ((hit->carrier = carrier_of(g, p->rtnh_ifindex)) >= 0) {
				hit->hop = i;
				hit->nhops = n;
				return 1;
			}
		}
	}
	if (nl_u32(tb[RTA_NH_ID], &id))
		return nexthop_hits(g, id, hit);
	return 0;
}

struct scan {
	struct guard *g;
	struct hit hit;
	int found;		/* 1 found, 0 not, -errno could not tell */
	unsigned char type;	/* of the last route: RTN_UNICAST, RTN_LOCAL, ... */
};

static int on_default_route(const struct nlmsghdr *nh, void *data)
{
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nh);
	struct scan *s = data;

	if (nh->nlmsg_type != RTM_NEWROUTE || mnl_nlmsg_get_payload_len(nh) < sizeof(*rtm))
		return MNL_CB_OK;
	/* a default route that sends somewhere: not "unreachable default", not a cached clone */
	if (rtm->rtm_dst_len || rtm->rtm_type != RTN_UNICAST || (rtm->rtm_flags & RTM_F_CLONED) ||
	    s->found)
		return MNL_CB_OK;
	s->found = route_hits(s->g, nh, &s->hit);
	return MNL_CB_OK;	/* read the dump to its end all the same */
}

/* Whether a default route of any table, IPv4 or IPv6, leaves through a carrier: 1 (hit filled
 * in), 0, or -errno. A dump without RTA_TABLE gives every table, policy routing's included. */
static int default_route(struct guard *g, struct hit *hit)
{
	static const int families[] = { AF_INET, AF_INET6 };
	struct scan s = { .g = g };
	size_t i;
	int err;

	for (i = 0; i < sizeof(families) / sizeof(families[0]) && s.found == 0; i++) {
		__u32 buf[64];
		struct rtmsg *rtm;
		struct nlmsghdr *nh = nl_request(buf, RTM_GETROUTE, NLM_F_DUMP, sizeof(*rtm),
					      (void **)&rtm);

		rtm->rtm_family = families[i];
		err = nl_talk(nh, on_default_route, &s);
		/* a kernel without IPv6 has no such family to dump */
		if (err && !(families[i] == AF_INET6 && err == -EAFNOSUPPORT))
			return err;
	}
	*hit = s.hit;
	return s.found;
}

/* --- the SSH session */

struct addr {
	int family;
	unsigned char bytes[16];
	int oif;		/* of a link-local address's scope ("fe80::1%eth0"), or 0 */
	char text[64];		/* as SSH_CONNECTION spells it, without the scope */
};

static bool parse_addr(const char *s, struct addr *a)
{
	char *scope;

	memset(a, 0, sizeof(*a));
	snprintf(a->text, sizeof(a->text), "%s", s);
	scope = strchr(a->text, '%');
	if (scope) {
		*scope++ = '\0';
		a->oif = if_nametoindex(scope);
	}
	if (inet_pton(AF_INET, a->text, a->bytes) == 1) {
		a->family = AF_INET;
	} else if (inet_pton(AF_INET6, a->text, a->bytes) == 1) {
		a->family = AF_INET6;
		if (IN6_IS_ADDR_V4MAPPED((struct in6_addr *)a->bytes)) {	/* ::ffff:192.0.2.1 */
			a->family = AF_INET;
			memmove(a->bytes, a->bytes + 12, 4);
		}
	} else {
		return false;
	}
	return true;
}

static int on_route_to(const struct nlmsghdr *nh, void *data)
{
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nh);
	struct scan *s = data;

	if (nh->nlmsg_type != RTM_NEWROUTE || mnl_nlmsg_get_payload_len(nh) < sizeof(*rtm))
		return MNL_CB_OK;
	s->type = rtm->rtm_type;
	if (s->g)
		s->found = route_hits(s->g, nh, &s->hit);
	return MNL_CB_OK;
}

/* Ask the kernel for its route to a, as `ip route get` does; with s->g, whether it leaves
 * through a carrier. fib_match: the route as it is in its table, every next hop of it
 * (`ip route get fibmatch`), not the one path chosen for one flow. Returns 0 or -errno. */
static int route_to(const struct addr *a, bool fib_match, struct scan *s)
{
	__u32 buf[64];
	struct rtmsg *rtm;
	struct nlmsghdr *nh = nl_request(buf, RTM_GETROUTE, 0, sizeof(*rtm), (void **)&rtm);

	rtm->rtm_family = a->family;
	rtm->rtm_dst_len = a->family == AF_INET ? 32 : 128;
	rtm->rtm_flags = fib_match ? RTM_F_FIB_MATCH : 0;
	mnl_attr_put(nh, RTA_DST, a->family == AF_INET ? 4 : 16, a->bytes);
	if (a->oif)
		mnl_attr_put_u32(nh, RTA_OIF, a->oif);
	return nl_talk(nh, on_route_to, s);
}

/* The value of variable name in the environment of process pid, into out. */
static bool env_of(int pid, const char *name, char *out, size_t len)
{
	static char env[128 * 1024];
	size_t n, at, name_len = strlen(name);
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/environ", pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	n = fread(env, 1, sizeof(env) - 1, f);
	fclose(f);
	env[n] = '\0';
	for (at = 0; at < n; at += strlen(env + at) + 1) {	/* NAME=value\0NAME=value\0 */
		if (!strncmp(env + at, name, name_len) && env[at + name_len] == '=') {
			snprintf(out, len, "%s", env + at + name_len + 1);
			return true;
		}
	}
	return false;
}

static int parent_of(int pid)
{
	char path[64], stat[512], *p;
	int ppid = 0;
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	n = fread(stat, 1, sizeof(stat) - 1, f);
	fclose(f);
	stat[n] = '\0';
	/* "PID (COMMAND) STATE PPID ...", and COMMAND may hold spaces and parentheses */
	p = strrchr(stat, ')');
	if (!p || sscanf(p + 1, " %*c %d", &ppid) != 1)
		return 0;
	return ppid;
}

/* Whether the SSH session we run in comes and goes through a carrier: 1 (hit and the client's
 * address filled in), 0, or -errno. SSH_CONNECTION is "CLIENT_IP CLIENT_PORT SERVER_IP
 * SERVER_PORT". sudo removes it from our environment, so when it is not there, ask the
 * processes that started us. */
static int ssh_session(struct guard *g, struct hit *hit, struct addr *client)
{
	char conn[256] = "", c[64], s[64];
	struct scan local = { 0 }, back = { .g = g };
	struct addr server;
	int pid, depth, err;

	if (getenv("SSH_CONNECTION"))
		snprintf(conn, sizeof(conn), "%s", getenv("SSH_CONNECTION"));
	else
		for (pid = getppid(), depth = 0; pid > 1 && depth < 64; depth++) {
			if (env_of(pid, "SSH_CONNECTION", conn, sizeof(conn)))
				break;
			pid = parent_of(pid);
		}
	if (sscanf(conn, "%63s %*s %63s", c, s) != 2 || !parse_addr(c, client) ||
	    !parse_addr(s, &server))
		return 0;
	if (!client->oif)
		client->oif = server.oif;	/* a link-local client is on the server's link */

	/* The session ends here only if its server address is one of this namespace's: a loader
	 * run in the lab's namespace from an SSH session is not on that session's path. */
	if (route_to(&server, false, &local) || local.type != RTN_LOCAL)
		return 0;
	/* Where its packets come and go: the route back to the client. */
	err = route_to(client, true, &back);
	if (err == -ENETUNREACH || err == -EHOSTUNREACH || err == -EACCES)
		return 0;	/* no route back: not through any interface of ours */
	if (err)
		return err;
	if (back.type == RTN_LOCAL)
		return 0;	/* a session from this machine to itself crosses no interface */
	*hit = back.hit;
	return back.found;
}

/* --- the verdict */

static void free_guard(struct guard *g)
{
	int i;

	for (i = 0; i < g->nnhs; i++)
		free(g->nhs[i].members);
	free(g->nhs);
	free(g->links);
}

/* "the IPv6 default route of table 100 (next hop 2 of 2)", "... (nexthop group 10)" */
static void route_name(const struct hit *h, char *buf, size_t len)
{
	snprintf(buf, len, "the %sdefault route", h->family == AF_INET6 ? "IPv6 " : "");
	if (h->table != RT_TABLE_MAIN)
		append(buf, len, " of table %u", h->table);
	if (h->nhops > 1 && h->nh_id)
		append(buf, len, " (next hop %d of %d in nexthop group %u)", h->hop, h->nhops,
		       h->nh_id);
	else if (h->nhops > 1)
		append(buf, len, " (next hop %d of %d)", h->hop, h->nhops);
	else if (h->nh_id)
		append(buf, len, " (nexthop object %u)", h->nh_id);
}

bool guard_check(int ifindex, const char *what, char *why, size_t len)
{
	struct guard g = { 0 };
	char who[256], route[128];
	struct addr client;
	struct hit hit = { 0 };
	int ret;

	ret = read_links(&g);
	if (!ret) {
		find_carriers(&g, ifindex);
		ret = default_route(&g, &hit);
	}
	if (ret == 1) {
		subject(&g, hit.carrier, who, sizeof(who));
		route_name(&hit, route, sizeof(route));
		snprintf(why, len, "%s carries %s, and %s there cuts this machine off the network",
			 who, route, what);
		goto out;
	}
	if (!ret)
		ret = ssh_session(&g, &hit, &client);
	if (ret == 1) {
		subject(&g, hit.carrier, who, sizeof(who));
		snprintf(why, len, "%s carries your SSH session (from %s), and %s there freezes the "
			 "session", who, client.text, what);
		goto out;
	}
	if (ret < 0)
		snprintf(why, len, "the kernel would not tell which routes use it (netlink: %s), and "
			 "%s there may cut this machine off the network", strerror(-ret), what);
out:
	free_guard(&g);
	return ret != 0;
}
