/* SPDX-License-Identifier: GPL-2.0 */
/* For the unit tests and the exercise checks: an AF_XDP socket bound to one queue of an
 * interface, in copy mode, with a small UMEM of its own, put into an XSKMAP's slot for that
 * queue -- so that bpf_prog_test_run_opts() has a socket to redirect to. Run it in a network
 * namespace of the test's own: the socket binds to that namespace's interfaces. */
#ifndef XSK_TEST_H
#define XSK_TEST_H

#include <xdp/xsk.h>

struct xsk_test {
	void *area;
	struct xsk_umem *umem;
	struct xsk_socket *xsk;
	struct xsk_ring_prod fill, tx;
	struct xsk_ring_cons comp, rx;
};

/* Returns 0 or -errno. */
int xsk_test_open(struct xsk_test *s, const char *ifname, __u32 queue, int xskmap_fd);
void xsk_test_close(struct xsk_test *s);

#endif
