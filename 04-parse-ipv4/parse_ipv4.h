/* SPDX-License-Identifier: GPL-2.0 */
/* What parse_ipv4.bpf.c counts, shared by the kernel object, the loader and the tests: the
 * keys of its per-CPU array of __u64 counters. Every frame is counted exactly once. */
#ifndef PARSE_IPV4_H
#define PARSE_IPV4_H

enum counter {
	COUNT_TCP,		/* IPv4 TCP (the first fragment, or no fragment) */
	COUNT_UDP,		/* IPv4 UDP */
	COUNT_ICMP,		/* IPv4 ICMP */
	COUNT_IP_OTHER,		/* another IP protocol: GRE, ESP, SCTP, ... */
	COUNT_FRAGMENT,		/* an IPv4 fragment after the first: no transport header */
	COUNT_IPV6,		/* EtherType IPv6, not parsed further */
	COUNT_ARP,		/* EtherType ARP */
	COUNT_OTHER,		/* any other EtherType, or more than two VLAN tags */
	COUNT_MALFORMED,	/* a header cut short or invalid: passed, for the stack to refuse */
	COUNT_BLOCKED,		/* IPv4 from a source in the blocklist: dropped */
	COUNT_MAX,
};

/* Their names, in the order above, for the loader's table and the tests' messages. */
#define COUNTER_NAMES { "tcp", "udp", "icmp", "ip-other", "fragment", "ipv6", "arp", "other", \
			"malformed", "blocked" }

#define BLOCKLIST_MAX	1024	/* source addresses the blocklist holds */

#endif
