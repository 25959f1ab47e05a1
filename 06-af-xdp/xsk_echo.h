/* SPDX-License-Identifier: GPL-2.0 */
/* What xsk_echo.bpf.c counts, shared by the kernel object, its loader and the tests. */
#ifndef XSK_ECHO_H
#define XSK_ECHO_H

/* The keys of the program's per-CPU array of __u64 counters. */
enum xsk_counter {
	XSK_TO_SOCKET,		/* UDP for our port, redirected into the XSKMAP */
	XSK_NO_SOCKET,		/* UDP for our port, on a queue without a socket: to the stack */
	XSK_PASSED,		/* everything else, left to the stack */
	XSK_MAX,
};

/* Receive queues the XSKMAP has a slot for, and the per-queue counters too: one socket per
 * queue, at the queue's index. */
#define XSK_MAX_QUEUES	64

#define XSK_ECHO_PORT	7	/* the echo protocol's port (RFC 862) */

#endif
