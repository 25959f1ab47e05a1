// SPDX-License-Identifier: GPL-2.0
/* An AF_XDP socket for the tests and checks: see xsk_test.h. */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <linux/if_xdp.h>
#include "xsk_test.h"

#define FRAMES	64
#define SIZE	(FRAMES * XSK_UMEM__DEFAULT_FRAME_SIZE)

int xsk_test_open(struct xsk_test *s, const char *ifname, __u32 queue, int xskmap_fd)
{
	const struct xsk_socket_config cfg = {
		.rx_size = XSK_RING_CONS__DEFAULT_NUM_DESCS,
		.tx_size = XSK_RING_PROD__DEFAULT_NUM_DESCS,
		.libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD,
		.bind_flags = XDP_COPY,
	};
	int err;

	memset(s, 0, sizeof(*s));
	s->area = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (s->area == MAP_FAILED) {
		s->area = NULL;
		return -errno;
	}
	err = xsk_umem__create(&s->umem, s->area, SIZE, &s->fill, &s->comp, NULL);
	if (!err)
		err = xsk_socket__create(&s->xsk, ifname, queue, s->umem, &s->rx, &s->tx, &cfg);
	if (!err)
		err = xsk_socket__update_xskmap(s->xsk, xskmap_fd);
	return err;
}

void xsk_test_close(struct xsk_test *s)
{
	xsk_socket__delete(s->xsk);
	xsk_umem__delete(s->umem);
	if (s->area)
		munmap(s->area, SIZE);
	memset(s, 0, sizeof(*s));
}
