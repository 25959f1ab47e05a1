/* SPDX-License-Identifier: GPL-2.0 */
/* What the checks of 08's exercises share: the learner's tunnel.bpf.c, as the last make built
 * it, loaded with the lab's settings (lab/lab up tunnel), and the outer headers it must write.
 *
 * common/exercise.c's exercise_load() opens an object and loads it at once, but the tunnel's
 * settings are constants in the object, written between opening and loading. The skeleton
 * does that by name (skel->rodata->cfg), wherever the learner's edits put cfg: the checks
 * build against the skeleton of the learner's code (the Makefile rebuilds them with it). */
#ifndef TUNNEL_CHECK_H
#define TUNNEL_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <bpf/libbpf.h>
#include "exercise.h"
#include "tunnel.h"
#include "tunnel.skel.h"

#define CHECK_WIRE_MTU	1500
#define CHECK_INNER_MTU	(CHECK_WIRE_MTU - VXLAN_OVERHEAD)

static const __u8 check_wire_mac[6] = { 0x02, 0x00, 0xcb, 0x00, 0x71, 0x01 };
static const __u8 check_hop_mac[6] = { 0x02, 0x00, 0xcb, 0x00, 0x71, 0x02 };

/* Load the learner's programs with the lab's tunnel: 203.0.113.1 to 203.0.113.2, VNI 42, port
 * 4789, 192.0.2.0/24 behind it, inner MTU 1450. On failure, says why and exits 1. */
static inline struct tunnel_bpf *check_load(void)
{
	/* the verifier's words, when it refuses: the learner's edit is the likely cause */
	static char log[1 << 20];
	LIBBPF_OPTS(bpf_object_open_opts, opts, .kernel_log_buf = log,
		    .kernel_log_size = sizeof(log), .kernel_log_level = 1);
	struct tunnel_bpf *skel = tunnel_bpf__open_opts(&opts);
	const char *tail;

	if (!skel) {
		printf("  cannot open tunnel.bpf.o: %s (run make first)\n", strerror(errno));
		exit(1);
	}
	skel->rodata->cfg.lan_ifindex = 1;
	skel->rodata->cfg.wire_ifindex = 1;
	memcpy((__u8 *)skel->rodata->cfg.wire_mac, check_wire_mac, 6);
	memcpy((__u8 *)skel->rodata->cfg.next_hop_mac, check_hop_mac, 6);
	inet_pton(AF_INET, "203.0.113.1", (void *)&skel->rodata->cfg.local);
	inet_pton(AF_INET, "203.0.113.2", (void *)&skel->rodata->cfg.remote);
	inet_pton(AF_INET, "192.0.2.0", (void *)&skel->rodata->cfg.net);
	inet_pton(AF_INET, "255.255.255.0", (void *)&skel->rodata->cfg.mask);
	skel->rodata->cfg.vni = 42;
	skel->rodata->cfg.port = VXLAN_PORT;
	skel->rodata->cfg.inner_mtu = CHECK_INNER_MTU;
	if (tunnel_bpf__load(skel)) {
		tail = log + strlen(log);
		while (tail > log && log + strlen(log) - tail < 600)
			tail--;
		while (tail > log && tail[-1] != '\n')
			tail--;
		printf("  WRONG  your program does not load: %s; the verifier's last words:\n%s\n",
		       strerror(errno), tail);
		exit(1);
	}
	return skel;
}

/* Whether out holds the tunnel's 50 bytes for an inner frame of inner_len bytes with this
 * TOS, and then the inner frame want: everything but the source port, which must be in
 * 49152-65535. */
static inline bool check_wrapped(const __u8 *out, __u32 len, const __u8 *want, __u32 inner_len,
				 __u8 tos)
{
	const __u8 *ip = out + 14, *udp = out + 34, *vx = out + 42;
	__u8 local[4], remote[4];
	unsigned int sport;

	if (len != inner_len + VXLAN_OVERHEAD)
		return false;
	inet_pton(AF_INET, "203.0.113.1", local);
	inet_pton(AF_INET, "203.0.113.2", remote);
	sport = (unsigned int)udp[0] << 8 | udp[1];
	return !memcmp(out, check_hop_mac, 6) && !memcmp(out + 6, check_wire_mac, 6) &&
	       out[12] == 0x08 && out[13] == 0x00 &&
	       ip[0] == 0x45 && ip[1] == tos &&
	       ((unsigned int)ip[2] << 8 | ip[3]) == inner_len + 36 &&
	       ip[4] == 0 && ip[5] == 0 && ip[6] == 0x40 && ip[7] == 0 && ip[8] == 64 &&
	       ip[9] == IPPROTO_UDP && pkt_ipv4_csum_ok(ip) &&
	       !memcmp(ip + 12, local, 4) && !memcmp(ip + 16, remote, 4) &&
	       sport >= 49152 && udp[2] == 0x12 && udp[3] == 0xb5 &&
	       ((unsigned int)udp[4] << 8 | udp[5]) == inner_len + 16 && !udp[6] && !udp[7] &&
	       vx[0] == 0x08 && !vx[1] && !vx[2] && !vx[3] && !vx[4] && !vx[5] && vx[6] == 42 &&
	       !vx[7] && !memcmp(out + VXLAN_OVERHEAD, want, inner_len);
}

#endif
