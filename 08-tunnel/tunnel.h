/* SPDX-License-Identifier: GPL-2.0 */
/* What tunnel.bpf.c, its loader and the tests share: the VXLAN header, the tunnel's settings
 * (constants in the program, written by the loader before it loads it) and the counters. */
#ifndef TUNNEL_H
#define TUNNEL_H

#include <linux/types.h>

#define VXLAN_PORT	4789	/* IANA's port for VXLAN (RFC 7348); Linux's vxlan device says
				 * `dstport 4789` for it, its own default being 8472 */
#define VXLAN_FLAG_I	0x08	/* the first byte of the header: "the VNI is valid" */

/* RFC 7348's 8 bytes: a flags byte (only I is defined), 3 reserved, the 24-bit VXLAN Network
 * Identifier (VNI), 1 reserved. */
struct vxlan_hdr {
	__u8 flags;
	__u8 reserved1[3];
	__u8 vni[3];		/* big-endian, like every field on the wire */
	__u8 reserved2;
};

/* outer Ethernet, IPv4 (no options), UDP and VXLAN: what encapsulation adds, decapsulation
 * takes away */
#define VXLAN_OVERHEAD	(14 + 20 + 8 + 8)

struct tunnel_config {
	__u32 lan_ifindex;	/* where the hosts are: decapsulated frames leave through it */
	__u32 wire_ifindex;	/* towards the far end: encapsulated frames leave through it */
	__u8 wire_mac[6];	/* the wire's own MAC: the outer source, and VXLAN's destination */
	__u8 next_hop_mac[6];	/* the far end's (or the router's towards it) on the wire */
	__be32 local;		/* our address on the wire: the outer source */
	__be32 remote;		/* the far end's: the outer destination, and the only source of
				 * VXLAN we take */
	__be32 net, mask;	/* the hosts behind the tunnel: IPv4 to them is encapsulated */
	__u32 vni;		/* 0..2^24-1 */
	__u16 port;		/* the UDP port of VXLAN at both ends: VXLAN_PORT */
	__u16 inner_mtu;	/* the biggest inner IPv4 packet that fits: the wire's MTU - 50 */
};

enum tunnel_counter {
	TUNNEL_ENCAP,		/* into the tunnel, out of the wire */
	TUNNEL_DECAP,		/* out of the tunnel, out of the LAN port */
	TUNNEL_TOO_BIG,		/* for the tunnel, but too big for the wire with 50 bytes more */
	TUNNEL_PASSED,		/* everything else: to the stack, as it came */
	TUNNEL_MAX,
};

#endif
